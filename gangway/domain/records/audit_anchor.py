"""The audit chain's head as people read it back, and anchors given back to verify-log.

Rule source: ISPS Code A/10.3 (records protected against amendment): the chain is not keyed, so
only a head kept off the ship (in a report, an e-mail) shows a chain rewritten or cut after it.
"""

from __future__ import annotations

import re

SHORT = 8  # hex digits shown at each end of a hash read back by a person (64 bits in all)
_ANCHOR = re.compile(
    r"^#?\s*(\d{1,18})\s*[:\s]\s*(?:sha256:)?"
    r"(?:(?P<full>[0-9a-f]{64})|(?P<head>[0-9a-f]{4,32})\s*(?:…|\.\.\.)\s*(?P<tail>[0-9a-f]{4,32}))$"
)


def short_head(seq: int, entry_hash: str) -> str:
    """Return the head as people read it back: "#1234 3f9a0c1d…77e2c4b0"."""
    return f"#{seq} {entry_hash[:SHORT]}…{entry_hash[-SHORT:]}"


def parse_anchor(text: str) -> tuple[int, str] | None:
    """Read an anchor as shown: "1234:<hash>", "#1234 sha256:<hash>" or "#1234 3f9a…c2e4".

    Returns (seq, hash) with the short form kept as "head…tail"; None if it is neither.
    """
    match = _ANCHOR.match(" ".join(text.split()).lower())
    if not match:
        return None
    seq = int(match[1])
    return seq, match["full"] or f"{match['head']}…{match['tail']}"


def anchor_holds(expected: str, found: str | None) -> bool:
    """Tell whether an entry's hash is the anchored one (a short anchor: both its ends)."""
    if found is None:
        return False
    if "…" not in expected:
        return found == expected
    head, tail = expected.split("…")
    return found.startswith(head) and found.endswith(tail)
