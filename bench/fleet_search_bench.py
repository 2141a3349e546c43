"""The CSO's fleet-wide search with a big fleet's records held ashore (issue 17: p95 under 300 ms).

The fleet of bench/fleet_bench.py (its loader: `--ships` x `--records` entries in shore_entry,
each ship's status, refused batches), and shore_record holding those records' projection as the
ingest keeps it: every movement of the chain (names and documents of 400 persons a ship, 3,720
names shared fleet-wide, so each name has namesakes on a dozen ships), the 400 persons, a
refusal every 500 records, the port calls. The search keys (name words, document number) are
computed by the app's own functions (domain/shore/name_keys.py) and loaded by PostgreSQL itself
(INSERT ... SELECT over generate_series), the indexes built after the load. A traveller is
registered on four ships and refused on the first. Then the shore is served (granian, 2
processes) and one CSO searches, one request at a time; the baseline is GET /login.

Usage (a throwaway PostgreSQL, deleted after):
  scripts/with-postgres.sh .venv/bin/python bench/fleet_search_bench.py \
      [--ships 100 --records 100000]
  add --no-entries to leave shore_entry empty (the search never reads it; faster to load)
  add --before DIR to measure a checkout of the code before a change first, on the same data
  (git archive COMMIT | tar -x -C DIR)
"""

from __future__ import annotations

import argparse
import os
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

from bench.fleet_bench import PASSWORD, add_fleet, log_in, timed  # noqa: E402
from gangway.domain.shore.name_keys import document_key, name_key  # noqa: E402
from tests.support import shore_server as harness  # noqa: E402
from tests.support.shore_server import ShoreServer, gangway, shore_env  # noqa: E402

PERSONS = 400  # a ship's persons: the movements of fleet_bench's chain name person s * 7 % 400
_FAMILIES = """GARCIA HANSEN NGUYEN SANTOS OKAFOR IVANOV MÜLLER REYES SMITH JOHANSSON DUBOIS ROSSI
KOWALSKI NOVAK SILVA PEREIRA FERNANDES KIM LEE PARK TANAKA SATO WANG LI CHEN YILMAZ KAYA ÖZTÜRK
ANDERSEN NIELSEN LARSEN O'BRIEN MURPHY KELLY VISSER JANSEN DIJKSTRA BAKKER PETROV SOKOLOV
MENDOZA CRUZ BAUTISTA TORRES RAMOS ABUBAKAR MOHAMMED HASSAN ALI KHAN SINGH KUMAR PATEL
NOWAK WIŚNIEWSKI HORVÁTH NAGY POPESCU PAPADOPOULOS"""
FAMILY = _FAMILIES.split()
_GIVEN = """Maria Ann José Li Chidi Olga Pedro Karin Jan Ana Mohammed Juan Luis Wei Hiroshi Anna
Peter Hans Ingrid Sven Lars Mikael Fatima Aisha Amir Ravi Priya Kenji Yuki Min-jun Ji-woo Oleksandr
Dmitri Ivan Sergei Tomasz Piotr Zsófia Ioana Andreea Giorgos Eleni Rafael Gabriel Lucas Mateo
Santiago Carlos Ángel Noah Liam Emma Olivia Sofía Chloé Léa Björn Åsa Søren Chioma"""
GIVEN = _GIVEN.split()
TRAVELLER = ("SØRENSEN-BAKKE", "Ingrid Marie", "N7654321")
TRAVELLER_SHIPS = (3, 17, 42, 77)  # ship numbers (of those there are); refused on the first
REASONS = ["watch_listed", "expired_badge", "unknown_code", "document_mismatch", "level_denied"]
CONTENT = """json_build_object(
  'id', s, 'person_id', p.person_id, 'badge_id', 1000 + p.person_id,
  'direction', CASE WHEN s % 2 = 1 THEN 'board' ELSE 'depart' END,
  'occurred_at', to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
  'access_point_id', 1 + s % 2, 'port_call_id', 40 + s / 5000, 'voyage_id', 12,
  'purpose', NULL, 'method', 'scan', 'credential', 'badge', 'document_inspected', NULL,
  'escort_id', NULL, 'searched', false, 'override_reason', NULL, 'flags', '',
  'client_key', md5(s::text || CAST(:ship AS text)),
  'received_at', to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'), 'offline_verdict', NULL,
  'recorded_by_id', 2 + s % 3, 'person_family_name', p.family_name,
  'person_given_names', p.given_names, 'person_kind', p.kind, 'person_company', NULL,
  'person_document_number', p.document_number, 'escort_family_name', NULL,
  'escort_given_names', NULL{extra})"""
