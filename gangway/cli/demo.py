"""`gangway seed-demo`: a ship in port with crew, visitors, access points and one user per role.

Idempotent: a second run changes nothing and prints the logins saved by the first.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from gangway import keys
from gangway.db.models import AccessPoint, Person, PortCall, Ship, ShipParticulars
from gangway.db.types import utcnow
from gangway.domain.ship.plan import LEVELS, OpenLevels
from gangway.extensions import db
from gangway.render.badge_images import write_badge_qr
from gangway.services.accounts.accounts import create_user
from gangway.services.people.badges import PERMANENT_VALIDITY, issue_badge
from gangway.services.ship.ship import current_ship

LOGINS_FILE = "demo-logins.txt"
CREW = [
    ("HANSEN", "Erik", "Master", "NOR"),
    ("SANTOS", "Maria", "Chief Officer", "PHL"),
    ("KOWALSKI", "Piotr", "Second Officer", "POL"),
    ("REYES", "Jose", "Third Officer", "PHL"),
    ("MEIER", "Anna", "Chief Engineer", "DEU"),
    ("OKAFOR", "Chinedu", "Second Engineer", "NGA"),
    ("IVANOV", "Dmitri", "Third Engineer", "UKR"),
    ("DUBOIS", "Luc", "Electro-Technical Officer", "FRA"),
    ("DELA CRUZ", "Ramon", "Bosun", "PHL"),
    ("GARCIA", "Miguel", "Able Seaman", "PHL"),
    ("NGUYEN", "Van An", "Able Seaman", "VNM"),
    ("SILVA", "Joao", "Able Seaman", "BRA"),
    ("PETROV", "Oleg", "Ordinary Seaman", "UKR"),
    ("MENDOZA", "Carlos", "Ordinary Seaman", "PHL"),
    ("SINGH", "Harpreet", "Oiler", "IND"),
    ("TAN", "Wei", "Oiler", "SGP"),
    ("BAUTISTA", "Rico", "Wiper", "PHL"),
    ("ROSSI", "Giulia", "Chief Cook", "ITA"),
    ("LIM", "Jun", "Messman", "MYS"),
    ("ANDERSEN", "Sofie", "Deck Cadet", "DNK"),
]
PASSENGERS = [
    ("JANSEN", "Eva", "PNR7QX"),
    ("OKONKWO", "Ada", "PNR8RT"),
    ("LINDQVIST", "Sven", "PNR9KL"),
]
VISITORS = [  # family, given, company, badge hours from now (negative: expired)
    ("VAN DIJK", "Pieter", "Rotterdam Ship Agency", 12),
    ("MUELLER", "Jonas", "Harbour Marine Repairs", 8),
    ("COOPER", "Sam", "Quay Stores Ltd", -2),
]


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Load demo data (once) and print the demo logins."""
    logins_path = Path(current_app.instance_path) / LOGINS_FILE
    if current_ship(db.session) is None:
        logins = _seed(utcnow())
        db.session.commit()
        logins_path.write_text("".join(f"{r:<7} {u:<8} {p}\n" for r, u, p in logins))
        logins_path.chmod(0o600)
        click.echo("Demo data loaded.")
    else:
        click.echo("Demo data already present.")
    if logins_path.exists():
        click.echo("Demo logins (role, username, password):\n" + logins_path.read_text())
    click.echo(f"Demo badge QR images: {current_app.config['BADGES_DIR']}/demo/")


