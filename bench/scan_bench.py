"""Scan latency through the whole app (Flask, auth, decision, SQLite write), single client.

Baseline, measured in the same run: the same requests refused at validation (bad direction),
which pays routing, bearer-token auth and JSON parsing but no decision and no write.
Usage: .venv/bin/python bench/scan_bench.py [--scans 2000] [--history 100000]
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
from tests.support.scan_instance import ACCESS_POINT, build_scan_instance  # noqa: E402


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
        # No port call, as this benchmark has always measured: scans write no port call id.
        instance = build_scan_instance(
            Path(tmp), crew=args.crew, port_calls=0, movements=args.history
        )
        app, codes, token = instance.create_app(), instance.codes, instance.token
        client = app.test_client()
        scans = [
            {
                "code": codes[i % len(codes)],
                "access_point": ACCESS_POINT,
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