RECORDS = text(f"""
INSERT INTO shore_record (ship_id, record_table, record_id, seq, port_call_id, content,
                          name_words, document_key, seen_at, person_ref, person_family,
                          person_given, person_kind, direction, reason_code)
SELECT CAST(:ship AS bigint),
       CASE WHEN s % 500 = 5 THEN 'refusal' ELSE 'movement' END,
       CASE WHEN s % 500 = 5 THEN s / 500 + 1 ELSE s END, s, 40 + s / 5000,
       CASE WHEN s % 500 = 5 THEN {CONTENT.format(extra=", 'reason_code', (CAST(:reasons AS text[]))[1 + s / 500 % 5]")}
            ELSE {CONTENT.format(extra="")} END,
       CAST(p.name_words AS tsvector), p.document_key,
       to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'), p.person_id, p.family_name,
       p.given_names, p.kind, CASE WHEN s % 2 = 1 THEN 'board' ELSE 'depart' END,
       CASE WHEN s % 500 = 5 THEN (CAST(:reasons AS text[]))[1 + s / 500 % 5] END
FROM generate_series(CAST(:low AS bigint), CAST(:high AS bigint)) AS s
JOIN bench_person p ON p.ship_id = CAST(:ship AS bigint) AND p.person_id = s * 7 % {PERSONS},
     LATERAL (SELECT timestamptz '2025-01-01 00:00+00' + s * interval '63 seconds' AS t) AS at
WHERE s % 10 <> 0
""")  # noqa: E501 (one statement, as PostgreSQL reads it)
PERSON_RECORDS = text("""
INSERT INTO shore_record (ship_id, record_table, record_id, seq, content, name_words, document_key,
                          seen_at, person_ref, person_family, person_given, person_kind)
SELECT ship_id, 'person', person_id, 1, json_build_object('id', person_id, 'kind', kind,
       'family_name', family_name, 'given_names', given_names, 'document_number',
       document_number, 'created_at', '2025-01-01T00:00:00.000000+00:00'),
       CAST(name_words AS tsvector), document_key, '2025-01-01T00:00:00.000000+00:00',
       person_id, family_name, given_names, kind
FROM bench_person
""")
CALLS = text("""
INSERT INTO shore_record (ship_id, record_table, record_id, seq, port_call_id, facility_key,
                          content)
SELECT id, 'port_call', c, 1, c, 'terminal ' || (c % 7), json_build_object('id', c,
       'port_name', 'Rotterdam', 'unlocode', 'NLRTM', 'facility_name', 'Terminal ' || (c % 7),
       'arrived_at', to_char(timestamptz '2025-01-01 00:00+00' + (c - 40) * interval '3.6 days',
       'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'), 'timezone', 'Europe/Amsterdam')
FROM shore_ship, generate_series(40, 40 + CAST(:calls AS integer)) AS c
""")


