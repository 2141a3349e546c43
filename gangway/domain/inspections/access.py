"""A port state control officer's inspection access: its code, its state, the pages it opens.

Rule source: SOLAS XI-2/9.1 (control of ships in port: the officer may inspect the ISSC and the
records of ISPS A/10.1) and ISPS A/10.3-10.4 (records protected from unauthorised access and
disclosure). An access is short-lived and read-only; the code is read out by the SSO, so it
avoids characters that are easily confused (0/O, 1/I).
"""

from __future__ import annotations

from datetime import datetime

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols: 5 bits each, no 0/O/1/I
GROUPS, GROUP_SIZE = 3, 4  # read out as ABCD-EFGH-JKLM: 60 bits
CODE_LENGTH = GROUPS * GROUP_SIZE
MAX_HOURS = 24  # an access never outlives a day of inspection
OPEN, EXPIRED, REVOKED = "open", "expired", "revoked"
# The pages an access opens, in the order the officer's menu shows them: (key, title).
PAGES = (
    ("certificate", "Certificate and ship"),
    ("calls", "Last ten calls"),
    ("levels", "Security levels"),
    ("declarations", "Declarations of Security"),
    ("refusals", "Refusals and follow-ups"),
    ("log", "Access log of this call"),
)
PAGE_KEYS = tuple(key for key, _ in PAGES)


def code_from_numbers(numbers: list[int]) -> str:
    """Return the code spelt by CODE_LENGTH numbers in 0-31 (the caller draws them at random)."""
    if len(numbers) != CODE_LENGTH or any(not 0 <= n < len(ALPHABET) for n in numbers):
        raise ValueError(f"need {CODE_LENGTH} numbers from 0 to {len(ALPHABET) - 1}")
    return "".join(ALPHABET[n] for n in numbers)


def normalise_code(typed: str | None) -> str | None:
    """Return a typed code as stored (upper case, no spaces or dashes), or None if not a code."""
    text = "".join((typed or "").split()).replace("-", "").upper()
    if len(text) != CODE_LENGTH or any(c not in ALPHABET for c in text):
        return None
    return text


def format_code(code: str) -> str:
    """Return a stored code grouped for reading out: ABCD-EFGH-JKLM."""
    return "-".join(code[i : i + GROUP_SIZE] for i in range(0, len(code), GROUP_SIZE))


def access_state(expires_at: datetime, revoked_at: datetime | None, now: datetime) -> str:
    """Tell whether an access is open, expired or revoked at `now` (revoked wins)."""
    if revoked_at is not None and revoked_at <= now:
        return REVOKED
    return OPEN if now < expires_at else EXPIRED


def hours_problem(hours: object) -> str | None:
    """Return why a validity in hours cannot be used, or None."""
    if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 < hours <= MAX_HOURS:
        return f"An inspection access is valid for more than 0 and at most {MAX_HOURS} hours."
    return None
