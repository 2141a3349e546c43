"""Parse the SSO's registration form into service inputs (no rules here, only shapes)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from gangway.services import BadInput
from gangway.services.people.people import NewPerson

# Each text field with its longest value: the column's size, so nothing longer reaches the database
# (the service reads the two countries as codes or names: services/people.with_country_codes).
TEXT_FIELDS = {
    "kind": 16,
    "family_name": 120,
    "given_names": 120,
    "company": 120,
    "nationality": 64,
    "document_type": 32,
    "document_number": 64,
    "document_issuing_state": 64,
    "host": 120,
    "notes": 1000,
}
# Fields that belong to one kind only: the others' values are ignored, whatever was sent.
KIND_TEXT_FIELDS = {"contractor": {"work_order": 64}, "authority": {"authority_role": 32}}
PURPOSE_LIMIT = 200

# The fields of each form in page order: an error naming one shows there, any other at the top.
VISITOR_FIELDS = (
    "kind",
    "work_order",
    "work_order_valid_from",
    "work_order_valid_until",
    "authority_role",
    "document_photo",  # filling from a document photo, and keeping it
    "family_name",
    "given_names",
    "company",
    "nationality",
    "document_type",
    "document_number",
    "document_issuing_state",
    "date_of_birth",
    "document_expires_on",
    "photo",
    "purpose",
    "purpose_other",
    "host",
    "valid_from",
    "valid_until",
    "notes",
)
GROUP_FIELDS = (
    "kind",
    "work_order",
    "work_order_valid_from",
    "work_order_valid_until",
    "authority_role",
    "company",
    "host",
    "purpose",
    "purpose_other",
    "valid_from",
    "valid_until",
    "members",
    "members_csv",
)
# The group form types each person's name and document on a line of `members`.
GROUP_ALIASES = {name: "members" for name in VISITOR_FIELDS if name not in GROUP_FIELDS}


# How a message names a field whose name does not read well.
LABELS = {"purpose_other": "The other purpose", "document_issuing_state": "Issuing state"}


def clean(form, name: str, limit: int = 200) -> str | None:
    """Return a stripped, bounded form value, or None when empty."""
    value = (form.get(name) or "").strip()
    if len(value) > limit:
        label = LABELS.get(name, name.replace("_", " ").capitalize())
        raise BadInput(name, f"{label} is too long (at most {limit} characters).")
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


def parse_day(form, name: str) -> date | None:
    """Read a date field (2026-11-22)."""
    value = clean(form, name, 32)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadInput(name, "Dates are written 2026-11-22.") from None


def person_from_form(form) -> NewPerson:
    """Build a NewPerson from the registration form, reading only the fields of its kind."""
    values = {name: clean(form, name, limit) for name, limit in TEXT_FIELDS.items()}
    kind = values["kind"]
    for name, limit in KIND_TEXT_FIELDS.get(kind, {}).items():
        values[name] = clean(form, name, limit)
    if kind == "contractor":
        values["work_order_valid_from"] = parse_utc(form, "work_order_valid_from")
        values["work_order_valid_until"] = parse_utc(form, "work_order_valid_until")
    values["date_of_birth"] = parse_day(form, "date_of_birth")
    values["document_expires_on"] = parse_day(form, "document_expires_on")
    values["family_name"] = values["family_name"] or ""
    values["given_names"] = values["given_names"] or ""
    purpose = clean(form, "purpose_other", PURPOSE_LIMIT) or clean(form, "purpose", PURPOSE_LIMIT)
    return NewPerson(**values, purpose=purpose)


@dataclass(frozen=True)
class FormErrors:
    """What to tell the SSO about a form: each message at its field, the others at the top."""

    at_fields: Mapping[str, str]  # in page order
    at_top: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.at_fields or self.at_top)

    def get(self, name: str) -> str | None:
        """Return the message shown at field `name`, if any."""
        return self.at_fields.get(name)

    @property
    def first(self) -> str | None:
        """Return the first field with an error, in page order (it gets the focus)."""
        return next(iter(self.at_fields), None)


def form_errors(
    errors: Iterable[BadInput], fields: tuple[str, ...], aliases: Mapping[str, str] | None = None
) -> FormErrors:
    """Place each error at the form field it names (or its alias), else at the top."""
    placed, top = {}, []
    for error in errors:
        name = (aliases or {}).get(error.field, error.field)
        if name in fields and name not in placed:
            placed[name] = error.message
        else:
            top.append(error.message)
    ordered = {name: placed[name] for name in fields if name in placed}
    return FormErrors(ordered, tuple(top))
