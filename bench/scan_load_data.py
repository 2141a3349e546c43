"""Build the scan load benchmark's instance: crew with badges, a token, 1,000,000 movements.

The schema and the few ORM rows come from the app (create_all, issue_badge, create_token); the
movements go in through sqlite3's executemany in one transaction, journal off (~10-20 s for a
million rows with the app's indexes), then ANALYZE, as the access log benchmark does.
"""

from __future__ import annotations

import json
import random
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

BATCH = 100_000
CALLS = 10


def build_database(folder: Path, *, movements: int, crew: int) -> None:
    """Write gangway.sqlite, the instance's keys and facts.json (token, badge codes) in folder."""
    from gangway import create_app
    from gangway.extensions import db
    from gangway.keys import KEY_ID, signing_key
    from gangway.models import AccessPoint, Person, PortCall, Ship
    from gangway.services.accounts import create_token, create_user
    from gangway.services.badges import issue_badge

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "gangway.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}, instance_path=folder)
    now = datetime.now(UTC)
    start = now - timedelta(days=12 * CALLS)
    with app.app_context():
        db.create_all()
        # No random searches: every scan is decided and written at once.
        db.session.add(Ship(name="MV Load", imo_number="9999998", search_percent_1=0))
        db.session.add(AccessPoint(code="GW", name="Main gangway"))
        calls = [
            PortCall(
                port_name=f"Port {i}",
                arrived_at=start + timedelta(days=12 * i),
                departed_at=start + timedelta(days=12 * i + 10) if i < CALLS - 1 else None,
            )
            for i in range(CALLS)
        ]
        db.session.add_all(calls)
        user = create_user(db.session, "watch", "watch", "x" * 12, hash_method="pbkdf2:sha256:1")
        people = [Person(kind="crew", family_name=f"CREW{i}", given_names="A") for i in range(crew)]
        db.session.add_all(people)
        db.session.flush()
        codes = [
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
        ]
        token = create_token(db.session, user, "bench")
        db.session.commit()
        ids = {"user": user.id, "people": [p.id for p in people], "calls": [c.id for c in calls]}
        db.session.remove()
        db.engine.dispose()
    _insert_movements(path, movements, start, ids)
    facts = {"token": token, "codes": codes, "movements": movements}
    (folder / "facts.json").write_text(json.dumps(facts))


def _insert_movements(path: Path, count: int, start: datetime, ids: dict) -> None:
    """Insert `count` movements spread over the port calls, each person boarding then leaving."""
    rnd = random.Random(1)
    people, calls = ids["people"], ids["calls"]
    step = (12 * CALLS * 86400 - 2 * 86400) / count
    sql = (
        "INSERT INTO movement (person_id, badge_id, direction, occurred_at, access_point_id, "
        "port_call_id, method, credential, searched, flags, recorded_by_id) "
        "VALUES (?, ?, ?, ?, 1, ?, 'scan', 'badge', 0, '', ?)"
    )

    def rows(first: int, last: int):
        for i in range(first, last):
            at = start + timedelta(seconds=i * step)
            person = people[rnd.randrange(len(people))]
            call = calls[min(int(i * step // (12 * 86400)), len(calls) - 1)]
            direction = "board" if i % 2 == 0 else "depart"
            stamp = at.strftime("%Y-%m-%d %H:%M:%S.%f")
            yield (person, person, direction, stamp, call, ids["user"])  # badge id == person id

    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        for first in range(0, count, BATCH):
            conn.executemany(sql, rows(first, min(first + BATCH, count)))
        conn.commit()
        conn.execute("ANALYZE")
        conn.commit()
        conn.execute("PRAGMA journal_mode=WAL")
