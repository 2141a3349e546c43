"""Checks of the ship's particulars and certificate, and of a ship-to-ship activity's record.

Rule source: MSC.1/Circ.1305 (1.1-1.11 the ship and its company, 3.1 the ISSC or interim ISSC,
3.4 ship-to-ship activities, B/4.38); the IMO ship number's check digit (resolution A.1117(30)).
Each check returns (field, message) problems; the first one is what the person sees.
"""

from __future__ import annotations

import re
from datetime import date, datetime

CERTIFICATE_KINDS = ("issc", "interim")
# field: (label, longest); None for optional fields is in OPTIONAL.
TEXTS = {
    "imo_number": ("IMO number", 7),
    "name": ("Name of ship", 120),
    "port_of_registry": ("Port of registry", 120),
    "flag_state": ("Flag State", 64),
    "ship_type": ("Type of ship", 64),
    "call_sign": ("Call sign", 16),
    "inmarsat_numbers": ("Inmarsat call numbers", 120),
    "gross_tonnage": ("Gross tonnage", 9),
    "company_name": ("Name of Company", 120),
    "company_imo_number": ("IMO Company identification number", 7),
    "cso_name": ("CSO's name", 120),
    "cso_contact": ("CSO's 24-hour contact", 200),
    "certificate_kind": ("Certificate", 8),
    "certificate_issuer": ("Issued by", 120),
    "certificate_expires_on": ("Expires on", 10),
}
OPTIONAL = frozenset({"inmarsat_numbers"})
SEVEN_DIGITS = re.compile(r"\d{7}")
BAD_IMO = "The IMO number is seven digits with a valid check digit."


def is_imo_ship_number(value: str) -> bool:
    """Tell whether seven digits carry a valid IMO ship number check digit."""
    if not SEVEN_DIGITS.fullmatch(value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:6], range(7, 1, -1), strict=True))
    return total % 10 == int(value[6])


def check_particulars(values: dict[str, str | None]) -> list[tuple[str, str]]:
    """Return the problems of the particulars form's stripped values (text fields only)."""
    problems = []
    for name, (label, longest) in TEXTS.items():
        value = values.get(name)
        if not value and name not in OPTIONAL:
            problems.append((name, f"{label} is needed for the Security Report."))
        elif value and len(value) > longest:
            problems.append((name, f"{label} is too long (at most {longest} characters)."))
    if problems:
        return problems
    if not is_imo_ship_number(values["imo_number"]):
        problems.append(("imo_number", BAD_IMO))
    if not SEVEN_DIGITS.fullmatch(values["company_imo_number"]):
        problems.append(("company_imo_number", "The IMO Company number is seven digits."))
    if not (values["gross_tonnage"].isdigit() and int(values["gross_tonnage"]) > 0):
        problems.append(("gross_tonnage", "Gross tonnage is a whole number above 0."))
    if values["certificate_kind"] not in CERTIFICATE_KINDS:
        problems.append(("certificate_kind", "Choose ISSC or interim ISSC."))
    if parse_day(values["certificate_expires_on"]) is None:
        problems.append(("certificate_expires_on", "Write the expiry date as 2027-03-31."))
    return problems


def parse_day(value: str | None) -> date | None:
    """Return the date written as YYYY-MM-DD, or None."""
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def check_sts(
    *,
    other_ship_name: str,
    other_ship_imo: str | None,
    location: str,
    started_at: datetime | None,
    ended_at: datetime | None,
    level: int | None,
    measures: str,
    now: datetime,
) -> list[tuple[str, str]]:
    """Return the problems of a ship-to-ship activity's record."""
    problems = []
    if not other_ship_name:
        problems.append(("other_ship_name", "Name the other ship."))
    if other_ship_imo and not is_imo_ship_number(other_ship_imo):
        problems.append(("other_ship_imo", BAD_IMO))
    if not location:
        problems.append(("location", "Say where it took place (position or area)."))
    if started_at is None:
        problems.append(("started_at", "Give when it started (UTC)."))
    if ended_at is None:
        problems.append(("ended_at", "Give when it ended (UTC)."))
    elif started_at and ended_at < started_at:
        problems.append(("ended_at", "It cannot end before it started."))
    elif ended_at > now:
        problems.append(("ended_at", "Record an activity once it has ended."))
    if level not in (1, 2, 3):
        problems.append(("level", "Choose security level 1, 2 or 3."))
    if not measures:
        problems.append(("measures", "Say which security measures were kept."))
    return problems
