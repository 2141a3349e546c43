"""Import crew and passenger lists: preview what would change, then apply it in one transaction.

ISPS Code B/9.11: the identification system knows every crew member (permanent badges) and every
passenger of the port call (who board with boarding passes). A row matches a person of the same
kind by normalised document number; passengers only within the open port call.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gangway.db.models import Person, PortCall, User
from gangway.domain.lists.crew_lists import (
    CREW,
    KINDS,
    PASSENGERS,
    CrewRow,
    PassengerRow,
    Problem,
    normalise_document_number,
    parse_list,
    spec_for,
)
from gangway.domain.scan.types import PersonKind
from gangway.services.audit.record_snapshots import note_rename
from gangway.services.errors import BadInput
from gangway.services.lists.workbooks import is_workbook, parse_workbook
from gangway.services.people.badges import issue_crew_badge
from gangway.services.ship.ship import current_port_call

PERSON_KIND = {CREW: PersonKind.CREW, PASSENGERS: PersonKind.PASSENGER}
# Rows written per transaction: each commit holds the database's write lock (SQLite has one for
# the whole file) for a few tens of ms, so the gangway's scans are written between two batches
# instead of waiting seconds behind a 5,000-row list.
WRITE_BATCH = 100
NO_PORT_CALL = Problem(0, None, "Open a port call before importing a passenger list.")
# Every column is stored on Person except a passenger's ports of the voyage (no column yet).
STORED = {
    kind: tuple(name for name in spec_for(kind).header if not name.startswith("port_of_"))
    for kind in KINDS
}
_PERSON_FIELD = {"rank_or_rating": "rank", "document_expiry": "document_expires_on"}
# A list never signs anyone on: that issues a badge, an explicit act of the SSO (crew page).
_STAYS_OFF = {
    CREW: "{name} is signed off and stays signed off: sign them on from the crew page.",
    PASSENGERS: "{name} is disabled; the import does not enable them.",
}


class ImportRefused(BadInput):
    """The list has problems: nothing was imported. `problems` says where, by line and column."""

    def __init__(self, problems: tuple[Problem, ...]):
        super().__init__("file", f"The list has {len(problems)} problem(s): nothing was imported.")
        self.problems = problems


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One person field an import changes."""

    field: str
    old: object
    new: object


@dataclass(frozen=True, slots=True)
class RowChange:
    """What one line of the list does to its person."""

    line: int
    name: str
    document_number: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class ImportPreview:
    """What an import would do (or did): problems that block it, or the rows sorted by effect."""

    kind: str
    text: str
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    creates: tuple[RowChange, ...] = ()
    updates: tuple[RowChange, ...] = ()
    unchanged: tuple[RowChange, ...] = ()
    sheet: str | None = None  # the workbook sheet the list was read from (None for a CSV file)

    @property
    def has_problems(self) -> bool:
        """Tell whether the import is refused."""
        return bool(self.problems)


@dataclass(frozen=True)
class ListStatus:
    """How many persons a list holds now; for passengers, of which port call."""

    kind: str
    count: int
    port_call: PortCall | None = None


@dataclass
class _Plan:
    preview: ImportPreview
    port_call: PortCall | None = None
    actions: list[tuple[dict, Person | None]] = field(default_factory=list)


def preview_import(
    session: Session, kind: str, text: str | bytes, *, now: datetime
) -> ImportPreview:
    """Return what importing the list would create, update and leave unchanged; write nothing."""
    return _plan(session, kind, text, now).preview


def apply_import(
    session: Session,
    kind: str,
    text: str | bytes,
    *,
    user: User | None,
    now: datetime,
    private_key: Ed25519PrivateKey,
    key_id: int,
) -> ImportPreview:
    """Create and update the persons of a list; new crew get permanent badges.

    The whole list is checked first; then its rows are written WRITE_BATCH to a transaction,
    each row whole with its badge and chain entries. An import cut short (a worker killed) is
    completed by running it again: importing the same file twice changes nothing the second
    time, so the retry writes only the rows still missing. Persons missing from the list are
    neither deleted nor disabled: signing a crew member off is an explicit act, not a side
    effect of a shorter file.

    :raises ImportRefused: the list has problems; nothing is written.
    """
    plan = _plan(session, kind, text, now)
    if plan.preview.has_problems:
        raise ImportRefused(plan.preview.problems)
    signing = {"private_key": private_key, "key_id": key_id, "issued_by": user, "now": now}
    for n, (values, person) in enumerate(plan.actions):
        if n and n % WRITE_BATCH == 0:
            session.commit()  # let the scans waiting for the write lock in
        if person is None:
            _create(session, kind, values, plan.port_call, signing)
            continue
        family = values.get("family_name", person.family_name)
        given = values.get("given_names", person.given_names)
        source = f"{PERSON_KIND[kind].value} list"
        note_rename(session, person, family, given, user=user, now=now, source=source)
        for name, value in values.items():
            setattr(person, name, value)
    session.commit()
    return plan.preview


