"""Records per second ashore while a fleet catches up (issue 17, "Scale, speed and faults").

The shore is served as it runs ashore (granian, 2 worker processes, the app's factory) on a real
PostgreSQL; every ship has a backlog of chained records (bench/shore_bench_data.py: realistic
movement rows, the chain made with the ship's own functions) packed as its sender packs them
(gzip batches of 500), and `--senders` ships send at once through the real HTTP endpoint, each
its batches in order, each batch verified ashore. The baseline, in the same run, on the same
PostgreSQL: plain batched INSERTs (500 a statement) of the same rows into a copy of shore_entry
(same columns, same primary key), one process per core, timed over the INSERTs and commits
only (decoding the batches is left out, which favours the baseline).

Usage (a throwaway PostgreSQL, deleted after):
  scripts/with-postgres.sh .venv/bin/python bench/shore_ingest_bench.py \
      [--ships 100 --records 20000 --senders 16]
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo: gangway and tests

from sqlalchemy import MetaData, Table, create_engine, insert, text  # noqa: E402

from bench.shore_bench_data import backlog, gzip_batches, imo_number  # noqa: E402
from gangway.db.types import utcnow  # noqa: E402
from tests.support.shore_server import ShoreServer, gangway, shore_env  # noqa: E402


def add_ships(env: dict, count: int) -> list[tuple[int, str, str]]:
    """Add the fleet's ships with `gangway shore add-ship`'s service; return id, IMO, token."""
    os.environ.update(env)
    from gangway import create_app
    from gangway.extensions import db
    from gangway.services.shore.ships import add_ship

    app = create_app()
    out = []
    with app.app_context():
        for n in range(count):
            ship, token = add_ship(db.session, imo_number(n), f"MV Bench {n}", utcnow())
            out.append((ship.id, ship.imo, token))
        db.session.remove()
        db.engine.dispose()
    return out


def _ship_batches(job: tuple[int, str, int, int]) -> list[bytes]:
    n, imo, records, size = job
    return list(gzip_batches(imo, backlog(n, records), size))


def build_backlogs(ships, records: int, size: int) -> list[list[bytes]]:
    """Return every ship's gzip batches, built on every core (not timed)."""
    jobs = [(n, imo, records, size) for n, (_, imo, _) in enumerate(ships)]
    with multiprocessing.Pool(os.cpu_count()) as pool:
        return pool.map(_ship_batches, jobs, chunksize=1)


