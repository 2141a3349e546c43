"""End-of-port-call report with 100,000 movements in one call: HTML, CSV zip and PDF, and the
job that stores all three when the call is closed.

Baseline, measured in the same run: the raw SELECT of the call's movement rows (the same columns
the report reads, no row objects), which every form of the report has to pay at least once.
End to end is the HTTP request through the test client, logged in as the SSO. Each step runs in
a forked child of the process holding the data, so its peak memory (ru_maxrss) is its own, and
is the best of --repeat runs: wall time, with its CPU time in brackets (the machine is shared:
CPU time varies less).
Usage: .venv/bin/python bench/report_bench.py [--movements 100000] [--people 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from gangway import create_app
from gangway.background.snapshot_job import run_job
from gangway.db.models import AccessPoint, Movement, Person, PortCall, ReportSnapshot, Ship
from gangway.extensions import db
from gangway.render.reports.html import render_report_html
from gangway.render.reports.pdf import render_report_pdf
from gangway.services.accounts.accounts import create_user
from gangway.services.reports.port_call_report import build_report
from gangway.services.reports.sign_off import signature_state
from gangway.services.reports.snapshots import request_snapshot

GOALS = {"html": 2.0, "csv": 1.0, "pdf": 10.0}  # seconds, end to end (build + render)
MEMORY_GOAL_MB = 300


def setup(tmp: Path, movements: int, people: int):
    """Build an app with one port call holding `movements` movements of `people` persons."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'b.sqlite'}",
            "SECRET_KEY": "x" * 32,
            "WTF_CSRF_ENABLED": False,
        },
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
             else None, "recorded_by_id": user.id,
             # the person as the movement recorded them (services/record_snapshots.py)
             "person_family_name": f"PERSON{i % people}", "person_given_names": "A",
             "person_kind": kinds[i % people % 4]} for i in range(movements)
        ]  # fmt: skip
        for first in range(0, movements, 20_000):
            db.session.execute(insert(Movement), rows[first : first + 20_000])
        db.session.commit()
    return app


def timed(fn, repeat: int = 1):
    """Run fn `repeat` times; return (best wall s, its CPU s, last result, peak RSS MB so far)."""
    best = result = None
    for _ in range(repeat):
        result = None  # let the last result go before the next run: one copy in memory
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        best = min(best or (wall, cpu), (wall, cpu))
    return *best, result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_child(app, fn, repeat: int = 1):
    """Run timed(fn) in a forked child, so each step's peak RSS is its own; return its figures.

    The result is reduced to its length (rows, bytes) or its value (a status).
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: fresh DB connections, then the step
        os.close(read)
        with app.app_context():
            db.engine.dispose(close=False)  # the parent's pooled connections stay the parent's
        wall, cpu, result, rss = timed(fn, repeat)
        out = result if isinstance(result, str) else len(result)
        os.write(write, json.dumps([wall, cpu, out, rss]).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        payload = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(payload)


def close_and_store(app) -> int:
    """Close call 1 as the SSO would and return the pending snapshot's id (job not run)."""
    with app.app_context():
        call = db.session.get(PortCall, 1)
        call.departed_at = datetime(2026, 5, 5, tzinfo=UTC)
        snapshot = request_snapshot(db.session, 1, now=call.departed_at)
        db.session.commit()
        return snapshot.id


def rendered(app, form: str):
    """Return a function that builds the report and renders one form of it (no HTTP)."""

    def render():
        with app.test_request_context():  # render_template needs a request for url_for
            report = build_report(db.session, 1)
            if form == "pdf":
                return render_report_pdf(report)
            return render_report_html(report, signature_state(db.session, 1, report=report),
                                      can_sign=True)  # fmt: skip

    return render


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--movements", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N (the machine is shared)")
    args = parser.parse_args()
    n = args.repeat
    with tempfile.TemporaryDirectory() as tmp:
        app = setup(Path(tmp), args.movements, args.people)
        client = app.test_client()
        client.post("/login", data={"username": "bench", "password": "benchmark-password"})
        query = select(Movement.id, Movement.occurred_at, Movement.direction,
                       Movement.person_id).where(Movement.port_call_id == 1)  # fmt: skip
        with app.app_context():
            db.session.connection().execute(query).all()  # warm SQLite's page cache
            db.session.remove()

        def baseline():
            with app.app_context():
                return db.session.connection().execute(query).all()

        def build():
            with app.app_context():
                return build_report(db.session, 1).movements

        steps = {"baseline": in_child(app, baseline, n), "build": in_child(app, build, n)}
        url = "/reports/port-calls/1"  # end to end: the HTTP request as the SSO sends it
        for form, suffix in (("html", ""), ("csv", ".csv.zip"), ("pdf", ".pdf")):
            steps[form] = in_child(app, lambda s=suffix: client.get(url + s).data, n)
        for form in ("html", "pdf"):
            steps[f"{form} render"] = in_child(app, rendered(app, form), n)
        snapshot_id = close_and_store(app)

        def job():
            run_job(app, snapshot_id)
            with app.app_context():
                return db.session.get(ReportSnapshot, snapshot_id).status

        steps["job"] = in_child(app, job)
        with app.app_context():
            db.engine.dispose()
    report(args, steps)


def report(args, steps: dict) -> None:
    """Print the figures as a Markdown table."""
    print(f"{args.movements:,} movements in one port call, {args.people:,} persons, SQLite; best "
          f"of {args.repeat}, wall (CPU) seconds; peak RSS of each step on its own")  # fmt: skip
    print("| step | end to end (HTTP) | render only (build + render) | goal | output | "
          "peak RSS MB |\n|---|---:|---:|---:|---:|---:|")  # fmt: skip
    base, build = steps["baseline"], steps["build"]
    print(f"| baseline: raw SELECT of the movements (Core) | {_s(base)} | | | {base[2]:,} rows "
          f"| {base[3]:.0f} |")  # fmt: skip
    print(f"| build_report: load + aggregate + hash | | {_s(build)} | | {build[2]:,} rows "
          f"| {build[3]:.0f} |")  # fmt: skip
    for form in ("html", "csv", "pdf"):
        step, render = steps[form], steps.get(f"{form} render")
        verdict = "ok" if step[0] < GOALS[form] else "OVER"
        render_s = _s(render) if render else "(streamed)"
        print(f"| {form} | {_s(step)} | {render_s} | < {GOALS[form]:g} s {verdict} | "
              f"{step[2] / 1e6:.1f} MB | {step[3]:.0f} |")  # fmt: skip
    job = steps["job"]
    print(f"| stored at close (background job): build, PDF, CSV, HTML, write | {_s(job)} | | "
          f"| {job[2]} | {job[3]:.0f} |")  # fmt: skip
    peak = max(step[3] for step in steps.values())
    print(f"Peak RSS {peak:.0f} MB (goal < {MEMORY_GOAL_MB} MB: "
          f"{'ok' if peak < MEMORY_GOAL_MB else 'OVER'})")  # fmt: skip


def _s(step) -> str:
    return f"{step[0]:.2f} ({step[1]:.2f})"


if __name__ == "__main__":
    main()
