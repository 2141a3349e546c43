"""What the scan path's check against the audit chain costs (services/audit_guard.py).

Before deciding, a scan checks the ship row against its latest chain entry and the person's
presence against their movements. Measured on its own, per call, in microseconds: the first
check of each person (their whole history is replayed) and the following ones (only the
movements since; the ship's digest is remembered).
Usage: .venv/bin/python bench/scan_guard_bench.py [--checks 20000] [--history 100000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo: gangway and tests

from gangway.extensions import db  # noqa: E402
from gangway.services.audit import guard as audit_guard  # noqa: E402
from tests.support.scan_instance import build_scan_instance  # noqa: E402


def timed(conn, person_ids) -> list[float]:
    out = []
    for person_id in person_ids:
        start = time.perf_counter()
        audit_guard.check_decision_state(conn, [person_id])
        out.append((time.perf_counter() - start) * 1e6)
    return out


def row(name: str, us: list[float]) -> str:
    q = statistics.quantiles(us, n=100)
    return f"| {name} | {len(us)} | {q[49]:.0f} | {q[98]:.0f} |"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--checks", type=int, default=20_000)
    parser.add_argument("--history", type=int, default=100_000)
    parser.add_argument("--crew", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        instance = build_scan_instance(
            Path(tmp), crew=args.crew, port_calls=0, movements=args.history
        )
        app, people = instance.create_app(), instance.person_ids
        with app.app_context():
            conn = db.session.connection()
            first = timed(conn, people)
            again = timed(conn, [people[i % len(people)] for i in range(args.checks)])
            db.session.rollback()
            db.engine.dispose()
    print(f"{args.history:,} movements stored, {args.crew} badge holders, SQLite")
    print("| check before deciding | n | p50 us | p99 us |\n|---|---:|---:|---:|")
    print(row("first scan of a person (history replayed)", first))
    print(row("later scans (ship digest remembered, movements since)", again))


if __name__ == "__main__":
    main()
