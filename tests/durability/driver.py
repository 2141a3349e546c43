"""What the durability tests drive: an instance folder, HTTP clients, checks of the database.

The instance is tests.support.scan_instance's, the one the scan benchmarks build too.
"""

from __future__ import annotations

import http.client
import json
import socket
import sqlite3
import sys
import uuid
from contextlib import closing
from pathlib import Path

from tests.support.scan_instance import ACCESS_POINT, build_scan_instance
from tests.support.scan_instance import ScanInstance as Instance

GANGWAY = str(Path(sys.executable).parent / "gangway")
# Transport failures that mean "no answer": the outcome of that request is unknown.
NO_ANSWER = (OSError, http.client.HTTPException)


def build_instance(folder: Path, *, crew: int = 16) -> Instance:
    """Create the schema, a ship in port, crew with badges, and a watch's API token."""
    return build_scan_instance(folder, crew=crew)


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

    def scan(self, code: str, tag: str) -> tuple[int, dict]:
        """Board a badge holder at the main gangway, the record keyed by `tag` (tag_key)."""
        body = {"code": code, "access_point": ACCESS_POINT, "direction": "board"}
        return self.request("POST", "/api/v1/scans", {**body, "client_key": tag_key(tag)})

    def close(self) -> None:
        self.conn.close()


def tag_key(tag: str) -> str:
    """Return the idempotency key a scan tagged `tag` is sent with (a crew boarding carries no
    purpose to tag it with; the key is kept with the record)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"gangway-test:{tag}"))


def stored_tags(db_path: Path) -> dict[str, str]:
    """Return {record id: client_key} of every movement and refusal in the database file."""
    with closing(sqlite3.connect(db_path)) as conn:
        rows = conn.execute(
            "SELECT 'm-' || id, client_key FROM movement UNION ALL SELECT 'r-' || id, client_key "
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
