"""Issue badges to a group at once (a contractor gang, a crew change): all or nothing."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from gangway.db.models import Badge, User
from gangway.domain.lists.list_columns import unsafe_cell
from gangway.services.after_commit import unit_of_work
from gangway.services.errors import BadInput
from gangway.services.people.people import NewPerson, add_person

MAX_GROUP = 200
GROUP_COLUMNS = ("family_name", "given_names", "document_type", "document_number")
MEMBER_LIMITS = (120, 120, 32, 64)  # the columns' sizes, in GROUP_COLUMNS order


def members_from_csv(data: bytes) -> str:
    """Turn a group CSV (family_name, given_names, document_type, document_number) into lines.

    :raises BadInput: not UTF-8, missing columns, or a cell a spreadsheet would run as a formula.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput("members_csv", "Save the CSV as UTF-8.") from None
    sample = text.split("\n", 1)[0]
    reader = csv.DictReader(
        io.StringIO(text), delimiter=";" if sample.count(";") > sample.count(",") else ","
    )
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in GROUP_COLUMNS[:1] if c not in header]
    if missing:
        raise BadInput("members_csv", f"The CSV needs the columns {', '.join(GROUP_COLUMNS)}.")
    lines = []
    for number, row in enumerate(reader, start=2):
        cells = {(k or "").strip().lower(): (v or "") for k, v in row.items()}
        for column in GROUP_COLUMNS:
            problem = unsafe_cell(cells.get(column, ""), f"{column} on line {number}")
            if problem:
                raise BadInput("members_csv", problem)
        family, given, doc_type, doc_number = (cells.get(c, "").strip() for c in GROUP_COLUMNS)
        lines.append(f"{family}, {given} ; {doc_type} ; {doc_number}")
    return "\n".join(lines)


def parse_members(text: str) -> list[tuple[str, str, str | None, str | None]]:
    """Read one member a line: `FAMILY, Given ; document type ; document number`."""
    members = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")] + ["", ""]
        family, _, given = parts[0].partition(",")
        if not family.strip():
            raise BadInput("members", f"Line {number}: write FAMILY, Given ; type ; number.")
        sizes = zip((family, given, parts[1], parts[2]), MEMBER_LIMITS, strict=True)
        if any(len(value.strip()) > limit for value, limit in sizes):
            raise BadInput("members", f"Line {number}: a name or the document is too long.")
        members.append((family.strip(), given.strip(), parts[1] or None, parts[2] or None))
    if not members:
        raise BadInput("members", "List at least one person, one a line.")
    if len(members) > MAX_GROUP:
        raise BadInput("members", f"At most {MAX_GROUP} people at once.")
    return members


def register_group(
    session: Session,
    common: NewPerson,
    members_text: str,
    *,
    valid_from: datetime,
    valid_until: datetime,
    user: User,
    now: datetime,
    signing: dict,
    long_term: bool = False,
) -> list[Badge]:
    """Register every member with the shared details and issue their badges; commit once."""
    badges = []
    with unit_of_work(session):
        for family, given, doc_type, doc_number in parse_members(members_text):
            person = replace(
                common,
                family_name=family,
                given_names=given,
                document_type=doc_type or common.document_type,
                document_number=doc_number,
            )
            try:
                badges.append(
                    add_person(
                        session,
                        person,
                        valid_from=valid_from,
                        valid_until=valid_until,
                        user=user,
                        now=now,
                        signing=signing,
                        long_term=long_term,
                    )
                )
            except BadInput as exc:
                raise BadInput(exc.field, f"{family}, {given}: {exc.message}") from None
    return badges
