"""What the fleet search's keys cost the ingest (issue 17 point 4): the projection of a ship's
movements into shore_record (services/shore/projection.py, the ingest's step that writes it), in
batches of 500 as the sender sends them, with the name's words and document number computed and
indexed, against the same without them (the keys left empty and their two indexes dropped), in
turns on the same PostgreSQL, best of 3 runs each.

Usage (a throwaway PostgreSQL, deleted after):
  scripts/with-postgres.sh .venv/bin/python bench/projection_keys_bench.py [--records 10000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo: gangway and tests

from sqlalchemy import text  # noqa: E402

from bench.shore_bench_data import backlog  # noqa: E402
from gangway.db.types import utcnow  # noqa: E402
from gangway.extensions import db  # noqa: E402
from gangway.services.shore import projection  # noqa: E402
from gangway.services.shore.ships import add_ship  # noqa: E402
from tests.support.shore import new_imo, shore_app  # noqa: E402

INDEXES = {
    "ix_shore_record_name_words": "ON shore_record USING gin (name_words)",
    "ix_shore_record_document_key": "ON shore_record (document_key)",
}


def run(app, entries: list, with_keys: bool, keys) -> float:
    """Project the entries for a new ship, a commit per 500; return the seconds taken."""
    with app.app_context():
        for name, how in INDEXES.items():
            ddl = f"CREATE INDEX IF NOT EXISTS {name} {how}" if with_keys else f"DROP INDEX {name}"
            db.session.execute(text(ddl))
        db.session.commit()
        empty = {"name_words": None, "document_key": None}
        projection._search_keys = keys if with_keys else (lambda table, content: empty)
        ship, _ = add_ship(db.session, new_imo(), "MV Bench", utcnow())
        start = time.perf_counter()
        for i in range(0, len(entries), 500):
            projection.project_entries(db.session, ship.id, entries[i : i + 500])
            db.session.commit()
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    args = parser.parse_args()
    if not os.environ.get("GANGWAY_TEST_DATABASE_URL"):
        sys.exit("run under scripts/with-postgres.sh (a throwaway PostgreSQL), see the docstring")
    app = shore_app(Path(tempfile.mkdtemp(prefix="projection-bench-")))
    entries = [SimpleNamespace(**e) for e in backlog(1, args.records)]
    keys, times = projection._search_keys, {False: [], True: []}
    for _ in range(3):
        for with_keys in (False, True):
            times[with_keys].append(run(app, entries, with_keys, keys))
    print(f"\nprojection_keys_bench: {args.records:,} movements, batches of 500, best of 3, "
          f"load {os.getloadavg()[0]:.1f}\n")  # fmt: skip
    print("| projection | entries/s |")
    print("|---|---:|")
    print(f"| baseline: without the search keys | {args.records / min(times[False]):,.0f} |")
    print(
        f"| with the name's words and document, indexed | {args.records / min(times[True]):,.0f} |"
    )


if __name__ == "__main__":
    main()
