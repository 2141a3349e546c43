"""Statements of the scan path, compiled once per dialect and run on the driver's cursor.

A Core `execute()` costs ~40 us before the database does anything (execution context, events,
cache lookup); the same statement on the DBAPI cursor costs ~4 us on SQLite. A scan runs about
ten statements, so the hot path runs them here: the SQL text, the parameter order and the type
conversions (UTCDateTime in and out) come from SQLAlchemy's compiler, once, so the statements
stay written in Core and portable. Only plain statements: no expanding IN, no Python-side
column defaults (an insert names every column it writes). Writes on SQLite wait at the write
gate first (gangway.db.sqlite_writers), as every statement run through SQLAlchemy does.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement

from gangway.db.sqlite_writers import GatedConnection


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # parameter names in the order the driver takes them
    positional: bool
    binds: tuple  # per name: a converter or None
    defaults: dict  # values the statement carries itself (LIMIT 1 is a parameter)
    results: tuple  # per result column: a converter or None
    writes: bool


class Prepared:
    """A Core statement to run many times on a connection's driver cursor."""

    def __init__(
        self, stmt: ClauseElement, *, named: bool = False, columns: Sequence[str] | None = None
    ):
        """:param named: return rows as named tuples (by the selected columns' keys).
        :param columns: an INSERT without values writes these columns, taken from the params.
        """
        self.stmt, self.columns = stmt, list(columns) if columns else None
        self._by_dialect: dict[str, _Compiled] = {}
        self._row = namedtuple("Row", stmt.selected_columns.keys()) if named else None

    def _compile(self, conn: Connection) -> _Compiled:
        dialect = conn.dialect
        key = f"{dialect.name}+{dialect.driver}"
        done = self._by_dialect.get(key)
        if done is None:
            compiled = self.stmt.compile(dialect=dialect, column_keys=self.columns)
            processors = compiled._bind_processors
            names = tuple(compiled.positiontup or compiled.bind_names.values())
            results = tuple(
                type_._cached_result_processor(dialect, None)
                for *_, type_ in compiled._result_columns
            )
            done = self._by_dialect[key] = _Compiled(
                sql=str(compiled),
                names=names,
                positional=compiled.positional,
                binds=tuple(processors.get(n) for n in names),
                defaults={
                    n: v for n, v in compiled.params.items() if not compiled.binds[n].required
                },
                results=results if any(results) else (),
                writes=compiled.isinsert or compiled.isupdate or compiled.isdelete,
            )
        return done

    def rows(self, conn: Connection, params: dict | None = None) -> list[tuple]:
        """Run the statement; return every row, values converted to their Python types."""
        c = self._compile(conn)
        cursor = self._execute(conn, c, params or {})
        try:
            rows = cursor.fetchall() if cursor.description else []
        finally:
            cursor.close()
        if c.results:
            convert = c.results
            rows = [tuple(f(v) if f else v for f, v in zip(convert, r, strict=True)) for r in rows]
        if self._row:
            rows = [self._row._make(r) for r in rows]
        return rows

    def first(self, conn: Connection, params: dict | None = None) -> tuple | None:
        rows = self.rows(conn, params)
        return rows[0] if rows else None

    def scalar(self, conn: Connection, params: dict | None = None):
        row = self.first(conn, params)
        return row[0] if row else None

    def _execute(self, conn: Connection, c: _Compiled, params: dict):
        values: Sequence | dict
        if c.defaults:
            params = {**c.defaults, **params}
        converted = [
            f(params[n]) if f else params[n] for n, f in zip(c.names, c.binds, strict=True)
        ]
        values = converted if c.positional else dict(zip(c.names, converted, strict=True))
        dbapi = conn.connection.dbapi_connection
        if c.writes and isinstance(dbapi, GatedConnection) and dbapi.gate:
            dbapi.begin_write()
        cursor = dbapi.cursor()
        try:
            cursor.execute(c.sql, values)
        except BaseException as exc:
            cursor.close()
            if isinstance(dbapi, GatedConnection):
                dbapi.end_write()  # a failed first write opened no transaction
            driver_error = conn.dialect.loaded_dbapi.Error
            if isinstance(exc, driver_error):  # as SQLAlchemy raises it (IntegrityError, ...)
                raise DBAPIError.instance(
                    c.sql, values, exc, driver_error, dialect=conn.dialect
                ) from exc
            raise
        return cursor
