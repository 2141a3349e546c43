"""An instance folder ready for scan traffic, built for the benchmarks and the crash tests.

A ship in port, one gangway, a watch with an API token, crew with signed badges and, for the
benchmarks, a history of movements. bench/scan_bench.py, bench/scan_guard_bench.py,
bench/scan_load_data.py and tests/durability/driver.py build it; the app never imports it.

The schema and the few ORM rows come from the app (create_all, create_user, issue_badge,
create_token); the movements go in through sqlite3's executemany in one transaction, journal
off (~10-20 s for a million rows with the app's indexes), then ANALYZE.
"""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import Flask

from gangway import create_app
from gangway.db.models import AccessPoint, Person, PortCall, Ship
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.keys import KEY_ID, signing_key
from gangway.services.accounts.accounts import create_token, create_user
from gangway.services.people.badges import issue_badge

ACCESS_POINT = "GW"
CALL_DAYS = 12  # a port call every 12 days, 10 of them alongside; the last one is still open
BATCH = 100_000


@dataclass(frozen=True)
class ScanInstance:
    """An instance folder with its SQLite database, crew badges and a watch's token."""

    folder: Path
    token: str
    codes: tuple[str, ...]  # one badge per crew member, in person order
    user_id: int
    person_ids: tuple[int, ...]
    call_ids: tuple[int, ...]  # oldest first

    @property
    def db_path(self) -> Path:
        return self.folder / "gangway.sqlite"

    def create_app(self) -> Flask:
        """Return the app on this instance's database."""
        return _app(self.folder)


def _app(folder: Path) -> Flask:
    url = f"sqlite:///{folder / 'gangway.sqlite'}"
    return create_app({"SQLALCHEMY_DATABASE_URI": url}, instance_path=folder)


def build_scan_instance(
    folder: Path, *, crew: int = 16, port_calls: int = 1, movements: int = 0
) -> ScanInstance:
    """Create the schema, a ship, the gangway, port calls, a watch's token and badged crew.

    `movements` old movements follow, from the first call's arrival to two days ago.
    """
    folder.mkdir(parents=True, exist_ok=True)
    app = _app(folder)
    now = utcnow()
    start = now - timedelta(days=CALL_DAYS * max(port_calls, 1))
    with app.app_context():
        db.create_all()  # the models, as the tests build them (migrations == models)
        # No random searches: every crew scan is decided and written at once.
        db.session.add(Ship(name="MV Scan", search_percent_1=0))
        db.session.add(AccessPoint(code=ACCESS_POINT, name="Main gangway"))
        calls = [
            PortCall(
                port_name=f"Port {i}",
                arrived_at=start + timedelta(days=CALL_DAYS * i),
                departed_at=start + timedelta(days=CALL_DAYS * i + 10)
                if i < port_calls - 1
                else None,
            )
            for i in range(port_calls)
        ]
        db.session.add_all(calls)
        user = create_user(db.session, "watch", "watch", "x" * 12, hash_method="pbkdf2:sha256:1")
        people = [Person(kind="crew", family_name=f"CREW{i}", given_names="A") for i in range(crew)]
        db.session.add_all(people)
        db.session.flush()
        codes = tuple(
            issue_badge(
                db.session,
                p,
                valid_from=now - timedelta(days=1),
                valid_until=now + timedelta(days=365),
                private_key=signing_key(),
                key_id=KEY_ID,
                now=now,
            ).code
            for p in people
        )
        token = create_token(db.session, user, "scanner")
        db.session.commit()
        ids = (user.id, tuple(p.id for p in people), tuple(c.id for c in calls))
        db.session.remove()
        db.engine.dispose()
    instance = ScanInstance(folder, token, codes, *ids)
    if movements:
        insert_movements(instance, movements, start=start, end=now - timedelta(days=2))
    return instance


def insert_movements(instance: ScanInstance, count: int, *, start: datetime, end: datetime):
    """Insert `count` movements from start to end, random crew boarding and leaving in turn.

    Each lands in the port call of its 12 days (none without calls); the badge is the person's
    (badges are issued in person order, so badge id == person id).
    """
    rnd = random.Random(1)
    people, calls = instance.person_ids, instance.call_ids
    step = (end - start).total_seconds() / count
    sql = (
        "INSERT INTO movement (person_id, badge_id, direction, occurred_at, access_point_id, "
        "port_call_id, method, credential, searched, flags, recorded_by_id) "
        "VALUES (?, ?, ?, ?, 1, ?, 'scan', 'badge', 0, '', ?)"
    )

    def rows(first: int, last: int):
        for i in range(first, last):
            at = start + timedelta(seconds=i * step)
            person = people[rnd.randrange(len(people))]
            bucket = min(int(i * step // (CALL_DAYS * 86400)), len(calls) - 1)
            call = calls[bucket] if calls else None
            direction = "board" if i % 2 == 0 else "depart"
            stamp = at.strftime("%Y-%m-%d %H:%M:%S.%f")
            yield (person, person, direction, stamp, call, instance.user_id)

    with closing(sqlite3.connect(instance.db_path)) as conn:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        for first in range(0, count, BATCH):
            conn.executemany(sql, rows(first, min(first + BATCH, count)))
        # Presence as those movements give it (the scan path checks it: services/audit_guard).
        conn.execute(
            "UPDATE person SET aboard_movement_id = (SELECT m.id FROM movement m "
            "WHERE m.id = (SELECT max(id) FROM movement WHERE person_id = person.id) "
            "AND m.direction = 'board')"
        )
        conn.commit()
        conn.execute("ANALYZE")
        conn.commit()
        conn.execute("PRAGMA journal_mode=WAL")