def _seed(now):
    """Insert the demo ship, port call, access points, people, badges and users."""
    session = db.session
    session.add(
        Ship(name=current_app.config["SHIP_NAME"], imo_number="9876543", flag_state="Norway")
    )
    call = PortCall(
        port_name="Rotterdam",
        unlocode="NLRTM",
        facility_name="Maasvlakte Terminal",
        arrived_at=now - timedelta(hours=20),
        departs_at=now + timedelta(days=2),
    )
    session.add(call)
    session.add_all(
        [
            AccessPoint(
                code="MAIN-GW", name="Main gangway", kind="gangway", open_levels=OpenLevels(LEVELS)
            ),
            AccessPoint(
                code="AFT-LADDER",
                name="Aft accommodation ladder",
                kind="accommodation_ladder",
                open_levels=OpenLevels((1,)),
            ),
        ]
    )
    logins = []
    for role in ("watch", "sso", "master", "pfso", "admin"):
        password = secrets.token_urlsafe(9)
        user = create_user(session, role, role, password, display_name=f"Demo {role}")
        if role == "pfso":  # the demo PFSO works at the facility of the demo port call
            user.facility_name, user.facility_unlocode = call.facility_name, call.unlocode
        if role == "sso":
            sso = user
        logins.append((role, role, password))
    session.flush()
    session.add(_particulars(now, sso.id))
    signing = {"private_key": keys.signing_key(), "key_id": keys.KEY_ID, "now": now}
    out_dir = Path(current_app.config["BADGES_DIR"]) / "demo"
    for n, (family, given, rank, nat) in enumerate(CREW, start=1):
        person = Person(
            kind="crew",
            family_name=family,
            given_names=given,
            rank=rank,
            nationality=nat,
            document_type="seafarer_id",
            document_number=f"SID{nat}{n:05d}",
        )
        badge = issue_badge(
            session,
            person,
            valid_from=now - timedelta(days=30),
            valid_until=now + PERMANENT_VALIDITY,
            permanent=True,
            **signing,
        )
        write_badge_qr(
            out_dir / f"crew-{n:02d}-{family.lower().replace(' ', '-')}.png",
            badge.code,
            f"{family}, {given}",
            rank,
        )
    for n, (family, given, company, hours) in enumerate(VISITORS, start=1):
        person = Person(
            kind="visitor",
            family_name=family,
            given_names=given,
            company=company,
            document_type="passport",
            document_number=f"P{n:07d}",
        )
        start = now - timedelta(hours=6) if hours > 0 else now - timedelta(hours=10)
        badge = issue_badge(
            session, person, valid_from=start, valid_until=now + timedelta(hours=hours), **signing
        )
        label = "expired" if hours < 0 else "visitor"
        write_badge_qr(
            out_dir / f"{label}-{n:02d}-{family.lower().replace(' ', '-')}.png",
            badge.code,
            f"{family}, {given}",
            f"VISITOR - {company}",
        )
    session.flush()
    for family, given, pnr in PASSENGERS:
        session.add(
            Person(
                kind="passenger",
                family_name=family,
                given_names=given,
                port_call_id=call.id,
                booking_reference=pnr,
                document_type="passport",
                document_number=f"PX{pnr}",
            )
        )
        write_badge_qr(
            out_dir / f"boarding-pass-{family.lower()}.png",
            _bcbp(family, given, pnr, now),
            f"{family}, {given}",
            f"BOARDING PASS {pnr}",
        )
    session.add(
        Person(
            kind="authority",
            family_name="DE VRIES",
            given_names="Kees",
            authority_role="pilot",
            company="Rotterdam Pilots",
            purpose="Pilot",
            document_type="authority_id",
            document_number="LOODS-4711",
        )
    )
    return logins


def _particulars(now, user_id: int) -> ShipParticulars:
    """The demo ship's particulars; its ISSC expires in 25 days, so the SSO sees the band."""
    return ShipParticulars(
        imo_number="9876543", name=current_app.config["SHIP_NAME"], port_of_registry="Bergen",
        flag_state="Norway", ship_type="Ro-ro passenger ship", call_sign="LADM3",
        inmarsat_numbers="425 812 345", gross_tonnage=31500, company_name="Demo Line AS",
        company_imo_number="5912345", cso_name="Ingrid Solberg",
        cso_contact="+47 55 00 00 00 (24 h), cso@demoline.example", certificate_kind="issc",
        certificate_issuer="DNV on behalf of Norway",
        certificate_expires_on=(now + timedelta(days=25)).date(), ssp_approved_on_board=True,
        recorded_at=now, recorded_by_id=user_id,
    )  # fmt: skip


def _bcbp(family: str, given: str, pnr: str, now) -> str:
    """A mobile boarding pass text (IATA BCBP, one leg) as a ferry would issue it: Rotterdam to
    Hull today (a pass for another day or route is refused: domain/pass_validity.py)."""
    name = f"{family}/{given}".upper()[:20].ljust(20)
    return f"M1{name}E{pnr:<7}RTMHULP&O0021 {now:%j}Y001A0001 100"