def send_ship(url: str, token: str, batches: list[bytes], records: int) -> tuple[int, int]:
    """Catch one ship up as its sender does: ask the head, then send each batch in order."""
    auth = {"Authorization": f"Bearer {token}"}
    with urllib.request.urlopen(urllib.request.Request(f"{url}/api/v1/shore/head", headers=auth)):
        pass
    accepted, sent = 0, 0
    headers = auth | {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    for body in batches:
        request = urllib.request.Request(f"{url}/api/v1/shore/batches", body, headers)
        with urllib.request.urlopen(request, timeout=300) as response:
            accepted += json.loads(response.read())["accepted"]
        sent += len(body)
    assert accepted == records, f"{accepted} of {records} accepted"
    return accepted, sent


def _plain_inserts(job: tuple[str, list[tuple[int, list[bytes]]]]) -> tuple[int, float]:
    """Insert the rows of the given ships' batches into bench_plain; return rows, seconds."""
    url, work = job
    engine = create_engine(url)
    table = Table("bench_plain", MetaData(), autoload_with=engine)
    rows_done, spent = 0, 0.0
    for ship_id, batches in work:
        for body in batches:
            now = utcnow()
            rows = [
                {
                    **{
                        k: e[k]
                        for k in (
                            "seq",
                            "kind",
                            "record_table",
                            "record_id",
                            "digest",
                            "payload",
                            "prev_hash",
                            "entry_hash",
                            "fields",
                            "content",
                        )
                    },  # fmt: skip
                    "ship_id": ship_id,
                    "recorded_at": datetime.fromisoformat(e["recorded_at"]),
                    "received_at": now,
                }
                for e in json.loads(gzip.decompress(body))["entries"]
            ]
            start = time.perf_counter()
            with engine.begin() as conn:
                conn.execute(insert(table), rows)
            spent += time.perf_counter() - start
            rows_done += len(rows)
    engine.dispose()
    return rows_done, spent


def plain_baseline(url: str, ships, backlogs) -> tuple[int, float]:
    """Insert the same rows plainly, one process per core; return rows and the slowest's time."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS bench_plain"))
        conn.execute(text("CREATE TABLE bench_plain (LIKE shore_entry INCLUDING ALL)"))
    cores = os.cpu_count() or 1
    work = [(ship_id, b) for (ship_id, _, _), b in zip(ships, backlogs, strict=True)]
    jobs = [(url, work[i::cores]) for i in range(cores)]
    with multiprocessing.Pool(cores) as pool:
        done = pool.map(_plain_inserts, jobs)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE bench_plain"))
    engine.dispose()
    return sum(rows for rows, _ in done), max(spent for _, spent in done)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ships", type=int, default=100)
    parser.add_argument("--records", type=int, default=20_000, help="backlog of each ship")
    parser.add_argument("--senders", type=int, default=16, help="ships sending at once")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2, help="shore server processes")
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()
    url = os.environ.get("GANGWAY_TEST_DATABASE_URL")
    if not url:
        sys.exit("run under scripts/with-postgres.sh (a throwaway PostgreSQL), see the docstring")
    instance = Path(tempfile.mkdtemp(prefix="shore-bench-"))
    env = shore_env(url, instance)
    gangway(env, "shore", "init")
    ships = add_ships(env, args.ships)
    t0 = time.perf_counter()
    backlogs = build_backlogs(ships, args.records, args.batch)
    total = args.ships * args.records
    print(f"{args.ships} ships x {args.records} records built in {time.perf_counter() - t0:.0f} s")

    server = ShoreServer(env, args.port, workers=args.workers).start()
    try:
        start = time.perf_counter()
        with ThreadPoolExecutor(args.senders) as pool:
            results = list(
                pool.map(
                    lambda s: send_ship(server.url, s[0][2], s[1], args.records),
                    zip(ships, backlogs, strict=True),
                )
            )
        shore_s = time.perf_counter() - start
    finally:
        server.stop()
    engine = create_engine(url)
    with engine.connect() as conn:
        held = conn.scalar(text("SELECT count(*) FROM shore_entry"))
        heads = conn.execute(text("SELECT head_seq FROM shore_ship")).scalars().all()
        status = conn.execute(text("SELECT DISTINCT chain_status FROM shore_ship")).all()
    engine.dispose()
    assert held == total, held
    assert set(heads) == {args.records}, set(heads)
    assert [tuple(s) for s in status] == [("ok",)], status
    wire = sum(sent for _, sent in results)

    plain_rows, plain_s = plain_baseline(url, ships, backlogs)
    assert plain_rows == total
    shore_rate, plain_rate = total / shore_s, plain_rows / plain_s
    print(f"\nshore_ingest_bench: {args.ships} ships x {args.records:,} records, "
          f"{args.senders} senders at once, batches of {args.batch} (gzip), "
          f"{args.workers} shore processes, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}\n")  # fmt: skip
    print("| path | records | seconds | records/s | vs plain INSERTs |")
    print("|---|---:|---:|---:|---:|")
    print(f"| HTTP ingest, verified (gzip batches, 200s) | {total:,} | {shore_s:.1f} | "
          f"{shore_rate:,.0f} | {shore_rate / plain_rate:.2f} |")  # fmt: skip
    print(f"| plain batched INSERTs (baseline) | {plain_rows:,} | {plain_s:.1f} | "
          f"{plain_rate:,.0f} | 1.00 |")  # fmt: skip
    goal = "met" if shore_rate * 3 >= plain_rate else "NOT MET"
    print(f"\nbytes per record on the wire (gzip): {wire / total:.0f}; "
          f"every ship's head ashore = #{args.records}, chain ok; "
          f"goal >= 0.33 of plain: {goal}")  # fmt: skip


if __name__ == "__main__":
    main()
