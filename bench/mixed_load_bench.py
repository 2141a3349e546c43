"""Scan latency at a busy gangway's pace, alone and while the office's heavy work runs (issue 14).

Serves the scan benchmark's database (10 port calls sharing the movements, 100,000 each by
default) with `gangway serve` as scripts/run.sh runs it (its default workers and threads, every
process it starts), then 16 simulated tablets scan at a steady 2 scans/s each, each on its own
keep-alive connection. Pacing is open loop: a tablet sends each scan at its due time whatever the
previous answer is doing (HTTP/1.1 pipelining on its connection), so a slow answer never lowers
the pace; latency is from the send to the full answer. Phase one is the scans alone (the
baseline, measured in the same run); then each load runs continuously, back to back, one SSO
client, while the tablets scan: see bench/mixed_load_tablets.py, mixed_load_clients.py and
bench/README.md.
Usage: .venv/bin/python bench/mixed_load_bench.py [--seconds 20] [--loads a,b] [--quick]
       [--data DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from mixed_load_clients import REPO, make_load  # noqa: E402
from mixed_load_data import instance  # noqa: E402
from mixed_load_tablets import RATE, TABLETS, scan_requests, tablets  # noqa: E402

LOADS = {
    "report-pdf": "report PDF of a closed call",
    "report-html": "report HTML of that call",
    "report-csv": "report CSV zip of that call",
    "pfso-csv": "PFSO log CSV export, that call",
    "card-sheet": "A4 sheet of 50 crew cards",
    "import": "passenger list import, 5,000 rows (API)",
    "import-page": "the same, checked and confirmed on the SSO's pages",
    "photo": "12 MP photo decode, 1/s",
    "backup": "gangway backup, in a loop",
}
WARMUP = 2.0  # seconds of load before the scans are timed


def serve(folder: Path) -> subprocess.Popen:
    """Start `gangway serve` (this tree's code, its defaults) on the instance; wait for it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GANGWAY_")}
    env["GANGWAY_INSTANCE_PATH"] = str(folder)
    cli = [sys.executable, "-c", "from gangway.cli import main; main()"]
    cmd = [*cli, "serve", "--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    log = open(folder / "server.log", "wb")  # noqa: SIM115  (lives as long as the server)
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=log, start_new_session=True, cwd=REPO)
    proc.port = port
    deadline = time.monotonic() + 120
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit((folder / "server.log").read_text()) from None
            time.sleep(0.2)


def run_load(operation, pace: float, start_at: float, stop: threading.Event, done: dict):
    """Run the load back to back (or every `pace` s) until stop; count what finished in time."""
    i = 0
    while not stop.is_set():
        if pace:
            time.sleep(max(0.0, start_at + i * pace - time.monotonic()))
        began = time.monotonic()
        try:
            operation(i)
        except Exception as exc:  # counted and shown, the phase goes on
            done["op_errors"] += 1
            done["last_error"] = repr(exc)[:300]
            time.sleep(0.5)
        else:
            if not stop.is_set():
                done["ops"] += 1
                done["op_s"].append(time.monotonic() - began)
        i += 1


def phase(port: int, requests: list, seconds: float, load=None) -> dict:
    """Time one phase of scans, with `load` (operation, pace) running throughout if given."""
    ctx = get_context("fork")
    out = ctx.Queue()
    start_at = time.monotonic() + 1.0 + (WARMUP if load else 0.0)
    proc = ctx.Process(target=tablets, args=(port, requests, start_at, out))
    proc.start()
    stop, done = threading.Event(), {"ops": 0, "op_errors": 0, "op_s": []}
    worker = None
    if load:
        args = (*load, start_at - WARMUP, stop, done)
        worker = threading.Thread(target=run_load, args=args, daemon=True)
        worker.start()
    result = out.get(timeout=seconds + 600)
    scans_over = time.monotonic()
    stop.set()
    proc.join()
    if isinstance(result, Exception):
        raise SystemExit(f"the tablets failed: {result!r}")
    if worker:
        worker.join(timeout=600)  # the operation under way finishes, uncounted
    latencies = sorted(x for r in result for x in r[0])
    statuses: dict[int, int] = {}
    for r in result:
        for status, n in r[1].items():
            statuses[status] = statuses.get(status, 0) + n
    if len(latencies) < 2:
        raise SystemExit(f"the server answered {len(latencies)} scans: see server.log")
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    ok = sum(n for s, n in statuses.items() if 200 <= s < 300)
    sent = sum(len(r) for r in requests)
    return {
        "sent": sent,
        "answered": sum(n for s, n in statuses.items() if s),
        "errors": sent - ok,  # refused, failed or never answered
        "statuses": statuses,
        "p50": q[49] * 1000,
        "p95": q[94] * 1000,
        "p99": q[98] * 1000,
        "max": latencies[-1] * 1000,
        "load_avg": os.getloadavg()[0],
        "seconds": scans_over - start_at,
        **(done if load else {}),
    }


def line(name: str, r: dict, alone: dict) -> str:
    failed = f" ({r['op_errors']} failed)" if r.get("op_errors") else ""
    ops = f"{r['ops']}{failed}" if "ops" in r else "-"
    op_s = f"{statistics.median(r['op_s']):.2f}" if r.get("op_s") else "-"
    return (
        f"| {name} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | {r['max']:.0f} | "
        f"{r['sent']} / {r['answered']} / {r['errors']} | {ops} | {op_s} | "
        f"{r['p95'] / alone['p95']:.1f} | {r['p99'] / alone['p99']:.1f} | {r['load_avg']:.1f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, help="per phase (default 20, --quick 4)")
    parser.add_argument("--loads", default=",".join(LOADS), help=f"of {','.join(LOADS)}")
    parser.add_argument("--quick", action="store_true", help="small data, short phases")
    cache = Path(tempfile.gettempdir()) / "gangway-mixed-load-bench"
    parser.add_argument("--data", type=Path, default=cache, help="cache folder for the database")
    args = parser.parse_args()
    loads = [name.strip() for name in args.loads.split(",") if name.strip()]
    if unknown := set(loads) - set(LOADS):
        parser.error(f"unknown loads: {', '.join(sorted(unknown))}")
    seconds = args.seconds or (4.0 if args.quick else 20.0)
    movements, crew = (20_000, 200) if args.quick else (1_000_000, 2000)
    folder, facts = instance(args.data, movements=movements, crew=crew)
    requests = scan_requests(facts, 3 + len(loads), seconds)
    load_before = os.getloadavg()
    server = serve(folder)
    base = f"http://127.0.0.1:{server.port}"
    results = {}
    try:
        warm = [r[: int(3 * RATE)] for r in requests[-1]]
        phase(server.port, warm, seconds)  # every worker warmed up, untimed
        results["alone"] = phase(server.port, requests[0], seconds)
        for k, name in enumerate(loads, start=1):
            results[name] = phase(
                server.port, requests[k], seconds, make_load(name, base, facts, folder)
            )
        results["again"] = phase(server.port, requests[-2], seconds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        if sys.exc_info()[0] is not None:  # failed: the server's last words help
            print((folder / "server.log").read_text(errors="replace")[-3000:], file=sys.stderr)
        shutil.rmtree(folder, ignore_errors=True)
    report(results, facts, seconds, load_before)
    return 0


def report(results: dict, facts: dict, seconds: float, load_before: tuple) -> None:
    """Print the markdown table, the machine and any load's last error."""
    # The baseline is the better of the two phases alone (start, end): a slow phase alone (a
    # checkpoint, a cold cache) would otherwise flatter every ratio.
    alone = {q: min(results["alone"][q], results["again"][q]) for q in ("p95", "p99")}
    print(f"\n{facts['movements']:,} movements in 10 port calls ({facts['movements'] // 10:,} "
          f"each), {facts['crew']:,} crew; gangway serve (its default workers and threads); "
          f"{TABLETS} tablets x {RATE:g} scans/s, open loop, {seconds:g} s a phase; "
          f"{os.cpu_count()} CPUs; load average before "
          f"{' '.join(f'{x:.1f}' for x in load_before)}")  # fmt: skip
    print("\n| scans while | p50 ms | p95 ms | p99 ms | max ms | scans sent / answered / errors | "
          "load ops done | load op s (median) | p95 ratio | p99 ratio | load avg |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(line("nothing else (baseline, same run)", results["alone"], alone))
    for name, r in results.items():
        if name not in ("alone", "again"):
            print(line(LOADS[name], r, alone))
    print(line("nothing else, again at the end (drift check)", results["again"], alone))
    print("\nratio = the figure under the load / the lower of the same figure in the two phases "
          "alone; goal: p99 ratio <= 2")  # fmt: skip
    for name, r in results.items():
        if r.get("last_error") or set(r["statuses"]) - {201}:
            print(f"- {name}: scan statuses {r['statuses']}; load error: {r.get('last_error')}")


if __name__ == "__main__":
    sys.exit(main())
