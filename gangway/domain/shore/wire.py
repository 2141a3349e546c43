"""The ship-to-shore link's batch as values: the JSON a ship sends, checked field by field.

Rule source: the link protocol v1 (README "Shore server"): a batch names its ship by IMO number,
carries consecutive chain entries and the ship's status for the fleet page. Anything else is
malformed input, refused with a message naming the field; nothing of it is kept.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from gangway.domain.shore.batches import WireEntry

PROTOCOL = 1
MAX_ENTRIES = 5_000  # the ship sends 500 at most; room for a larger sender, not for a flood
_HEX64 = re.compile(r"[0-9a-f]{64}")
_IMO = re.compile(r"[0-9]{7}")
_MAX_SEQ = 2**63 - 1  # PostgreSQL's bigint
_COUNTS = ("refusals_open", "overstaying", "records_waiting", "fleet_watch_version")
_MAX_COLUMNS = 200  # a chained table has a few dozen
_PLAIN = (str, int, float, bool)  # a column's value as gangway.services.audit.content gives it


class MalformedBatch(ValueError):
    """A batch that cannot be read; the message names the field."""


@dataclass(frozen=True)
class Batch:
    """A batch as sent: the ship it names, its entries in order, the ship's status."""

    imo: str
    entries: tuple[WireEntry, ...]
    status: dict = field(default_factory=dict)


def parse_batch(body: object) -> Batch:
    """Return the batch a decoded JSON body holds, or raise MalformedBatch."""
    if not isinstance(body, dict):
        raise MalformedBatch("The body must be a JSON object.")
    if body.get("protocol") != PROTOCOL:
        raise MalformedBatch(f"protocol: this shore speaks protocol {PROTOCOL}.")
    imo = body.get("imo")
    if not isinstance(imo, str) or not _IMO.fullmatch(imo):
        raise MalformedBatch("imo: the ship's IMO number, 7 digits as text.")
    raw = body.get("entries")
    if not isinstance(raw, list):
        raise MalformedBatch("entries: a list of chain entries.")
    if len(raw) > MAX_ENTRIES:
        raise MalformedBatch(f"entries: at most {MAX_ENTRIES} in one batch.")
    entries = tuple(_entry(i, item) for i, item in enumerate(raw))
    return Batch(imo, entries, parse_status(body.get("status")))


def _entry(i: int, item: object) -> WireEntry:
    where = f"entries[{i}]"
    if not isinstance(item, dict):
        raise MalformedBatch(f"{where}: a JSON object.")
    fields = item.get("fields")
    if fields is not None and not (
        isinstance(fields, list) and all(isinstance(f, str) and _storable(f) for f in fields)
    ):
        raise MalformedBatch(f"{where}.fields: a list of column names or null.")
    content = item.get("content")
    if content is not None and not _is_row(content):
        raise MalformedBatch(
            f"{where}.content: a row's columns with plain values (texts without NUL or lone "
            "surrogate, 64-bit whole numbers, finite numbers), or null."
        )
    return WireEntry(
        seq=_int(item.get("seq"), f"{where}.seq", low=1),
        kind=_text(item.get("kind"), f"{where}.kind", 40),
        record_table=_text(item.get("record_table"), f"{where}.record_table", 64, optional=True),
        record_id=_int(item.get("record_id"), f"{where}.record_id", low=0, optional=True),
        digest=_hex(item.get("digest"), f"{where}.digest"),
        payload=_text(item.get("payload"), f"{where}.payload", None, optional=True),
        prev_hash=_hex(item.get("prev_hash"), f"{where}.prev_hash"),
        entry_hash=_hex(item.get("entry_hash"), f"{where}.entry_hash"),
        recorded_at=_time(item.get("recorded_at"), f"{where}.recorded_at"),
        fields=tuple(fields) if fields is not None else None,
        content=content,
    )


def _is_row(content: object) -> bool:
    """Tell whether content is a row as the ship sends it: columns with plain values, and
    texts a database can store (the ship's input guard refuses NUL and lone surrogates)."""
    if not isinstance(content, dict) or len(content) > _MAX_COLUMNS:
        return False
    for name, value in content.items():
        kind = type(value)  # JSON gives these exact types, never a subclass
        if not _storable(name):
            return False
        if kind is str:
            if not _storable(value):
                return False
        elif kind is int:  # a ship's columns are 64-bit; PostgreSQL's bigint refuses more
            if not -_MAX_SEQ - 1 <= value <= _MAX_SEQ:
                return False
        elif kind is float:  # 1e400 reads as infinity, which no JSON column takes
            if not math.isfinite(value):
                return False
        elif value is not None and kind is not bool:
            return False
    return True


def _storable(text: str) -> bool:
    """Tell whether a text can be stored: no NUL, no lone surrogate (ASCII is checked fast)."""
    return "\x00" not in text and (text.isascii() or _is_utf8(text))


def parse_status(raw: object) -> dict:
    """Return the known parts of a ship's status (security level, call, counts), checked."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise MalformedBatch("status: an object or null.")
    out: dict = {}
    if (level := raw.get("security_level")) is not None:
        out["security_level"] = _int(level, "status.security_level", low=1, high=3)
    if (since := raw.get("level_since")) is not None:
        out["level_since"] = _iso(_time(since, "status.level_since"))
    if (call := raw.get("port_call")) is not None:
        out["port_call"] = _port_call(call)
    if (on_board := raw.get("on_board")) is not None:
        if not isinstance(on_board, dict) or len(on_board) > 20:
            raise MalformedBatch("status.on_board: an object of counts by kind.")
        out["on_board"] = {
            _text(k, "status.on_board", 32): _int(v, f"status.on_board.{k}", low=0)
            for k, v in on_board.items()
        }
    for name in _COUNTS:
        if (value := raw.get(name)) is not None:
            out[name] = _int(value, f"status.{name}", low=0)
    return out


def _port_call(call: object) -> dict:
    """Keep a port call's plain values (names, codes, times, ids): what the fleet page shows."""
    if not isinstance(call, dict) or len(call) > 20:
        raise MalformedBatch("status.port_call: an object or null.")
    out = {}
    for key, value in call.items():
        name = _text(key, "status.port_call", 40)
        if value is not None and not isinstance(value, _PLAIN):
            raise MalformedBatch(f"status.port_call.{name}: a plain value.")
        out[name] = value[:200] if isinstance(value, str) else value
    return out


def _int(value, where: str, *, low: int, high: int = _MAX_SEQ, optional: bool = False):
    if value is None and optional:
        return None
    if type(value) is not int or not low <= value <= high:
        raise MalformedBatch(f"{where}: a whole number from {low} to {high}.")
    return value


def _text(value, where: str, limit: int | None, *, optional: bool = False):
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value or (limit and len(value) > limit):
        size = f" of at most {limit} characters" if limit else ""
        raise MalformedBatch(f"{where}: a text{size}.")
    if "\x00" in value or not _is_utf8(value):  # no ship stores these: its input guard refuses
        raise MalformedBatch(f"{where}: a NUL or a lone surrogate cannot be a record's text.")
    return value


def _is_utf8(value: str) -> bool:
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _hex(value, where: str) -> str:
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        raise MalformedBatch(f"{where}: 64 lowercase hexadecimal digits (SHA-256).")
    return value


def _time(value, where: str) -> datetime:
    try:
        at = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        at = None
    if at is None or at.tzinfo is None:
        raise MalformedBatch(f"{where}: an ISO 8601 time with its offset, e.g. ...Z.")
    return at.astimezone(UTC)


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="microseconds").replace("+00:00", "Z")
