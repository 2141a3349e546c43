"""The CSO's fleet view with a big fleet's records held ashore (issue 17: p95 under 300 ms).

`--ships` ships with `--records` entries each are loaded straight into shore_entry by PostgreSQL
itself (INSERT ... SELECT over generate_series, 100,000 rows a statement: realistic movement
content as JSON, SHA-256 hashes), every ship with a status as its sender last sent it and a few
refused batches kept; then the shore is served as it runs ashore (granian, 2 worker processes)
and one CSO asks, one request at a time: GET /api/v1/fleet (an API token), the fleet page
(logged in) and its htmx refresh. The baseline, in the same run: GET /login, a page that reads
nothing from the database.

Usage (a throwaway PostgreSQL, deleted after):
  scripts/with-postgres.sh .venv/bin/python bench/fleet_bench.py [--ships 100 --records 100000]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo: gangway and tests

from sqlalchemy import create_engine, text  # noqa: E402

from bench.shore_bench_data import STATUS, imo_number  # noqa: E402
from tests.support.shore_server import ShoreServer, gangway, shore_env  # noqa: E402

PASSWORD = "fleet-bench-password-42"
ENTRIES = text("""
INSERT INTO shore_entry (ship_id, seq, kind, record_table, record_id, digest, payload,
                         prev_hash, entry_hash, recorded_at, fields, content, received_at)
SELECT CAST(:ship AS bigint), s,
       CASE WHEN s % 10 = 0 THEN 'login.succeeded' ELSE 'movement.recorded' END,
       CASE WHEN s % 10 = 0 THEN NULL ELSE 'movement' END,
       CASE WHEN s % 10 = 0 THEN NULL ELSE s END,
       encode(sha256(('d' || CAST(:ship AS text) || ':' || s)::bytea), 'hex'),
       CASE WHEN s % 10 = 0 THEN '{"address":"10.0.0.21","username":"watch1"}' END,
       encode(sha256(('h' || CAST(:ship AS text) || ':' || (s - 1))::bytea), 'hex'),
       encode(sha256(('h' || CAST(:ship AS text) || ':' || s)::bytea), 'hex'),
       t, CASE WHEN s % 10 = 0 THEN NULL ELSE CAST(:fields AS json) END,
       CASE WHEN s % 10 = 0 THEN NULL ELSE json_build_object(
         'id', s, 'person_id', s * 7 % 400, 'badge_id', 1000 + s * 7 % 400,
         'direction', CASE WHEN s % 2 = 1 THEN 'board' ELSE 'depart' END,
         'occurred_at', to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
         'access_point_id', 1 + s % 2, 'port_call_id', 40 + s / 5000, 'voyage_id', 12,
         'purpose', NULL, 'method', 'scan', 'credential', 'badge', 'document_inspected', NULL,
         'escort_id', NULL, 'searched', false, 'override_reason', NULL, 'flags', '',
         'client_key', md5(s::text || CAST(:ship AS text)), 'received_at',
         to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'), 'offline_verdict', NULL,
         'recorded_by_id', 2 + s % 3, 'person_family_name', 'HANSEN',
         'person_given_names', 'Ann', 'person_kind', 'crew', 'person_company', NULL,
         'person_document_number', 'X' || lpad((s * 7 % 400)::text, 7, '0'),
         'escort_family_name', NULL, 'escort_given_names', NULL) END,
       t + interval '2 minutes'
FROM generate_series(CAST(:low AS bigint), CAST(:high AS bigint)) AS s,
     LATERAL (SELECT timestamptz '2025-01-01 00:00+00' + s * interval '63 seconds' AS t) AS at
""")


def load_ship(url: str, ship_id: int, records: int, chunk: int = 100_000) -> None:
    """Insert a ship's entries in PostgreSQL itself, then set its head and status."""
    engine = create_engine(url)
    fields = '["access_point_id","badge_id","client_key","credential","direction"]'
    for low in range(1, records + 1, chunk):
        high = min(low + chunk - 1, records)
        with engine.begin() as conn:
            conn.execute(ENTRIES, {"ship": ship_id, "low": low, "high": high, "fields": fields})
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE shore_ship SET head_seq = :n, head_hash = e.entry_hash, "
                "head_recorded_at = e.recorded_at, last_contact_at = now(), status = :status "
                "FROM shore_entry e WHERE e.ship_id = :ship AND e.seq = :n "
                "AND shore_ship.id = :ship"
            ),
            {"n": records, "ship": ship_id, "status": _status(ship_id)},
        )
    engine.dispose()


def _status(ship_id: int) -> str:
    import json

    call = {**STATUS["port_call"], "port_name": "Rotterdam", "unlocode": "NLRTM",
            "facility_name": f"Terminal {ship_id % 7}", "timezone": "Europe/Amsterdam"}  # fmt: skip
    return json.dumps(STATUS | {"port_call": call, "security_level": 1 + ship_id % 2})


