"""A ship with something on every page, for the layout walk: long unbroken texts included.

Everything goes through the services the pages use (port calls, registration, scans, the watch
list, declarations, level changes), so the rows look as the app writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from gangway import keys
from gangway.db.models import PortCall, User
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services.people.people import NewPerson, register_person
from gangway.services.people.watch_list import add_entry
from gangway.services.scan.scanning import ScanInput, record_scan
from gangway.services.ship.declarations import record_declaration
from gangway.services.ship.port_calls import close_port_call, open_port_call
from gangway.services.ship.security_level import set_level
from tests.browser.conftest import add_user, issue

ROLES = ("watch", "sso", "master", "pfso", "admin")
FACILITY = "Euromax Terminal"


def unbroken(length: int) -> str:
    """Return a word of `length` characters with no place to break it (a pasted code, say)."""
    return ("WXYZ" * length)[:length]


@dataclass(frozen=True)
class Lengths:
    """How long the long texts are: 500 characters where the database lets them be."""

    company: int
    purpose: int = 200  # the scan form's and the registration's limit

    @classmethod
    def for_app(cls, app: Flask) -> Lengths:
        """SQLite keeps any length; PostgreSQL holds a company to its column's 120."""
        with app.app_context():
            sqlite = db.engine.dialect.name == "sqlite"
        return cls(company=500 if sqlite else 120)


def seed_layout_data(app: Flask) -> None:
    """Create a user per role and fill every page the roles reach with rows."""
    for role in ROLES:
        add_user(app, role)
    lengths = Lengths.for_app(app)
    crew_code = issue(app, kind="crew", family="HANSEN", given="Erik", rank="Master")
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        now = utcnow()
        _open_call_at_facility(users["sso"], now)
        pfso = users["pfso"]
        pfso.facility_name, pfso.facility_unlocode = FACILITY, "NLRTM"
        db.session.commit()
        visitor = register_person(
            db.session,
            NewPerson(
                kind="visitor",
                family_name="VAN DER " + unbroken(100),
                given_names="Pieter",
                company=unbroken(lengths.company),
                document_type="passport",
                document_number=unbroken(60),
                purpose=unbroken(lengths.purpose),
                host=unbroken(110),
            ),
            valid_from=now - timedelta(hours=1),
            valid_until=now + timedelta(hours=12),
            user=users["sso"],
            now=now,
            signing={"private_key": keys.signing_key(), "key_id": keys.KEY_ID},
        )
        db.session.commit()
        visitor_code = visitor.code
        tampered = crew_code[:-6] + ("AAAAAA" if not crew_code.endswith("AAAAAA") else "BBBBBB")
        for code in (crew_code, visitor_code, tampered):
            _scan(users["watch"], code, now)
        add_entry(
            db.session,
            family_name=unbroken(110),
            given_names="Ivan",
            document_number=unbroken(60),
            reason=unbroken(250),
            user=users["sso"],
            now=now,
        )
        record_declaration(
            db.session,
            level=1,
            ship_party_name=unbroken(110),
            ship_party_role="sso",
            port_party_name=unbroken(110),
            port_facility=FACILITY,
            reason=unbroken(250),
            measures=unbroken(1000),
            valid_from=now - timedelta(hours=1),
            valid_until=now + timedelta(days=1),
            signed_at=now - timedelta(hours=1),
            user=users["sso"],
            now=now,
        )
        set_level(
            db.session,
            level=1,
            reason=unbroken(250),
            ordered_by="company",
            notified_at=now - timedelta(minutes=5),
            complied_at=now,
            user=users["sso"],
            now=now,
        )


def _open_call_at_facility(sso: User, now) -> None:
    """Close the starting port call and open one at the PFSO's facility, as the SSO does."""
    for call in db.session.scalars(select(PortCall).where(PortCall.departed_at.is_(None))):
        close_port_call(db.session, call.id, departed_at=now - timedelta(hours=3), now=now)
    open_port_call(
        db.session,
        port_name="Rotterdam",
        unlocode="NLRTM",
        facility_name=FACILITY,
        pfso_name="Anna de Vries",
        pfso_contact=unbroken(190),
        berth=unbroken(110),
        arrived_at=now - timedelta(hours=2),
        departs_at=now + timedelta(days=2),
        port_security_level=1,
        timezone="Europe/Amsterdam",
        user=sso,
        now=now,
    )


def _scan(watch: User, code: str, now) -> None:
    """Record one scan at the main gangway as the watch's tablet would."""
    record_scan(
        db.session,
        ScanInput(code=code, access_point="MAIN-GW", direction="board"),
        user=watch,
        now=now,
        public_keys=keys.public_keys(),
    )
