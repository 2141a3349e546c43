"""The `gangway` command line: schema, users, tokens, demo data."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from gangway.db.models import AccessPoint, Badge, Person, User
from gangway.extensions import db
from gangway.imaging.decode import decode_image
from gangway.services.accounts.signed_in import user_for_token
from tests.conftest import reset_schema


def test_create_user_reads_the_password_from_stdin_and_hashes_it_with_scrypt(app, runner):
    result = runner.invoke(
        args=["create-user", "alice", "--role", "sso", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == "alice")).one()
        assert user.role == "sso"
        assert user.password_hash.startswith("scrypt:")


def test_a_pfso_is_created_with_their_facility_and_never_without(app, runner):
    args = ["create-user", "pia", "--role", "pfso", "--password-stdin"]
    missing = runner.invoke(args=args, input="a long enough password\n")
    assert missing.exit_code != 0
    assert "port facility" in missing.output
    given = args + ["--facility", "Euromax", "--unlocode", "nlrtm"]
    assert runner.invoke(args=given, input="a long enough password\n").exit_code == 0
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == "pia")).one()
        assert (user.facility_name, user.facility_unlocode) == ("Euromax", "NLRTM")


def test_create_user_refuses_a_short_password_and_an_unknown_role(app, runner):
    short = runner.invoke(
        args=["create-user", "bob", "--role", "watch", "--password-stdin"], input="short\n"
    )
    assert short.exit_code != 0
    assert "at least" in short.output
    wrong = runner.invoke(
        args=["create-user", "bob", "--role", "captain", "--password-stdin"], input="x" * 12
    )
    assert wrong.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_token_prints_a_token_that_authenticates(app, runner, make_user):
    make_user("watch")
    result = runner.invoke(args=["create-token", "watch"])
    token = result.output.strip()
    assert result.exit_code == 0
    assert token.startswith("gw_")
    with app.app_context():
        assert user_for_token(db.session, token).username == "watch"


def test_seed_demo_loads_a_ship_crew_badges_and_users_once(app, runner, tmp_path):
    with app.app_context():  # the fixture's ship would make seeding a no-op: start empty
        reset_schema()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "watch" in first.output
    assert "sso" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert "already present" in second.output
    with app.app_context():
        crew = db.session.scalar(
            select(func.count()).select_from(Person).where(Person.kind == "crew")
        )
        assert crew == 20
        assert db.session.scalar(select(func.count()).select_from(AccessPoint)) == 2
        assert db.session.scalar(select(func.count()).select_from(Badge)) >= 20
        assert {u.role for u in db.session.scalars(select(User))} == {
            "watch",
            "sso",
            "master",
            "pfso",
            "admin",
        }
    images = list((Path(app.config["BADGES_DIR"]) / "demo").glob("crew-*.png"))
    assert len(images) == 20


def test_demo_badge_images_decode_to_valid_badges(app, runner):
    from gangway.imaging.decode import decode_image

    with app.app_context():
        reset_schema()
    runner.invoke(args=["seed-demo"])
    image = sorted((Path(app.config["BADGES_DIR"]) / "demo").glob("crew-*.png"))[0]
    [text] = decode_image(image.read_bytes())
    with app.app_context():
        assert db.session.scalars(select(Badge).where(Badge.code == text)).one()


def test_demo_boarding_pass_images_match_the_demo_manifest(app, runner):
    from gangway.db.types import utcnow
    from gangway.domain.scan.pass_validity import pass_problem
    from gangway.services.scan.credentials import resolve_text
    from gangway.services.scan.pass_rules import PassRules, pass_facts
    from gangway.services.ship.ship import current_port_call_id

    with app.app_context():
        reset_schema()
    runner.invoke(args=["seed-demo"])
    image = Path(app.config["BADGES_DIR"]) / "demo" / "boarding-pass-jansen.png"
    [text] = decode_image(image.read_bytes())
    with app.app_context():
        call_id = current_port_call_id(db.session)
        presented = resolve_text(db.session, text, {}, call_id=call_id)
        assert presented.problem is None
        assert presented.person.family_name == "JANSEN"
        # dated today, Rotterdam to Hull: a pass for this port call
        facts = pass_facts(db.session, presented.boarding_pass, call_id, utcnow(), PassRules())
        assert pass_problem(facts, leaving=False) is None


def test_demo_pfso_sees_the_demo_port_call(app, runner):
    from gangway.db.models import PortCall, User
    from gangway.services.ship.port_calls import port_calls_for

    with app.app_context():
        reset_schema()
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        pfso = db.session.scalars(select(User).where(User.role == "pfso")).one()
        calls = port_calls_for(db.session, pfso)
        assert [c.unlocode for c in calls] == ["NLRTM"]
        assert db.session.scalar(select(func.count()).select_from(PortCall)) == 1
