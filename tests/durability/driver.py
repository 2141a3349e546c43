"""What the durability tests drive: an instance folder, HTTP clients, checks of the database."""

from __future__ import annotations

import http.client
import json
import socket
import sqlite3
import sys
from contextlib import closing
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

GANGWAY = str(Path(sys.executable).parent / "gangway")
ACCESS_POINT = "MAIN-GW"
# Transport failures that mean "no answer": the outcome of that request is unknown.
NO_ANSWER = (OSError, http.client.HTTPException)


@dataclass(frozen=True)
class Instance:
    """An instance folder with a migrated SQLite database, crew badges and a watch's token."""

    folder: Path
    token: str
    codes: tuple[str, ...]

    @property
    def db_path(self) -> Path:
        return self.folder / "gangway.sqlite"


def build_instance(folder: Path, *, crew: int = 16) -> Instance:
    """Create the schema, a ship in port, crew with badges, and a watch's API token."""
    from gangway import create_app
    from gangway.dbtypes import utcnow
    from gangway.extensions import db
    from gangway.keys import KEY_ID, signing_key
    from gangway.models import AccessPoint, Person, PortCall, Ship
    from gangway.services.accounts import create_token, create_user
    from gangway.services.badges import issue_badge

    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'gangway.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url}, instance_path=folder)
    now = utcnow()
    with app.app_context():
        db.create_all()  # the models, as the other tests build them (migrations == models)
        # No random searches: every crew scan is decided and written at once.
        db.session.add(Ship(name="MV Durable", search_percent_1=0))
        db.session.add(PortCall(port_name="Rotterdam", arrived_at=now - timedelta(days=1)))
        db.session.add(AccessPoint(code=ACCESS_POINT, name="Main gangway"))
        user = create_user(db.session, "watch", "watch", "x" * 12, hash_method="pbkdf2:sha256:1")
        people = [Person(kind="crew", family_name=f"CREW{i}", given_names="A") for i in range(crew)]
        db.session.add_all(people)
        db.session.flush()
        codes = tuple(
            issue_badge(
                db.session,
                p,
                valid_from=now - timedelta(days=1),
                valid_until=now + timedelta(days=30),
                private_key=signing_key(),
                key_id=KEY_ID,
                now=now,
            ).code
            for p in people
        )
        token = create_token(db.session, user, "durability")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return Instance(folder, token, codes)


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One keep-alive HTTP connection to the server, authenticated by the bearer token."""

    def __init__(self, port: int, token: str, *, timeout: float = 15):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        """Send one request; return (status, JSON body). Raises NO_ANSWER on a dead server."""
        data = json.dumps(body).encode() if body is not None else None
        try:
            self.conn.request(method, path, body=data, headers=self.headers)
            response = self.conn.getresponse()
            raw = response.read()
        except NO_ANSWER:
            self.conn.close()
            raise
        try:
            return response.status, json.loads(raw)
        except ValueError:
            return response.status, {"raw": raw.decode(errors="replace")}

    def scan(self, code: str, purpose: str) -> tuple[int, dict]:
        """Board a badge holder at the main gangway, tagging the record with `purpose`."""
        body = {"code": code, "access_point": ACCESS_POINT, "direction": "board"}
        return self.request("POST", "/api/v1/scans", {**body, "purpose": purpose})

    def close(self) -> None:
        self.conn.close()


def stored_purposes(db_path: Path) -> dict[str, str]:
    """Return {record id: purpose} of every movement and refusal in the database file."""
    with closing(sqlite3.connect(db_path)) as conn:
        rows = conn.execute(
            "SELECT 'm-' || id, purpose FROM movement UNION ALL SELECT 'r-' || id, purpose "
            "FROM refusal"
        ).fetchall()
    return dict(rows)


def integrity(db_path: Path) -> str:
    """Return SQLite's `PRAGMA integrity_check` verdict ("ok" when the file is sound)."""
    with closing(sqlite3.connect(db_path)) as conn:
        return "\n".join(r[0] for r in conn.execute("PRAGMA integrity_check"))


def aboard_pointer_mismatches(db_path: Path) -> list[tuple]:
    """Return crew whose presence pointer is not their latest boarding (a half-written scan)."""
    with closing(sqlite3.connect(db_path)) as conn:
        return conn.execute(
            "SELECT p.id, p.aboard_movement_id, max(m.id) FROM person p "
            "JOIN movement m ON m.person_id = p.id GROUP BY p.id "
            "HAVING p.aboard_movement_id IS NOT max(m.id)"
        ).fetchall()
