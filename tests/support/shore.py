"""The shore server in tests: a real PostgreSQL, ships of the fleet, chains as a ship sends them.

Shore tests are marked `shore`: scripts/test.sh runs them in its PostgreSQL phase only. Without
GANGWAY_TEST_DATABASE_URL they skip, and under CI=true they fail (a green run ran them).
"""

from __future__ import annotations

import gzip
import json
import os
from datetime import UTC, datetime, timedelta
from itertools import count

import pytest

from gangway.db.types import utcnow
from gangway.domain.records.audit_chain import canonical_json, digest, entry_hash, next_entry
from gangway.domain.shore.ships import WEIGHTS
from gangway.extensions import db
from gangway.services.shore.ships import add_ship
from tests.conftest import build_app, dispose, postgres_url

AT = datetime(2026, 12, 7, 10, 0, 0, 123456, tzinfo=UTC)
FIELDS = ["direction", "id", "person_id"]
# A ship's status as its sender reports it with a batch (what the fleet page shows).
SHIP_STATUS = {
    "security_level": 2,
    "level_since": "2026-12-07T08:00:00.000000Z",
    "port_call": {"port_name": "Rotterdam", "unlocode": "NLRTM", "timezone": "Europe/Amsterdam"},
    "on_board": {"crew": 20, "visitor": 3},
    "refusals_open": 2,
    "overstaying": 1,
    "records_waiting": 40,
}
_numbers = count(100_001)


def require_postgres() -> None:
    """Skip without a PostgreSQL server to test on; fail under CI, where one must be there."""
    if postgres_url():
        return
    message = "shore tests need PostgreSQL: run them under scripts/with-postgres.sh"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def shore_app(tmp_path, **config):
    """Build the shore server's app on the test PostgreSQL (empty tables)."""
    require_postgres()
    return build_app(tmp_path, SHORE=True, **config)


def imo_with_check(number: int) -> str:
    """Return the IMO number whose first six digits are `number`, with its right check digit."""
    first = f"{number:06d}"
    check = sum(int(d) * w for d, w in zip(first, WEIGHTS, strict=True)) % 10
    return f"{first}{check}"


def new_imo() -> str:
    """Return an IMO number not used yet in this process, with its right check digit."""
    return imo_with_check(next(_numbers))


def add_test_ship(app, name: str = "MV Shore Test") -> tuple[str, str]:
    """Add a ship of the fleet; return its IMO number and link token."""
    imo = new_imo()
    with app.app_context():
        _, token = add_ship(db.session, imo, name, utcnow())
    return imo, token


def chain(n: int, start: int = 1, head: tuple[int, str] | None = None) -> list[dict]:
    """Return n wire entries from `start` after `head`: movements, every third a failed login."""
    out = []
    for seq in range(start, start + n):
        at = AT + timedelta(seconds=seq)
        if seq % 3:
            row = {"id": seq, "direction": "board", "person_id": 7, "person_name": "HANSEN"}
            e = row_entry(head, "movement.recorded", "movement", row, FIELDS, at)
        else:
            e = event_entry(head, "login.failed", {"username": f"user{seq}"}, at)
        out.append(e)
        head = (e["seq"], e["entry_hash"])
    return out


def row_entry(head, kind: str, table: str, row: dict, fields, at: datetime) -> dict:
    """Return the wire entry after `head` of a record row: its digest over `fields`, its content."""
    value = digest({f: row[f] for f in fields})
    e = next_entry(head, kind, table, row["id"], value, at)
    return _wire(e) | {"payload": None, "fields": list(fields), "content": row}


def event_entry(head, kind: str, data: dict, at: datetime) -> dict:
    """Return the wire entry after `head` of an event that is not a row: its data as payload."""
    e = next_entry(head, kind, None, None, digest(data), at)
    return _wire(e) | {"payload": canonical_json(data).decode(), "fields": None, "content": None}


def sent_records(records: list[tuple[str, dict]], now: datetime) -> list[dict]:
    """Return (table, content) records as a ship sends them: chained entries a minute apart
    ending ten minutes before `now`, each digest over its whole content."""
    out, head = [], None
    for i, (table, content) in enumerate(records):
        at = now - timedelta(minutes=10 - i)
        e = next_entry(head, f"{table}.recorded", table, content["id"], digest(content), at)
        out.append(_wire(e) | {"payload": None, "fields": None, "content": content})
        head = (e.seq, e.entry_hash)
    return out


def shore_holding(tmp_path, records: list[tuple[str, dict]], ship: str = "MV Aurora", **config):
    """Return a shore app (CSRF on) holding one ship that sent these (table, content) records."""
    app = shore_app(tmp_path, WTF_CSRF_ENABLED=True, **config)
    imo, token = add_test_ship(app, ship)
    answer = send(app.test_client(), token, batch(imo, sent_records(records, utcnow())))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return app


def rewritten(entries: list[dict], at_seq: int, prev: str) -> list[dict]:
    """Return the entries from `at_seq` on as a chain rewritten on board: the record at
    `at_seq` changed, every hash recomputed from there (as a forger with the database would)."""
    out = []
    for e in entries:
        if e["seq"] < at_seq:
            continue
        e = dict(e, prev_hash=prev)
        if e["seq"] == at_seq and e["content"] is not None:
            e["content"] = dict(e["content"], direction="leave")
            e["digest"] = digest({f: e["content"][f] for f in e["fields"]})
        at = datetime.fromisoformat(e["recorded_at"])
        fields = (e["kind"], e["record_table"], e["record_id"], e["digest"], at)
        e["entry_hash"] = prev = entry_hash(prev, e["seq"], *fields)
        out.append(e)
    return out


def _wire(e) -> dict:
    return {
        "seq": e.seq,
        "kind": e.kind,
        "record_table": e.record_table,
        "record_id": e.record_id,
        "digest": e.digest,
        "prev_hash": e.prev_hash,
        "entry_hash": e.entry_hash,
        "recorded_at": e.recorded_at.isoformat(timespec="microseconds").replace("+00:00", "Z"),
    }


def batch(imo: str, entries: list[dict], **status) -> dict:
    return {"protocol": 1, "imo": imo, "entries": entries, "status": status or None}


def gz(body) -> bytes:
    return gzip.compress(json.dumps(body).encode())


def send(client, token: str, body=None, *, raw: bytes | None = None, headers=None):
    """POST a batch as the ship's sender does: gzip JSON with the ship's link token."""
    sent = {"Authorization": f"Bearer {token}", "Content-Encoding": "gzip"} | (headers or {})
    data = raw if raw is not None else gz(body)
    return client.post(
        "/api/v1/shore/batches", data=data, headers=sent, content_type="application/json"
    )


def head(client, token: str) -> dict:
    answer = client.get("/api/v1/shore/head", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


__all__ = ["dispose"]
