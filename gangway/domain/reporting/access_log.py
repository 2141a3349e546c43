"""The PFSO's read-only shore-side access log: what it may see, how it is filtered.

Rule sources: ISPS Code A/10.1 (records of security activities, kept for the port facility
on request), B/4.41 (records protected from unauthorised disclosure: identity document numbers
are masked for the port facility unless the ship agrees to share them), and UN/LOCODE
(5 letters/digits) for matching a port facility.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gangway.domain.scan.types import Direction, PersonKind

MASK = "•"
ANY = "any"
DIRECTIONS = (Direction.BOARD.value, Direction.DEPART.value, ANY)
ALLOWED, REFUSED = "allowed", "refused"  # a movement, a refusal
OUTCOMES = (ALLOWED, REFUSED, ANY)
KINDS = (*(k.value for k in PersonKind), ANY)
SORTS = ("time", "-time", "name", "-name")
PAGE_SIZE = 50
MAX_QUERY = 100
MAX_TEXT = 200


@dataclass(frozen=True, slots=True)
class LogFilters:
    """What the reader asked to see; `any`/None means no filter on that field."""

    direction: str = ANY
    kind: str = ANY
    outcome: str = ANY
    purpose: str | None = None
    access_point: str | None = None
    from_at: datetime | None = None
    to_at: datetime | None = None
    q: str | None = None
    sort: str = "-time"
    page: int = 1
    page_size: int = PAGE_SIZE


class BadFilters(ValueError):
    """Filter values that cannot be used; `problems` lists (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


def mask_document(number: str | None) -> str:
    """Replace all but the last 4 characters of a document number with '•'."""
    if not number:
        return ""
    return MASK * max(len(number) - 4, 0) + number[-4:]


def pfso_may_see(
    call_facility: str | None,
    call_unlocode: str | None,
    user_facility: str | None,
    user_unlocode: str | None,
) -> bool:
    """Tell whether a PFSO's facility is the port call's (B/4.41: no disclosure beyond it).

    The facility names must match (trimmed, any case) and, where both sides have a UN/LOCODE,
    so must those. A LOCODE names a whole port, so it never suffices alone: an account or a
    call without a facility name matches nothing.
    """
    call_name, user_name = _trimmed(call_facility).casefold(), _trimmed(user_facility).casefold()
    if not call_name or call_name != user_name:
        return False
    call_code, user_code = _trimmed(call_unlocode).upper(), _trimmed(user_unlocode).upper()
    return not (call_code and user_code) or call_code == user_code


def _trimmed(value: str | None) -> str:
    return (value or "").strip()


def is_masked(role: str, share_documents: bool) -> bool:
    """Tell whether a reader sees document numbers masked (the PFSO, unless shared)."""
    return role == "pfso" and not share_documents


def local_time(at: datetime, timezone: str | None) -> datetime:
    """Return a UTC time in the port's IANA time zone (UTC if the name is unknown)."""
    try:
        zone = ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError, OSError):
        zone = UTC
    return at.astimezone(zone)


def parse_filters(args: Mapping[str, str]) -> LogFilters:
    """Read the log's query parameters into filters.

    :raises BadFilters: one (field, message) pair per value that cannot be used.
    """
    problems: list[tuple[str, str]] = []

    def choice(name: str, allowed: tuple[str, ...], default: str) -> str:
        value = (args.get(name) or "").strip() or default
        if value not in allowed:
            problems.append((name, f"{name.capitalize()} must be one of: {', '.join(allowed)}."))
            return default
        return value

    def text(name: str, limit: int) -> str | None:
        value = (args.get(name) or "").strip()
        if len(value) > limit:
            problems.append((name, f"{name.capitalize()} is too long: at most {limit} characters."))
            return None
        return value or None

    filters = LogFilters(
        direction=choice("direction", DIRECTIONS, ANY),
        kind=choice("kind", KINDS, ANY),
        outcome=choice("outcome", OUTCOMES, ANY),
        purpose=text("purpose", MAX_TEXT),
        access_point=text("point", 32),
        from_at=_parse_time(args.get("from"), "from", problems),
        to_at=_parse_time(args.get("to"), "to", problems),
        q=text("q", MAX_QUERY),
        sort=choice("sort", SORTS, "-time"),
        page=_parse_page(args.get("page"), problems),
    )
    if filters.from_at and filters.to_at and filters.from_at > filters.to_at:
        problems.append(("to", "To must not be before from."))
    if problems:
        raise BadFilters(problems)
    return filters


def _parse_time(raw: str | None, name: str, problems: list[tuple[str, str]]) -> datetime | None:
    value = (raw or "").strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value[:40])
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: an offset pushes it past year 1 or 9999
        problems.append((name, f"Write {name} as an ISO datetime in UTC, e.g. 2026-11-22T16:00."))
        return None


def _parse_page(raw: str | None, problems: list[tuple[str, str]]) -> int:
    value = (raw or "").strip() or "1"
    # Length first: int() refuses strings of more than 4,300 digits with a ValueError.
    if not (value.isascii() and value.isdigit()) or len(value) > 6 or int(value) < 1:
        problems.append(("page", "Page must be a whole number from 1."))
        return 1
    return int(value)
