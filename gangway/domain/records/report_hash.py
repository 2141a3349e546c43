"""The records' hash: what a report sign-off keeps (SHA-256 over every record the report shows).

The bytes must never change: a stored sign-off is compared with this hash of today's records.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from operator import itemgetter

from gangway.domain.reporting.port_call_report import (
    DeclarationRow,
    FollowUpRow,
    LevelRow,
    MovementRow,
    RefusalRow,
)


def report_hash(
    movements: Iterable[MovementRow],
    refusals: Iterable[RefusalRow],
    follow_ups: Iterable[FollowUpRow],
    levels: Iterable[LevelRow],
    declarations: Iterable[DeclarationRow],
) -> str:
    """Return the SHA-256 of a canonical serialisation of every record the report is built on."""
    digest = hashlib.sha256()
    sections = (
        ("movements", movements),
        ("refusals", refusals),
        ("follow_ups", follow_ups),
        ("levels", levels),
        ("declarations", declarations),
    )
    for name, rows in sections:
        # Rows are tuples of their fields in declared order: one C-encoded JSON array per
        # section (per-row dumps would be ~10x slower). The bytes match the first version's.
        digest.update(f"[{name}]\n".encode())
        digest.update(
            json.dumps(
                sorted(rows, key=_ID), default=_iso, ensure_ascii=False, separators=(",", ":")
            ).encode()
        )
    return digest.hexdigest()


_ID = itemgetter(0)
# Times are the only values JSON cannot write: a C method as the hook, no Python call per row.
# Anything else raises TypeError, as a value the hash cannot take should.
_iso = datetime.isoformat
