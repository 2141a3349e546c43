"""The rules for opening and closing a port call.

Rule sources: UN/LOCODE (2-letter country + 3 letters/digits), the IANA time zone database for
the port's local time, SOLAS XI-2/1.1.9-11 for the port facility's security level (1-3), and
the ship's own log: one stay in port at a time.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_UNLOCODE = re.compile(r"[A-Z0-9]{5}")


def port_call_problem(
    *,
    port_name: str | None,
    unlocode: str | None,
    timezone: str | None,
    arrived_at: datetime,
    departs_at: datetime | None,
    port_security_level: int | None,
) -> tuple[str, str] | None:
    """Return the first (field, message) that forbids opening this port call, or None."""
    if not port_name:
        return "port_name", "Port name is required."
    if unlocode and not _UNLOCODE.fullmatch(unlocode):
        return "unlocode", "A UN/LOCODE is 5 letters or digits, e.g. NLRTM."
    if not is_time_zone(timezone):
        return "timezone", "Time zone must be an IANA name, e.g. Europe/Amsterdam."
    if departs_at is not None and departs_at < arrived_at:
        return "departs_at", "The expected departure must not be before the arrival."
    if port_security_level is not None and port_security_level not in (1, 2, 3):
        return "port_security_level", "The port's security level is 1, 2 or 3."
    return None


def is_time_zone(name: str | None) -> bool:
    """Tell whether a name is a time zone in the IANA database."""
    if not name or len(name) > 64:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True