def add_fleet(env: dict, url: str, ships: int, records: int) -> None:
    """Add the ships (the service `shore add-ship` calls), load their records, keep refusals."""
    os.environ.update(env)
    from gangway import create_app
    from gangway.db.types import utcnow
    from gangway.extensions import db
    from gangway.services.shore.ships import add_ship

    app = create_app()
    with app.app_context():
        ids = [add_ship(db.session, imo_number(n), f"MV Bench {n:03d}", utcnow())[0].id
               for n in range(ships)]  # fmt: skip
        db.session.remove()
        db.engine.dispose()
    start = time.perf_counter()
    with ThreadPoolExecutor(os.cpu_count()) as pool:  # PostgreSQL does the work, on each core
        list(pool.map(lambda i: load_ship(url, i, records), ids))
    engine = create_engine(url)
    with engine.begin() as conn:
        for ship_id in ids[:5]:  # a few refused batches, as the fleet page's alerts
            conn.execute(
                text(
                    "INSERT INTO shore_quarantine (ship_id, received_at, reason, seq, message, "
                    "body, body_sha256) VALUES (:s, now(), 'held_differs', 7, 'entry #7 differs',"
                    " :b, :h)"
                ),
                {"s": ship_id, "b": b"\x1f\x8b" + b"x" * 60_000, "h": "0" * 64},
            )
        conn.execute(text("ANALYZE"))
        size = conn.scalar(text("SELECT pg_size_pretty(pg_total_relation_size('shore_entry'))"))
    engine.dispose()
    print(f"{ships} ships x {records:,} records loaded in {time.perf_counter() - start:.0f} s "
          f"(shore_entry: {size})")  # fmt: skip


def log_in(url: str) -> urllib.request.OpenerDirector:
    """Log the CSO in through the login form (CSRF token included); return the browser."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{url}/login").read().decode()
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = {"username": "cso", "password": PASSWORD, "csrf_token": csrf}
    opener.open(f"{url}/login", urllib.parse.urlencode(form).encode()).read()
    assert "Fleet" in opener.open(f"{url}/fleet/").read().decode(), "the CSO is not logged in"
    return opener


def timed(fetch, n: int, expect: str) -> list[float]:
    """Time n requests one after another (after 3 not counted); return milliseconds."""
    for _ in range(3):
        fetch()
    out = []
    for _ in range(n):
        start = time.perf_counter()
        body = fetch()
        out.append((time.perf_counter() - start) * 1000)
        assert expect in body, body[:300]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ships", type=int, default=100)
    parser.add_argument("--records", type=int, default=100_000, help="held ashore per ship")
    parser.add_argument("--requests", type=int, default=200, help="per measure")
    parser.add_argument("--port", type=int, default=8792)
    args = parser.parse_args()
    url = os.environ.get("GANGWAY_TEST_DATABASE_URL")
    if not url:
        sys.exit("run under scripts/with-postgres.sh (a throwaway PostgreSQL), see the docstring")
    env = shore_env(url, Path(tempfile.mkdtemp(prefix="fleet-bench-")))
    gangway(env, "shore", "init")
    add_fleet(env, url, args.ships, args.records)
    created = gangway(env, "create-user", "cso", "--role", "cso", "--password-stdin",
                      input=PASSWORD)  # fmt: skip
    assert "cso" in created, created
    token = gangway(env, "create-token", "cso", "--name", "bench").split()[-1]

    server = ShoreServer(env, args.port, workers=2).start()
    try:
        base = server.url
        api = urllib.request.Request(f"{base}/api/v1/fleet",
                                     headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        browser = log_in(base)
        fragment = urllib.request.Request(f"{base}/fleet/", headers={"HX-Request": "true"})
        last = f"MV Bench {args.ships - 1:03d}"
        results = {
            "GET /api/v1/fleet (API token)": timed(
                lambda: urllib.request.urlopen(api).read().decode(), args.requests, last
            ),
            "GET /fleet/ (the page, logged in)": timed(
                lambda: browser.open(f"{base}/fleet/").read().decode(), args.requests, last
            ),
            "GET /fleet/ htmx refresh (fragment)": timed(
                lambda: browser.open(fragment).read().decode(), args.requests, last
            ),
            "baseline: GET /login (no database)": timed(
                lambda: urllib.request.urlopen(f"{base}/login").read().decode(),
                args.requests,
                "csrf_token",
            ),
        }
    finally:
        server.stop()
    print(f"\nfleet_bench: {args.ships} ships x {args.records:,} records held ashore, "
          f"{args.requests} requests each, one at a time, 2 shore processes, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}\n")  # fmt: skip
    print("| request | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|")
    for name, ms in results.items():
        p95 = statistics.quantiles(ms, n=20)[-1]
        print(f"| {name} | {statistics.median(ms):.0f} | {p95:.0f} | {max(ms):.0f} |")


if __name__ == "__main__":
    main()