def persons(ship_ids: list[int]) -> list[dict]:
    """Return every ship's persons with their search keys, as the projection computes them."""
    out = []
    for n, ship_id in enumerate(ship_ids):
        for person_id in range(PERSONS):
            i = n * PERSONS + person_id
            family, given = FAMILY[i % len(FAMILY)], GIVEN[i // len(FAMILY) % len(GIVEN)]
            document = f"X{n:03d}{person_id:05d}"
            if n in TRAVELLER_SHIPS and person_id == PERSONS - 1:
                family, given, document = TRAVELLER
            kind = "visitor" if person_id > 300 else "crew"
            out.append({"ship_id": ship_id, "person_id": person_id, "family_name": family,
                        "given_names": given, "document_number": document, "kind": kind,
                        "name_words": name_key(family, given),
                        "document_key": document_key(document)})  # fmt: skip
    return out


def load_records(url: str, records: int) -> None:
    """Fill shore_record as the ingest would have for the chains fleet_bench loaded."""
    engine = create_engine(url)
    with engine.begin() as conn:
        ship_ids = list(conn.scalars(text("SELECT id FROM shore_ship ORDER BY id")))
        conn.execute(text("DROP INDEX ix_shore_record_name_words, ix_shore_record_document_key, "
                          "ix_shore_record_call, ix_shore_record_facility"))  # fmt: skip
        conn.execute(text(
            "CREATE UNLOGGED TABLE bench_person (ship_id bigint, person_id bigint, "
            "family_name text, given_names text, document_number text, kind text, "
            "name_words text, document_key text)"
        ))  # fmt: skip
        conn.execute(
            text("INSERT INTO bench_person VALUES (:ship_id, :person_id, :family_name, "
                 ":given_names, :document_number, :kind, :name_words, :document_key)"),
            persons(ship_ids),
        )  # fmt: skip
        conn.execute(text("CREATE INDEX ON bench_person (ship_id, person_id)"))
        conn.execute(PERSON_RECORDS)
        conn.execute(CALLS, {"calls": records // 5000})
    start = time.perf_counter()

    def load_ship(ship_id: int, chunk: int = 100_000) -> None:
        with engine.begin() as conn:
            for low in range(1, records + 1, chunk):
                high = min(low + chunk - 1, records)
                conn.execute(RECORDS, {"ship": ship_id, "low": low, "high": high,
                                       "reasons": REASONS})  # fmt: skip

    with ThreadPoolExecutor(os.cpu_count()) as pool:
        list(pool.map(load_ship, ship_ids))
    _refuse_traveller(engine, ship_ids)
    loaded = time.perf_counter() - start
    with engine.begin() as conn:  # the model's indexes, built once over the rows loaded
        conn.execute(text("DROP TABLE bench_person"))
        conn.execute(text("SET maintenance_work_mem = '512MB'"))
        for ddl in (
            "CREATE INDEX ix_shore_record_name_words ON shore_record USING gin (name_words)",
            "CREATE INDEX ix_shore_record_document_key ON shore_record (document_key)",
            "CREATE INDEX ix_shore_record_call ON shore_record (ship_id, record_table, "
            "port_call_id)",
            "CREATE INDEX ix_shore_record_facility ON shore_record (record_table, facility_key)",
        ):
            conn.execute(text(ddl))
        conn.execute(text("ANALYZE shore_record"))
        rows = conn.scalar(text("SELECT count(*) FROM shore_record"))
        size = conn.scalar(text("SELECT pg_size_pretty(pg_total_relation_size('shore_record'))"))
        name_index = conn.scalar(
            text("SELECT pg_size_pretty(pg_relation_size('ix_shore_record_name_words'))")
        )
    engine.dispose()
    indexed = time.perf_counter() - start - loaded
    print(f"shore_record: {rows:,} rows loaded in {loaded:.0f} s, indexed in {indexed:.0f} s "
          f"({size}; name index {name_index})")  # fmt: skip


def _refuse_traveller(engine, ship_ids: list[int]) -> None:
    """Make the traveller's first record on the first of their ships a refusal (watch list)."""
    first = ship_ids[TRAVELLER_SHIPS[0]] if len(ship_ids) > TRAVELLER_SHIPS[0] else None
    if first is None:
        return
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE shore_record SET record_table = 'refusal', record_id = 999999, "
                "reason_code = 'watch_listed', "
                'content = (content::jsonb || \'{"reason_code": "watch_listed"}\')::json '
                "WHERE ship_id = :ship AND record_table = 'movement' AND record_id = ("
                "SELECT min(record_id) FROM shore_record WHERE ship_id = :ship AND "
                "record_table = 'movement' AND document_key = :doc)"
            ),
            {"ship": first, "doc": TRAVELLER[2]},
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ships", type=int, default=100)
    parser.add_argument("--records", type=int, default=100_000, help="held ashore per ship")
    parser.add_argument("--requests", type=int, default=200, help="per measure")
    parser.add_argument("--port", type=int, default=8793)
    parser.add_argument("--no-entries", action="store_true", help="shore_record only")
    parser.add_argument("--before", type=Path, help="a checkout of the code before a change "
                        "(git archive): measured first, on the same data")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=1, help="with --before: turns of both")
    args = parser.parse_args()
    url = os.environ.get("GANGWAY_TEST_DATABASE_URL")
    if not url:
        sys.exit("run under scripts/with-postgres.sh (a throwaway PostgreSQL), see the docstring")
    env = shore_env(url, Path(tempfile.mkdtemp(prefix="fleet-search-bench-")))
    gangway(env, "shore", "init")
    add_fleet(env, url, args.ships, 0 if args.no_entries else args.records)
    load_records(url, args.records)
    created = gangway(env, "create-user", "cso", "--role", "cso", "--password-stdin",
                      input=PASSWORD)  # fmt: skip
    assert "cso" in created, created
    token = gangway(env, "create-token", "cso", "--name", "bench").split()[-1]
    runs = [("before", args.before), ("after", None)] if args.before else [("", None)]
    runs = runs * args.rounds  # in turns: neither side gets the warmer cache every time
    for name, repo in runs:
        server = serve(env, args.port, repo)
        try:
            results = measure(server.url, token, args.requests, args.ships)
        finally:
            server.stop()
        print(f"\nfleet_search_bench{f' ({name})' if name else ''}: {args.ships} ships x "
              f"{args.records:,} records held ashore, {args.requests} requests each, one at a "
              f"time, 2 shore processes, {os.cpu_count()} cores, "
              f"load {os.getloadavg()[0]:.1f}\n")  # fmt: skip
        print("| request | found | p50 ms | p95 ms | max ms |")
        print("|---|---|---:|---:|---:|")
        for label, (found, ms) in results.items():
            p95 = statistics.quantiles(ms, n=20)[-1]
            print(
                f"| {label} | {found} | {statistics.median(ms):.0f} | {p95:.0f} | {max(ms):.0f} |"
            )


def serve(env: dict, port: int, repo: Path | None) -> ShoreServer:
    """Serve the shore from this checkout, or from `repo` (the code before a change)."""
    if repo is None:
        return ShoreServer(env, port, workers=2).start()
    here = harness.REPO
    harness.REPO = repo.resolve()  # granian's working directory: the gangway it imports
    try:
        return ShoreServer(env | {"PYTHONPATH": str(repo.resolve())}, port, workers=2).start()
    finally:
        harness.REPO = here


def measure(base: str, token: str, n: int, ships: int) -> dict[str, tuple[str, list[float]]]:
    """Time each search (the page logged in, and the API with a token) against GET /login."""
    browser = log_in(base)
    traveller = len([s for s in TRAVELLER_SHIPS if s < ships])
    searches = {
        "a traveller on several ships, typed otherwise": "ingrid sorensen bakke",
        "a common name (namesakes fleet-wide)": "Maria HANSEN",
        "a document number": "n 765-4321" if traveller else "X001 00123",
        "a name found nowhere": "Zbigniew Quuxington",
    }
    out = {}
    for label, query in searches.items():
        page = f"{base}/fleet/search?" + urllib.parse.urlencode({"q": query})
        body = browser.open(page).read().decode()
        found = _found(body)
        out[f"`GET /fleet/search`: {label}"] = (
            found,
            timed(lambda page=page: browser.open(page).read().decode(), n, "fleet-search-results"),
        )
    api = urllib.request.Request(
        f"{base}/api/v1/fleet/search?q=maria+hansen", headers={"Authorization": f"Bearer {token}"}
    )
    out["`GET /api/v1/fleet/search`: the common name"] = (
        "",
        timed(lambda: urllib.request.urlopen(api).read().decode(), n, "persons"),
    )
    out["baseline: `GET /login` (no database)"] = (
        "",
        timed(lambda: urllib.request.urlopen(f"{base}/login").read().decode(), n, "csrf_token"),
    )
    return out


def _found(body: str) -> str:
    """Say what the page found: people, the marked case, or nobody."""
    people = body.count('data-testid="person"')
    marked = body.count('data-testid="refused-elsewhere"')
    if 'data-testid="too-many"' in body:
        return "too many"
    found = f"{people} person" if people == 1 else f"{people} people"
    return found + (f", {marked} refused-then-seen" if marked else "")


if __name__ == "__main__":
    main()
