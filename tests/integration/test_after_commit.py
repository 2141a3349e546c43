"""A service's unit of work: what it wrote is committed before its follow-on work runs, or
nothing is written and nothing runs."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from gangway.services import BadInput
from gangway.services.after_commit import defer, unit_of_work


@pytest.fixture
def engine(tmp_path):
    """A SQLite file of its own (no app: the unit of work needs only a session)."""
    engine = create_engine(f"sqlite:///{tmp_path / 'unit.sqlite'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (v TEXT)"))
    yield engine
    engine.dispose()


def rows(engine) -> list[str]:
    with engine.connect() as conn:  # another connection: sees committed rows only
        return list(conn.scalars(text("SELECT v FROM t ORDER BY rowid")))


def test_follow_on_work_runs_in_order_once_the_record_is_committed(engine):
    seen = []
    with Session(engine) as session, unit_of_work(session):
        session.execute(text("INSERT INTO t VALUES ('refusal')"))
        defer(session, lambda what: seen.append((what, rows(engine))), "alert")
        defer(session, lambda what: seen.append((what, rows(engine))), "revision")
        assert seen == []
    assert seen == [("alert", ["refusal"]), ("revision", ["refusal"])]


def half_written(session: Session, seen: list) -> None:
    """Write a row and defer its alert, then refuse the input (as a service checking late)."""
    with unit_of_work(session):
        session.execute(text("INSERT INTO t VALUES ('half')"))
        defer(session, seen.append, "alert")
        raise BadInput("reason", "Say why the badge is revoked.")


def test_bad_input_writes_nothing_and_its_follow_on_work_never_runs(engine):
    seen = []
    with Session(engine) as session:
        with pytest.raises(BadInput):
            half_written(session, seen)
        with unit_of_work(session):  # the next unit of work on the session
            session.execute(text("INSERT INTO t VALUES ('whole')"))
    assert rows(engine) == ["whole"]
    assert seen == []
