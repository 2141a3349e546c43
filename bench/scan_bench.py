"""Scan latency through the whole app (Flask, auth, decision, SQLite write), single client.

Baseline, measured in the same run: the same requests refused at validation (bad direction),
which pays routing, bearer-token auth and JSON parsing but no decision and no write.
Usage: .venv/bin/python bench/scan_bench.py [--scans 2000] [--history 100000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from gangway import create_app
from gangway.extensions import db
from gangway.keys import KEY_ID, signing_key
from gangway.models import AccessPoint, Movement, Person, Ship, User
from gangway.services.accounts import create_token, create_user
from gangway.services.badges import issue_badge


def setup(tmp: Path, crew: int, history: int):
    """Build an app with badge holders and old movements; return it, the codes and a token."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'b.sqlite'}", "SECRET_KEY": "x" * 32},
        instance_path=tmp,
    )
    now = datetime.now(UTC)
    with app.app_context():
        db.create_all()
        # No random searches: every scan in the timed loop is decided and written.
        db.session.add_all(
            [Ship(name="MV Bench", search_percent_1=0), AccessPoint(code="GW", name="Gangway")]
        )
        user = create_user(db.session, "bench", "watch", "benchmark-password")
        people = [Person(kind="crew", family_name=f"CREW{i}", given_names="A") for i in range(crew)]
        codes = [
            issue_badge(
                db.session,
                p,
                valid_from=now - timedelta(days=1),
                valid_until=now + timedelta(days=9),
                private_key=signing_key(),
                key_id=KEY_ID,
                now=now,
            ).code
            for p in people
        ]
        db.session.flush()
        token = create_token(db.session, user, "bench")
        db.session.commit()
        rows = [
            {
                "person_id": people[i % crew].id,
                "direction": "board" if i % 2 else "depart",
                "occurred_at": now - timedelta(seconds=history - i),
                "access_point_id": 1,
                "method": "scan",
                "flags": "",
                "recorded_by_id": user.id,
            }
            for i in range(history)
        ]
        for start in range(0, history, 20_000):
            db.session.execute(insert(Movement), rows[start : start + 20_000])
        db.session.commit()
        assert db.session.get(User, user.id)
    return app, codes, token


def timed(client, token, bodies) -> list[float]:
    """Post each body and return the latencies in milliseconds."""
    headers = {"Authorization": f"Bearer {token}"}
    out = []
    for body in bodies:
        start = time.perf_counter()
        response = client.post("/api/v1/scans", json=body, headers=headers)
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (201, 400), response.get_data(as_text=True)
    return out


def row(name: str, ms: list[float]) -> str:
    q = statistics.quantiles(ms, n=100)
    return f"| {name} | {len(ms)} | {len(ms) / (sum(ms) / 1000):.0f} | {q[49]:.2f} | {q[98]:.2f} |"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scans", type=int, default=2000)
    parser.add_argument("--history", type=int, default=100_000)
    parser.add_argument("--crew", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app, codes, token = setup(Path(tmp), args.crew, args.history)
        client = app.test_client()
        scans = [
            {
                "code": codes[i % len(codes)],
                "access_point": "GW",
                "direction": "board" if (i // len(codes)) % 2 == 0 else "depart",
            }
            for i in range(args.scans)
        ]
        bad = [{**s, "direction": "sideways"} for s in scans]
        timed(client, token, scans[:50] + bad[:50])  # warm up
        baseline, real = timed(client, token, bad), timed(client, token, scans)
        with app.app_context():
            db.engine.dispose()
    print(
        f"{args.history:,} movements stored, {args.crew} badge holders, one client, "
        "SQLite WAL + synchronous=FULL"
    )
    print("| requests | n | per s | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|")
    print(row("baseline: refused at validation", baseline))
    print(row("scan: decide + write movement", real))


if __name__ == "__main__":
    main()
