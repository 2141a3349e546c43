"""A service's unit of work: commit or roll back, then run what it set off for after the commit.

Work that must only follow a committed record (the SSO's mail about a refusal, a closed call's
revised report) is deferred by the service that writes the record and run once it is committed;
a rollback drops it, so nothing is mailed or queued for a record that was never written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial

from sqlalchemy.orm import Session

_DEFERRED = "gangway_after_commit"


@contextmanager
def unit_of_work(session: Session) -> Iterator[None]:
    """Commit what the block wrote, or roll it all back if it raises; then run deferred work."""
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        discard(session)
        raise
    run_deferred(session)


def defer(session: Session, work: Callable[..., object], *args) -> None:
    """Run `work(*args)` once the session's transaction is committed."""
    session.info.setdefault(_DEFERRED, []).append(partial(work, *args))


def run_deferred(session: Session) -> None:
    """Run the work deferred until the commit that has just happened, in order."""
    for work in session.info.pop(_DEFERRED, []):
        work()


def discard(session: Session) -> None:
    """Drop the deferred work: its transaction was rolled back."""
    session.info.pop(_DEFERRED, None)
