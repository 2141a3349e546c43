"""The SSO's follow-up of a refused entry: what it may say, and how a refusal reads to people.

Rule sources: 33 CFR 104.235(b)(3) (a breach of security is recorded with its date and time,
location, description, the response and to whom it was reported, and when); ISPS B/9.12 (every
refusal reaches the SSO at once). Times read in 24-hour ISO form, UTC first, then the port's
local time; reason codes are never shown raw (gangway.domain.scan.reasons.label).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gangway.domain.reporting.access_log import local_time
from gangway.domain.scan.reasons import label

MAX_TEXT = 4000  # description and response: a paragraph or two, not a file
MAX_LINE = 200  # location and authorities columns are String(200)
MAX_AT_ONCE = 500  # one bulk acknowledgement: a long port call's refusals, bounded
REPORT_TIMES = {
    "reported_to_cso_at": "Reported to the CSO at",
    "reported_to_pfso_at": "Reported to the PFSO at",
    "reported_to_authorities_at": "Reported to the authorities at",
}
# A tablet's clock a little ahead of the server's must not make "now" a time in the future.
CLOCK_SLACK = timedelta(minutes=2)
DIRECTIONS = {"board": "Boarding", "depart": "Leaving"}


def report_time_problem(
    name: str, at: datetime, *, refused_at: datetime, refusal_id: int, now: datetime
) -> str | None:
    """Return why a reported time cannot stand (in the future, before the refusal), or None."""
    said = f"{REPORT_TIMES[name]} {utc_text(at)}"
    if at > now + CLOCK_SLACK:
        return f"{said} is in the future: it is now {utc_text(now)}."
    # Times are entered to the minute: a report in the refusal's own minute is not "before" it.
    if at < refused_at.replace(second=0, microsecond=0):
        return f"{said} is before refused entry r-{refusal_id} ({utc_text(refused_at)})."
    return None


def utc_text(at: datetime) -> str:
    """Return a time as people read it: 2026-12-06 14:05 UTC."""
    return f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def port_text(at: datetime, zone: str | None, *, short: bool = False) -> str | None:
    """Return the port's local time (2026-12-06 15:05 CET), or None when the port is on UTC.

    Short leaves out the date when it is the UTC time's date too (15:05 CET), for a list row.
    """
    local = local_time(at, zone)
    if local.utcoffset() == timedelta(0) and local.tzname() in ("UTC", "GMT", "Z"):
        return None
    if short and local.date() == at.astimezone(UTC).date():
        return f"{local:%H:%M %Z}"
    return f"{local:%Y-%m-%d %H:%M %Z}"


def reason_labels(reason_codes: str) -> list[str]:
    """Return every reason of a refusal in plain words, first reason first, without repeats."""
    labels = [label(code) for code in reason_codes.split(",") if code]
    return list(dict.fromkeys(labels))


def direction_word(direction: str) -> str:
    """Return the direction as people say it (Boarding, Leaving)."""
    return DIRECTIONS.get(direction, direction.capitalize())
