"""Many rows in one statement on PostgreSQL: the rows travel as one JSON parameter, unpacked by
the server (json_to_recordset, typed as the table's columns) and written by one INSERT ... SELECT.

Why: the shore takes a ship's batch of 500 entries at once. Row by row (psycopg's pipelined
executemany) each row costs its own parameter conversion, bind and execution; a multi-row VALUES
statement is compiled anew for every row count (most of a batch's time when the PFSO's
projection was written that way). One JSON parameter is one json.dumps (C), one statement
compiled once and one execution: the ingest's CPU per batch fell by half (README "Benchmarks").
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import JSON, String, Table, bindparam, cast, column, func, insert, select
from sqlalchemy.sql import Insert, Select

ROWS = "rows"  # the statement's one parameter: a JSON array of objects keyed by column name


def insert_from_json(table: Table, make_insert=insert) -> Insert:
    """Return an INSERT of the rows of the JSON parameter (a dialect's insert for ON CONFLICT)."""
    return make_insert(table).from_select([c.name for c in table.columns], rows_from_json(table))


def rows_from_json(table: Table) -> Select:
    """Return a SELECT of the table's columns over the rows of the JSON parameter."""
    unpacked = (
        func.json_to_recordset(cast(bindparam(ROWS, type_=String), JSON))
        .table_valued(*(column(c.name, c.type) for c in table.columns))
        .render_derived(with_types=True)
    )
    return select(*unpacked.c)


def json_rows(rows: list[dict]) -> dict[str, str]:
    """Return the statement's parameter: the rows as one JSON text (datetimes in ISO 8601).

    A key left out or None is SQL NULL in its column.
    """
    return {ROWS: json.dumps(rows, default=_iso, ensure_ascii=False, separators=(",", ":"))}


def _iso(value: object) -> str:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON (only aware datetimes are converted)")
