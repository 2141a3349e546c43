"""Parse the SSO's registration form into service inputs (no rules here, only shapes)."""

from __future__ import annotations

from datetime import UTC, datetime

from ..services import BadInput
from ..services.people import NewPerson

TEXT_FIELDS = (
    "kind",
    "family_name",
    "given_names",
    "company",
    "nationality",
    "document_type",
    "document_number",
    "document_issuing_state",
    "host",
    "notes",
    "work_order",
    "authority_role",
)


def clean(form, name: str, limit: int = 200) -> str | None:
    """Return a stripped, bounded form value, or None when empty."""
    value = (form.get(name) or "").strip()
    if len(value) > limit:
        raise BadInput(name, f"{name.replace('_', ' ').capitalize()} is too long.")
    return value or None


def parse_utc(form, name: str) -> datetime | None:
    """Read a datetime-local field (entered in UTC, as the form says)."""
    value = clean(form, name, 32)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: an offset pushes it past year 1 or 9999
        raise BadInput(name, "Dates are written 2026-11-22T16:00.") from None


def person_from_form(form) -> NewPerson:
    """Build a NewPerson from the registration form."""
    values = {name: clean(form, name) for name in TEXT_FIELDS}
    for name in ("nationality", "document_issuing_state"):
        values[name] = values[name].upper() if values[name] else None
    values["family_name"] = values["family_name"] or ""
    values["given_names"] = values["given_names"] or ""
    return NewPerson(
        **values,
        purpose=clean(form, "purpose_other") or clean(form, "purpose"),
        work_order_valid_from=parse_utc(form, "work_order_valid_from"),
        work_order_valid_until=parse_utc(form, "work_order_valid_until"),
    )
