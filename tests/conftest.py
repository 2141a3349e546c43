"""Shared fixtures: an app on a fresh database per test, clients, logins and factories.

The database is SQLite in the test's temp folder (a copy of a schema built once per process:
create_all per test cost more than most tests), or the PostgreSQL server named by
GANGWAY_TEST_DATABASE_URL (scripts/with-postgres.sh starts a throwaway one), one database per
pytest-xdist worker.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gangway import create_app
from gangway.db.models import AccessPoint, Person, PortCall, Ship, User
from gangway.extensions import db
from gangway.keys import KEY_ID, signing_key
from gangway.services.accounts.accounts import create_user
from gangway.services.people.badges import issue_badge
from tests.support.postgres_schema import empty_tables, postgres_url, reset_schema
from tests.support.url_rules import compile_rules_once

PASSWORD = "correct horse battery"
FAST_HASH = "pbkdf2:sha256:1000"  # scrypt takes ~0.2 s a hash; tests hash hundreds of times
NOW = datetime.now(UTC).replace(microsecond=0)
compile_rules_once()  # an app per test: each URL rule's builder compiled once per process


def database_url(tmp_path) -> str:
    """Return the test database: the PostgreSQL server if one is given, else a temp SQLite file."""
    return postgres_url() or f"sqlite:///{tmp_path / 't.sqlite'}"


_schema_template: list[Path] = []


def sqlite_schema_template() -> Path:
    """Build the schema and starting rows once per process; each test's database is a copy."""
    if not _schema_template:
        folder = Path(tempfile.mkdtemp(prefix="gangway-schema-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "schema.sqlite"
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                "SECRET_KEY": "x" * 40,
            },
            instance_path=folder / "instance",
        )
        with app.app_context():
            db.create_all()
            add_ship_in_port()
        dispose(app)  # closing the last connection checkpoints the WAL into the file
        _schema_template.append(path)
    return _schema_template[0]


def build_app(tmp_path, **overrides):
    """Create an app on a fresh schema holding a ship in port with two access points."""
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
        "BADGES_DIR": str(tmp_path / "badges"),
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret-key-not-for-production",
        **overrides,
    }
    url = config["SQLALCHEMY_DATABASE_URI"]
    path = Path(url.removeprefix("sqlite:///"))
    if url.startswith("sqlite:///") and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sqlite_schema_template(), path)
        return create_app(config, instance_path=tmp_path / "instance")
    app = create_app(config, instance_path=tmp_path / "instance")
    with app.app_context():
        if not empty_tables():
            reset_schema()
        add_ship_in_port()
    return app


def add_ship_in_port():
    """The rows every test starts from: a ship in port with two access points."""
    # No random searches unless a test asks for them: verdicts must not depend on chance.
    db.session.add(
        Ship(
            name="MV Test Ship",
            imo_number="9000001",
            search_percent_1=0,
            search_percent_2=0,
            search_percent_3=0,
        )
    )
    db.session.add(
        PortCall(port_name="Rotterdam", unlocode="NLRTM", arrived_at=NOW - timedelta(days=1))
    )
    db.session.add_all(
        [
            AccessPoint(code="MAIN-GW", name="Main gangway", kind="gangway", open_at_3=True),
            AccessPoint(code="AFT-LADDER", name="Aft ladder", kind="accommodation_ladder"),
        ]
    )
    db.session.commit()


def dispose(app):
    """Close pooled connections: unclosed SQLite handles warn, and warnings fail tests."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(tmp_path):
    app = build_app(tmp_path)
    yield app
    dispose(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def hx(app):
    """A client that sends HX-Request like htmx does."""
    client = app.test_client()
    client.environ_base["HTTP_HX_REQUEST"] = "true"
    return client


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    def make(role: str = "watch", username: str | None = None, password: str = PASSWORD) -> User:
        with app.app_context():
            user = create_user(
                db.session, username or role, role, password, f"Test {role}", hash_method=FAST_HASH
            )
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


class AuthActions:
    """Log a test client in and out as a given role (creating the user on first use)."""

    def __init__(self, app, client):
        self._app, self._client = app, client

    def login(self, role: str = "watch", *, point: str | None = "MAIN-GW"):
        with self._app.app_context():
            if not db.session.scalars(db.select(User).where(User.username == role)).first():
                create_user(db.session, role, role, PASSWORD, f"Test {role}", hash_method=FAST_HASH)
                db.session.commit()
        response = self._client.post("/login", data={"username": role, "password": PASSWORD})
        assert response.status_code == 302, "login failed"
        if point and role in ("watch", "sso", "master"):
            self._client.post("/watch/access-point", data={"access_point": point})
        return response

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(app, client):
    return AuthActions(app, client)


@pytest.fixture
def make_person(app):
    def make(kind: str = "crew", family: str = "HANSEN", given: str = "Erik", **fields) -> int:
        with app.app_context():
            person = Person(kind=kind, family_name=family, given_names=given, **fields)
            db.session.add(person)
            db.session.commit()
            return person.id

    return make


@pytest.fixture
def make_badge(app, make_person):
    """Issue a badge and return its code; by default a crew member's, valid now."""

    def make(
        person_id: int | None = None,
        *,
        kind: str = "crew",
        valid_from=None,
        valid_until=None,
        revoked: bool = False,
    ) -> str:
        person_id = person_id or make_person(kind=kind)
        with app.app_context():
            badge = issue_badge(
                db.session,
                db.session.get(Person, person_id),
                valid_from=valid_from or NOW - timedelta(days=1),
                valid_until=valid_until or NOW + timedelta(days=30),
                private_key=signing_key(),
                key_id=KEY_ID,
                now=NOW,
            )
            if revoked:
                badge.revoked_at, badge.revoked_reason = NOW - timedelta(minutes=5), "lost"
            db.session.commit()
            return badge.code

    return make
