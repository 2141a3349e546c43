"""Pure aggregations over records for the SSO's and master's views.

ISPS Code B/9.14-9.17 presume the ship knows who is aboard at any time (muster, level changes).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from gangway.domain.scan.types import PersonKind


def count_by_kind(kinds: Iterable[PersonKind | str]) -> dict[str, int]:
    """Count persons per kind, every kind present (zero when nobody), in a stable order."""
    counts = Counter(PersonKind(k) for k in kinds)
    return {kind.value: counts.get(kind, 0) for kind in PersonKind}