def list_status(session: Session, kind: str) -> ListStatus:
    """Count the enabled crew, or the passengers of the open port call."""
    port_call = current_port_call(session) if kind == PASSENGERS else None
    if kind == PASSENGERS and port_call is None:
        return ListStatus(kind, 0)
    stmt = select(func.count()).select_from(Person).where(Person.kind == PERSON_KIND[kind])
    if port_call is not None:
        stmt = stmt.where(Person.port_call_id == port_call.id)
    else:
        stmt = stmt.where(Person.is_enabled)
    return ListStatus(kind, session.scalar(stmt) or 0, port_call)


def _plan(session: Session, kind: str, text: str | bytes, now: datetime) -> _Plan:
    """Parse the list and match each row to a person, sorting the rows by what they would do."""
    read = parse_workbook if isinstance(text, bytes) and is_workbook(text) else parse_list
    parsed = read(kind, text, today=now.date())
    port_call = current_port_call(session) if kind == PASSENGERS else None
    problems = parsed.problems
    if kind == PASSENGERS and port_call is None:
        problems = (NO_PORT_CALL, *problems)
    if problems:
        return _Plan(
            ImportPreview(kind, parsed.text, problems, parsed.warnings, sheet=parsed.sheet)
        )
    existing = _existing(session, kind, port_call)
    preview = ImportPreview(kind, parsed.text, sheet=parsed.sheet)
    plan, warnings = _Plan(preview, port_call), list(parsed.warnings)
    effects: dict[str, list[RowChange]] = {"creates": [], "updates": [], "unchanged": []}
    for row in parsed.rows:
        person = existing.get(normalise_document_number(row.document_number))
        change, values = _match(kind, row, person)
        effect = "creates" if person is None else "updates" if change.fields else "unchanged"
        effects[effect].append(change)
        plan.actions.append((values, person))
        if person is not None and not person.is_enabled:
            warnings.append(Problem(row.line, None, _STAYS_OFF[kind].format(name=change.name)))
    lists = {effect: tuple(changes) for effect, changes in effects.items()}
    plan.preview = replace(plan.preview, warnings=tuple(warnings), **lists)
    return plan


def _match(kind: str, row: CrewRow | PassengerRow, person: Person | None) -> tuple[RowChange, dict]:
    """Return what the row changes and the person fields to write (all of them for a new one)."""
    wanted = {column: getattr(row, column) for column in STORED[kind]}
    changed = ()
    if person is not None:
        changed = tuple(
            FieldChange(column, getattr(person, person_attr(column)), value)
            for column, value in wanted.items()
            if getattr(person, person_attr(column)) != value
        )
        wanted = {change.field: change.new for change in changed}
    name = f"{row.family_name.upper()}, {row.given_names}".rstrip(", ")
    values = {person_attr(column): value for column, value in wanted.items()}
    return RowChange(row.line, name, row.document_number, changed), values


def person_attr(column: str) -> str:
    """Return the Person attribute a list column is stored in."""
    return _PERSON_FIELD.get(column, column)


def _existing(session: Session, kind: str, port_call: PortCall | None) -> dict[str, Person]:
    """Return the persons a list may update, by normalised document number (oldest first)."""
    stmt = select(Person).where(Person.kind == PERSON_KIND[kind]).order_by(Person.id)
    if port_call is not None:
        stmt = stmt.where(Person.port_call_id == port_call.id)
    found: dict[str, Person] = {}
    for person in session.scalars(stmt):
        number = normalise_document_number(person.document_number)
        if number:
            found.setdefault(number, person)
    return found


def _create(
    session: Session, kind: str, values: dict, port_call: PortCall | None, signing: dict
) -> None:
    """Add a person from a list; a new crew member also gets a permanent badge."""
    port_call_id = port_call.id if port_call else None
    person = Person(kind=PERSON_KIND[kind], port_call_id=port_call_id, **values)
    session.add(person)
    if kind == CREW:
        issue_crew_badge(session, person, **signing)
