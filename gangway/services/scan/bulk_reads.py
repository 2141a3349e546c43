"""Read 100,000s of rows fast: SQLite's stored times parsed in C, the driver's cursor, no GC.

On SQLite the generic DateTime + UTC re-attach path costs more than the SELECT itself, so the
stored text is parsed directly; rows come off the DBAPI cursor as plain tuples (a Row object
per row doubles the load), and the cyclic garbage collector waits while they are built.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import String, type_coerce
from sqlalchemy.orm import Session


class _SQLiteUTC(String):
    """A UTCDateTime column as SQLite stores it ('YYYY-MM-DD HH:MM:SS.ffffff', UTC), parsed in C."""

    cache_ok = True

    def result_processor(self, dialect, coltype):
        return sqlite_utc


_fromisoformat = datetime.fromisoformat


def sqlite_utc(value: str | None) -> datetime | None:
    """Return the aware UTC time of a value SQLite stored ('2026-05-01 08:00:00.000000')."""
    if type(value) is str:  # noqa: E721 - the common case, checked first for speed
        return _fromisoformat(value + "+00:00")
    return None if value is None else value.replace(tzinfo=UTC)  # detect_types: naive UTC


def sqlite_iso(value: str) -> str:
    """'2026-05-01 08:00:00.000000' -> '2026-05-01T08:00:00+00:00', as isoformat() writes it."""
    if type(value) is not str:  # noqa: E721 - detect_types gave a naive UTC datetime
        return sqlite_utc(value).isoformat()
    clock = value[11:19] if value.endswith(".000000") else value[11:]
    return f"{value[:10]}T{clock}+00:00"


def aware_utc(value: datetime | None) -> datetime | None:
    """Return a driver's aware time in UTC (PostgreSQL), None as None."""
    return None if value is None else value.astimezone(UTC)


def aware_iso(value: datetime) -> str:
    """Return a driver's aware time as UTC ISO 8601 text."""
    return value.astimezone(UTC).isoformat()


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while 100,000s of row tuples are built.

    Every tuple allocated counts towards a collection, and the older generations' collections
    walk all the rows built so far: ~30% of the load. The rows hold no cycles. The pause is
    process-wide but brief, and the state before it is restored (nested or concurrent pauses
    leave that to whichever began with the collector on).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def utc(session: Session, column):
    """Return `column` for a SELECT whose values arrive as aware UTC datetimes, fast on SQLite."""
    if session.get_bind().dialect.name == "sqlite":
        return type_coerce(column, _SQLiteUTC()).label(column.key)
    return column


def driver_cursor(session: Session, query) -> tuple[object, bool]:
    """Run a Core SELECT (integer binds only) on the DBAPI cursor; also tell if it is SQLite."""
    session.flush()  # as the ORM's autoflush would before a query
    conn = session.connection()
    compiled = query.compile(dialect=conn.dialect)
    params = compiled.construct_params()
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = conn.connection.cursor()
    cursor.execute(str(compiled), params)
    return cursor, conn.dialect.name == "sqlite"
