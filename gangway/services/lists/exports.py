"""Export the crew list in the layout its import reads: CSV or an Excel workbook (FAL Form 5)."""

from __future__ import annotations

from dataclasses import fields, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import Person
from gangway.domain.lists.countries import ALPHA_3, country_code
from gangway.domain.lists.crew_lists import CREW, CrewRow, export_csv
from gangway.domain.scan.types import PersonKind
from gangway.services.lists.imports import person_attr
from gangway.services.lists.workbooks import export_workbook


def export_crew(session: Session, countries: str = ALPHA_3) -> str:
    """Return the enabled crew as a crew list CSV, in the layout the import reads.

    :param countries: countries as "alpha-3" codes (as stored) or "alpha-2" (IMO Compendium).
    """
    return export_csv(CREW, _crew_rows(session, countries))


def export_crew_workbook(session: Session, countries: str = ALPHA_3) -> bytes:
    """Return the enabled crew as an .xlsx crew list, in the layout the import reads."""
    return export_workbook(CREW, _crew_rows(session, countries))


def _crew_rows(session: Session, countries: str) -> list[CrewRow]:
    """Return the enabled crew as list rows, countries written as `countries` asks."""
    stmt = (
        select(Person)
        .where(Person.kind == PersonKind.CREW, Person.is_enabled)
        .order_by(Person.family_name, Person.given_names, Person.id)
    )
    names = [f.name for f in fields(CrewRow) if f.name != "line"]
    rows = []
    for person in session.scalars(stmt):
        row = CrewRow(**{name: getattr(person, person_attr(name)) for name in names})
        nationality = country_code(row.nationality, countries)
        issuer = country_code(row.document_issuing_state, countries) or None
        rows.append(replace(row, nationality=nationality, document_issuing_state=issuer))
    return rows
