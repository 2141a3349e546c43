"""A chained row's content as JSON values, alike from an ORM object and from a SELECT.

The digest of that content (gangway.domain.records.audit_chain.digest) is what an entry stores.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum
from functools import cache

from sqlalchemy import Boolean, Date, DateTime, Integer, Table

from gangway.db.models import AuditEntry
from gangway.domain.records.audit_chain import digest
from gangway.domain.records.chained_tables import CHAINED


@cache
def chained_fields(table_name: str) -> tuple[str, ...]:
    """Return the columns of a chained table that its digests cover, sorted."""
    ignored = CHAINED[table_name].ignored
    columns = AuditEntry.metadata.tables[table_name].columns
    return tuple(sorted(c.name for c in columns if c.name not in ignored))


def row_content(table: Table, values) -> dict:
    """Return a row's columns as JSON values from its values in column order.

    A value that cannot be read as its column's type (SQLite stores anything) becomes a marker
    that matches no digest, so the verifier names the row instead of failing.
    """
    out = {}
    for (name, convert), value in zip(_columns(table), values, strict=True):
        try:
            out[name] = None if value is None else convert(value)
        except (TypeError, ValueError, AttributeError, OverflowError):
            out[name] = f"unreadable: {value!r:.80}"
    return out


def content_digest(content: dict, fields: tuple[str, ...]) -> str:
    """Return the digest of a row's content over the given columns."""
    return digest({f: content[f] for f in fields})


@cache
def _columns(table: Table) -> tuple:
    """Return (name, converter) per column, the converter chosen once by the column's type."""
    return tuple((c.name, _converter(c.type)) for c in table.columns)


def _converter(type_):
    affinity = type_._type_affinity  # a TypeDecorator (UTCDateTime) answers for its impl
    if affinity is not None and issubclass(affinity, DateTime):
        return _iso
    if affinity is not None and issubclass(affinity, Date):
        return date.isoformat
    if isinstance(type_, Boolean):
        return bool
    if isinstance(type_, Integer):
        return int
    return _plain


def _iso(value: datetime) -> str:
    value = value.astimezone(UTC) if value.tzinfo else value
    return value.isoformat(timespec="microseconds")


def _plain(value):
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value if isinstance(value, int | float | str) else str(value)
