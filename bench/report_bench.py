"""End-of-port-call report with 100,000 movements in one call: HTML, CSV zip and PDF.

Baseline, measured in the same run: the raw SELECT of the call's movement rows (the same columns
the report reads, no row objects), which every form of the report has to pay at least once.
Peak memory is the process's maximum resident set size (ru_maxrss) after each step.
Usage: .venv/bin/python bench/report_bench.py [--movements 100000] [--people 2000]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from gangway import create_app
from gangway.extensions import db
from gangway.models import AccessPoint, Movement, Person, PortCall, Ship
from gangway.reports.csv_zip import render_csv_zip
from gangway.reports.html import render_report_html
from gangway.reports.pdf import render_report_pdf
from gangway.services.accounts import create_user
from gangway.services.port_call_report import build_report, signature_state

GOALS = {"html": 2.0, "csv": 1.0, "pdf": 10.0}  # seconds, end to end (build + render)
MEMORY_GOAL_MB = 300


def setup(tmp: Path, movements: int, people: int):
    """Build an app with one port call holding `movements` movements of `people` persons."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'b.sqlite'}", "SECRET_KEY": "x" * 32},
        instance_path=tmp,
    )
    start = datetime(2026, 5, 1, tzinfo=UTC)
    with app.app_context():
        db.create_all()
        db.session.add_all([Ship(name="MV Bench"), AccessPoint(code="GW", name="Gangway")])
        db.session.add(PortCall(port_name="Rotterdam", unlocode="NLRTM", arrived_at=start))
        user = create_user(db.session, "bench", "sso", "benchmark-password")
        db.session.flush()
        kinds = ("crew", "visitor", "contractor", "passenger")
        db.session.execute(insert(Person), [
            {"kind": kinds[i % 4], "family_name": f"PERSON{i}", "given_names": "A",
             "purpose": "Stores" if i % 4 == 1 else None, "is_responder": False,
             "is_enabled": True} for i in range(people)])  # fmt: skip
        rows = [
            {"person_id": 1 + i % people, "direction": "board" if (i // people) % 2 == 0
             else "depart", "occurred_at": start + timedelta(seconds=3 * i),
             "access_point_id": 1, "port_call_id": 1, "method": "scan", "flags": "",
             "credential": "badge", "searched": i % 10 == 0, "purpose": "Stores" if i % 4 == 1
             else None, "recorded_by_id": user.id} for i in range(movements)
        ]  # fmt: skip
        for first in range(0, movements, 20_000):
            db.session.execute(insert(Movement), rows[first : first + 20_000])
        db.session.commit()
    return app


def timed(fn):
    """Run fn once; return (seconds, result, peak RSS in MB so far)."""
    begin = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - begin
    return seconds, result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--movements", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = setup(Path(tmp), args.movements, args.people)
        with app.test_request_context():  # render_template needs a request for url_for
            query = select(Movement.id, Movement.occurred_at, Movement.direction,
                           Movement.person_id).where(Movement.port_call_id == 1)  # fmt: skip
            db.session.connection().execute(query).all()  # warm SQLite's page cache
            base = timed(lambda: len(db.session.connection().execute(query).all()))
            build = timed(lambda: build_report(db.session, 1))
            report = build[1]
            state = signature_state(db.session, 1, report=report)
            renders = {
                "html": timed(lambda: render_report_html(report, state, can_sign=True)),
                "csv": timed(lambda: render_csv_zip(report)),
                "pdf": timed(lambda: render_report_pdf(report)),
            }
            db.session.remove()
            db.engine.dispose()
    print(f"{args.movements:,} movements in one port call, {args.people:,} persons, SQLite")
    print("| step | render s | end to end s (+ build_report) | goal (end to end) | output "
          "| peak RSS MB |\n|---|---:|---:|---:|---:|---:|")  # fmt: skip
    print(f"| baseline: raw SELECT of the movements (Core) | {base[0]:.2f} | — | — | "
          f"{base[1]:,} rows | {base[2]:.0f} |")  # fmt: skip
    print(f"| build_report: load + aggregate + hash | — | {build[0]:.2f} | — | "
          f"{len(report.movements):,} rows | {build[2]:.0f} |")  # fmt: skip
    for name, (seconds, output, rss) in renders.items():
        total = seconds + build[0]
        verdict = "ok" if total < GOALS[name] else "OVER"
        print(f"| {name} | {seconds:.2f} | {total:.2f} | < {GOALS[name]:g} s {verdict} | "
              f"{len(output) / 1e6:.1f} MB | {rss:.0f} |")  # fmt: skip
    peak = max(r[2] for r in renders.values())
    print(f"Peak RSS {peak:.0f} MB (goal < {MEMORY_GOAL_MB} MB: "
          f"{'ok' if peak < MEMORY_GOAL_MB else 'OVER'})")  # fmt: skip


if __name__ == "__main__":
    main()
