"""Where one process's time goes while it takes a ship's batches ashore (issue 17, ingest).

cProfile over `POST /api/v1/shore/batches` through the app (the test client: no HTTP server,
so the figures are the app's own), batches built by bench/shore_bench_data.py as the sender
packs them. On a shared machine wall time counts the other processes' turns, so the profile is
of this process's CPU time, and PostgreSQL's CPU (its server processes', read from /proc) is
given beside it: together they are what a batch costs the machine. Prints both per batch, then
the top functions by cumulative and own CPU time.

Usage: scripts/with-postgres.sh .venv/bin/python bench/shore_ingest_profile.py [--batches 20]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo: gangway and tests

from sqlalchemy import text  # noqa: E402

from bench.shore_bench_data import backlog, gzip_batches, imo_number  # noqa: E402
from gangway.db.types import utcnow  # noqa: E402
from gangway.extensions import db  # noqa: E402
from gangway.services.shore.ships import add_ship  # noqa: E402
from tests.conftest import build_app, postgres_url  # noqa: E402


def postgres_cpu(postmaster: int) -> float:
    """Return the CPU seconds of the PostgreSQL server: its processes, live and ended."""
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[1]) == postmaster:  # a backend: user + system time
            total += int(fields[11]) + int(fields[12])
        elif int(pid) == postmaster:  # the postmaster, with its children that ended
            total += sum(int(f) for f in fields[11:15])
    return total / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--no-profile", action="store_true", help="CPU per batch only (faster)")
    args = parser.parse_args()
    if not postgres_url():
        sys.exit("run under scripts/with-postgres.sh (a throwaway PostgreSQL)")
    app = build_app(Path(tempfile.mkdtemp(prefix="ingest-profile-")), SHORE=True)
    with app.app_context():
        _, token = add_ship(db.session, imo_number(1), "MV Profile", utcnow())
        data = db.session.scalar(text("SHOW data_directory"))
        db.session.rollback()
    with open(Path(data) / "postmaster.pid") as pid_file:
        postmaster = int(pid_file.readline())
    bodies = list(gzip_batches(imo_number(1), backlog(1, args.batches * args.batch), args.batch))
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}", "Content-Encoding": "gzip"}
    send = lambda body: client.post(  # noqa: E731
        "/api/v1/shore/batches", data=body, headers=headers, content_type="application/json"
    )
    assert send(bodies[0]).status_code == 200  # warm: the app's first request, caches
    profile = cProfile.Profile(time.process_time)
    start, server = time.process_time(), postgres_cpu(postmaster)
    if not args.no_profile:
        profile.enable()
    for body in bodies[1:]:
        answer = send(body)
        assert answer.status_code == 200, answer.get_data(as_text=True)
    profile.disable()
    app_s, server_s = time.process_time() - start, postgres_cpu(postmaster) - server
    n, how = len(bodies) - 1, "" if args.no_profile else " (profiled)"
    print(f"{n} batches of {args.batch}: CPU ms a batch: app {app_s / n * 1000:.0f}{how}, "
          f"PostgreSQL {server_s / n * 1000:.0f}")  # fmt: skip
    if args.no_profile:
        return
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
