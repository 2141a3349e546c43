"""The SSO's follow-ups of refused entries, each a new chained row (33 CFR 104.235(b)(3)).

A follow-up never edits the refusal: the refusal stays as the watch recorded it, and every
acknowledgement is appended (and chained by gangway.services.audit.audit) in the transaction that
writes it. A bulk acknowledgement writes one follow-up per refusal in one transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import Refusal, RefusalFollowUp, User
from gangway.domain.ship.follow_ups import (
    MAX_AT_ONCE,
    MAX_LINE,
    MAX_TEXT,
    REPORT_TIMES,
    report_time_problem,
)
from gangway.services.audit.audit import lock_chain
from gangway.services.errors import BadInput

LINES = ("location_in_port", "location_on_vessel", "authorities")  # String(200) columns
TEXTS = ("response", "description", *LINES)
FOLLOW_UP_FIELDS = (*TEXTS, *REPORT_TIMES)
MAX_ID = 2**31 - 1  # PostgreSQL's integer key


def acknowledge(
    session: Session, refusal_id: int, *, user: User, now: datetime, **fields
) -> RefusalFollowUp:
    """Record a follow-up of one refusal as a new row (times aware UTC) and commit.

    A refusal may get several follow-ups (a later report to the authorities, say).
    :raises BadInput: no such refusal, an empty response, a field too long, or a reported time
        in the future or before the refusal; nothing is written.
    """
    refusal = session.get(Refusal, refusal_id)
    if refusal is None:
        raise BadInput("refusal", "No such refusal.")
    values = _checked(fields)
    _check_times(values, [refusal], now)
    follow_up = _follow_up(refusal.id, user, now, values)
    session.add(follow_up)
    session.commit()
    return follow_up


def acknowledge_many(
    session: Session, refusal_ids: list[int], *, user: User, now: datetime, **fields
) -> list[RefusalFollowUp]:
    """Acknowledge open refusals with one response: a follow-up row each, one commit, all or none.

    :raises BadInput: nothing ticked, an unknown or already acknowledged refusal, or a field the
        follow-up refuses; nothing is written then.
    """
    ids = list(dict.fromkeys(refusal_ids))
    if not ids:
        raise BadInput("refusal_ids", "Tick at least one refused entry to acknowledge.")
    if len(ids) > MAX_AT_ONCE:
        raise BadInput("refusal_ids", f"Acknowledge at most {MAX_AT_ONCE} entries at once.")
    values = _checked(fields)
    try:
        # Hold the chain's write lock before reading: two SSOs acknowledging the same refusals
        # at once take turns, and the second is told they are done, not recorded twice.
        lock_chain(session.connection())
        refusals = _open_refusals(session, ids)
        _check_times(values, refusals, now)
        follow_ups = [_follow_up(r.id, user, now, values) for r in refusals]
        session.add_all(follow_ups)
        session.commit()
    except BadInput:
        session.rollback()
        raise
    return follow_ups


def _checked(fields: dict) -> dict:
    """Return the follow-up's values stripped (empty: None), or raise BadInput."""
    values = {name: fields.get(name) for name in FOLLOW_UP_FIELDS}
    for name in TEXTS:
        values[name] = _text(values[name])
    if not values["response"]:
        raise BadInput("response", "Say what was done about the refused entry.")
    for name in TEXTS:
        if values[name] and len(values[name]) > (MAX_LINE if name in LINES else MAX_TEXT):
            raise BadInput(name, f"{name.replace('_', ' ').capitalize()} is too long.")
    return values


def _open_refusals(session: Session, ids: list[int]) -> list[Refusal]:
    """Return the refusals of these ids, oldest first, if every one exists and none is done."""
    known = [i for i in ids if 0 < i <= MAX_ID]  # a larger id names no row (and overflows SQL)
    found = {r.id: r for r in session.scalars(select(Refusal).where(Refusal.id.in_(known)))}
    if missing := [i for i in ids if i not in found]:
        raise BadInput("refusal_ids", f"No refused entry {_names(missing)}: reload the list.")
    done = session.scalars(
        select(RefusalFollowUp.refusal_id).where(RefusalFollowUp.refusal_id.in_(ids)).distinct()
    )
    if done := sorted(done):
        raise BadInput(
            "refusal_ids",
            f"{_names(done)} {'was' if len(done) == 1 else 'were'} already acknowledged "
            "(the list has changed): untick and try again. Nothing was recorded.",
        )
    return sorted(found.values(), key=lambda r: (r.occurred_at, r.id))


def _check_times(values: dict, refusals: list[Refusal], now: datetime) -> None:
    """Refuse a reported time in the future or before the latest of these refusals."""
    latest = max(refusals, key=lambda r: r.occurred_at)
    for name in REPORT_TIMES:
        if values[name] is None:
            continue
        problem = report_time_problem(
            name, values[name], refused_at=latest.occurred_at, refusal_id=latest.id, now=now
        )
        if problem:
            raise BadInput(name, problem)


def _follow_up(refusal_id: int, user: User, now: datetime, values: dict) -> RefusalFollowUp:
    return RefusalFollowUp(
        refusal_id=refusal_id, acknowledged_at=now, acknowledged_by_id=user.id, **values
    )


def _names(ids: list[int]) -> str:
    shown = ", ".join(f"r-{i}" for i in ids[:10])
    return shown + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None
