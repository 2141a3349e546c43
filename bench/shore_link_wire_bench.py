"""Bytes per record on the ship-to-shore link (issue 17): real scans, packed as the sender does.

Each scan writes a movement and its chain entry through the app (the API, as a tablet's); the
batches are then built by gangway.services.shore_link.batches exactly as the sender sends them
(500 entries, gzip). Baselines in the same run: the same JSON unpacked, and the chain entries
alone without the rows' content. The time is what a 64 kbit/s satellite link needs for them.
Usage: .venv/bin/python bench/shore_link_wire_bench.py [--scans 3000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo: gangway and tests

from sqlalchemy import select  # noqa: E402

from gangway.db.models import Ship  # noqa: E402
from gangway.db.types import utcnow  # noqa: E402
from gangway.extensions import db  # noqa: E402
from gangway.services.audit.verification import chain_head  # noqa: E402
from gangway.services.shore_link.batches import build_batch  # noqa: E402
from tests.support.scan_instance import ACCESS_POINT, build_scan_instance  # noqa: E402

LINK_BITS_PER_S = 64_000


def scan(client, token, codes, count: int) -> None:
    """Board and land the crew in turn through the API, as the tablets do."""
    headers = {"Authorization": f"Bearer {token}"}
    for i in range(count):
        body = {
            "code": codes[i % len(codes)],
            "access_point": ACCESS_POINT,
            "direction": "board" if (i // len(codes)) % 2 == 0 else "depart",
        }
        response = client.post("/api/v1/scans", json=body, headers=headers)
        assert response.status_code == 201, response.get_data(as_text=True)


def measure(app, after: int) -> dict:
    """Pack every entry after `after` in sender batches; sum the sizes three ways."""
    sizes = {"entries": 0, "gzip": 0, "json": 0, "chain only gzip": 0}
    with app.app_context():
        while batch := build_batch(db.session, after=after, now=utcnow()):
            document = json.loads(gzip.decompress(batch.body))
            bare = [{**e, "content": None, "fields": None} for e in document["entries"]]
            chain_only = json.dumps({**document, "entries": bare}, separators=(",", ":"))
            sizes["entries"] += batch.count
            sizes["gzip"] += len(batch.body)
            sizes["json"] += batch.raw_size
            sizes["chain only gzip"] += len(gzip.compress(chain_only.encode(), 6, mtime=0))
            after = batch.last_seq
        db.session.remove()
    return sizes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scans", type=int, default=3000)
    parser.add_argument("--crew", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        instance = build_scan_instance(Path(tmp), crew=args.crew)
        app = instance.create_app()
        with app.app_context():
            db.session.scalars(select(Ship)).one().imo_number = "9074729"  # chained, via ORM
            db.session.commit()
            start = (chain_head(db.session) or (0, ""))[0]
            db.engine.dispose()
        scan(app.test_client(), instance.token, instance.codes, args.scans)
        sizes = measure(app, start)
        with app.app_context():
            db.engine.dispose()
    n = sizes["entries"]
    print(f"{args.scans:,} scans through the API ({args.crew} crew), {n:,} chain entries sent")
    print("| packing | bytes | bytes per record | 1,000 records at 64 kbit/s |")
    print("|---|---:|---:|---:|")
    for name in ("json", "chain only gzip", "gzip"):
        size = sizes[name]
        seconds = size / n * 1000 * 8 / LINK_BITS_PER_S
        label = {
            "json": "baseline: the same JSON, not compressed",
            "chain only gzip": "baseline: entries without row content, gzip",
            "gzip": "as sent: entries + content + status, gzip (500 a batch)",
        }[name]
        print(f"| {label} | {size:,} | {size / n:.0f} | {seconds:.1f} s |")


if __name__ == "__main__":
    main()
