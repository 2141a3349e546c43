"""When a port call's records may be purged from the ship's database.

Rule sources: SOLAS XI-2/9.2.1 (records of the last 10 calls at port facilities stay on board)
and 33 CFR 104.235 (records kept for the retention period and available on request). Older
records may leave the database only after they have been archived to a file.
"""

from __future__ import annotations

from datetime import datetime, timedelta

KEEP_LAST_CALLS = 10  # SOLAS XI-2/9.2.1


def is_purgeable(
    call_departed_at: datetime | None,
    rank_among_calls_newest_first: int,
    archived_at: datetime | None,
    now: datetime,
    retention_days: int,
) -> tuple[bool, str]:
    """Return whether a port call's records may be purged, and if not, why not.

    :param rank_among_calls_newest_first: 1 for the newest port call, 2 for the one before, ...
    """
    if call_departed_at is None:
        return False, "The port call is still open."
    if rank_among_calls_newest_first <= KEEP_LAST_CALLS:
        return False, f"It is one of the last {KEEP_LAST_CALLS} port calls."
    if now - call_departed_at <= timedelta(days=retention_days):
        return False, f"The ship left less than {retention_days} days ago."
    if archived_at is None:
        return False, "The port call has not been archived to a file."
    return True, ""
