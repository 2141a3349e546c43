"""Scan throughput and latency under load: 8 concurrent clients against the real server.

Serves a database holding 1,000,000 movements with `gangway serve` (granian), then drives it
from 8 client processes, each with one keep-alive HTTP/1.1 connection in a closed loop (send,
wait for the answer, send again). The clients speak raw HTTP over a socket with every request
encoded in advance, so each costs them a few dozen microseconds of CPU: the table shows client
and server CPU per request, so a saturated client would show. Baseline in the same run, from the
same server: `GET /api/v1/ping`, which pays HTTP, routing and bearer-token auth but nothing else;
it is timed before and after the scans and averaged (the machine may be shared).

Goals: >= 1,500 scans/s on 2 cores, >= a quarter of the bare route's rate, p99 < 25 ms.
The built database is cached (by schema and size) under $TMPDIR/gangway-scan-load-bench and
copied per run, so the scans of one run never land in the next.
Usage: .venv/bin/python bench/scan_load_bench.py [--seconds 10] [--clients 8] [--workers N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scan_load_data import build_database  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "gangway-scan-load-bench"
GANGWAY = str(Path(sys.executable).parent / "gangway")


def request_bytes(method: str, path: str, token: str, body: dict | None = None) -> bytes:
    """Encode one HTTP/1.1 request (keep-alive is HTTP/1.1's default)."""
    data = json.dumps(body).encode() if body is not None else b""
    head = f"{method} {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n"
    if body is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
    return (head + "\r\n").encode() + data


def read_response(sock: socket.socket, buf: bytearray) -> int:
    """Read one response off a keep-alive connection; return its status (0: connection closed)."""
    while (end := buf.find(b"\r\n\r\n")) < 0:
        chunk = sock.recv(65536)
        if not chunk:
            return 0
        buf += chunk
    head = bytes(buf[:end]).decode("latin-1")
    length = 0
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
    while len(buf) < end + 4 + length:
        chunk = sock.recv(65536)
        if not chunk:
            return 0
        buf += chunk
    del buf[: end + 4 + length]
    return int(head[9:12])


def client(port: int, requests: list[bytes], start_at: float, end_at: float, out) -> None:
    """Closed loop over `requests` between start_at and end_at; report latencies and CPU."""
    try:
        out.put(closed_loop(port, requests, start_at, end_at))
    except Exception as exc:  # reported, so the phase does not wait forever for this client
        out.put(exc)


def closed_loop(port: int, requests: list[bytes], start_at: float, end_at: float) -> tuple:
    sock, buf = None, bytearray()
    latencies, statuses, i = [], {}, 0
    while (now := time.monotonic()) < end_at:
        if sock is None:
            sock = socket.create_connection(("127.0.0.1", port))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            buf.clear()
        if now < start_at:  # warming up: connected, a few requests, then wait for the gun
            if i >= 20:
                time.sleep(start_at - now)
                cpu = time.process_time()
                continue
            cpu = time.process_time()
        sent = time.monotonic()
        sock.sendall(requests[i % len(requests)])
        status = read_response(sock, buf)
        if status == 0:  # keep-alive timed out between phases: reconnect, send again
            sock.close()
            sock = None
            continue
        i += 1
        if sent >= start_at:
            latencies.append(time.monotonic() - sent)
            statuses[status] = statuses.get(status, 0) + 1
    sock.close()
    return latencies, statuses, time.process_time() - cpu


def group_cpu(pgid: int) -> float:
    """Return the CPU seconds used so far by every process of the server's process group."""
    total = 0.0
    for entry in os.listdir("/proc"):
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def phase(port: int, pgid: int, per_client: list[list[bytes]], seconds: float) -> dict:
    """Run one timed phase with one process per client; return the merged figures."""
    ctx = get_context("fork")
    out = ctx.Queue()
    start_at = time.monotonic() + 1.5
    end_at = start_at + seconds
    procs = [ctx.Process(target=client, args=(port, r, start_at, end_at, out)) for r in per_client]
    for p in procs:
        p.start()
    time.sleep(max(0.0, start_at - time.monotonic()))
    cpu_before = group_cpu(pgid)
    results = [out.get(timeout=seconds + 120) for _ in procs]
    if failed := [r for r in results if isinstance(r, Exception)]:
        raise SystemExit(f"a client failed: {failed[0]!r}")
    cpu_after = group_cpu(pgid)
    for p in procs:
        p.join()
    latencies = sorted(x for r in results for x in r[0])
    statuses: dict[int, int] = {}
    for r in results:
        for status, n in r[1].items():
            statuses[status] = statuses.get(status, 0) + n
    n = len(latencies)
    q = statistics.quantiles(latencies, n=100) if n > 1 else [0.0] * 99
    return {
        "n": n,
        "rate": n / seconds,
        "p50": q[49] * 1000,
        "p95": q[94] * 1000,
        "p99": q[98] * 1000,
        "statuses": statuses,
        "server_cpu_ms": (cpu_after - cpu_before) * 1000 / max(n, 1),
        "client_cpu_ms": sum(r[2] for r in results) * 1000 / max(n, 1),
    }


def cached_instance(args) -> tuple[Path, dict]:
    """Return a fresh copy of the cached instance folder (built on first use) and its facts."""
    import gangway.db.models  # noqa: F401  (registers every table)
    from gangway.extensions import db

    columns = sorted(f"{t.name}.{c.name}:{c.type}" for t in db.metadata.tables.values()
                     for c in t.columns)  # fmt: skip
    key = hashlib.sha256(json.dumps([args.movements, args.crew, columns]).encode()).hexdigest()
    built = CACHE / key[:16]
    if not (built / "facts.json").exists():
        shutil.rmtree(CACHE, ignore_errors=True)  # one cached database at a time (~250 MB)
        started = time.monotonic()
        build_database(built, movements=args.movements, crew=args.crew)
        print(f"built {args.movements:,} movements in {time.monotonic() - started:.0f} s")
    run = Path(tempfile.mkdtemp(prefix="gangway-load-run-"))
    shutil.copytree(built, run, dirs_exist_ok=True)
    return run, json.loads((run / "facts.json").read_text())


def serve(folder: Path, args) -> subprocess.Popen:
    """Start `gangway serve` on the instance; return once it answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GANGWAY_")}
    env["GANGWAY_INSTANCE_PATH"] = str(folder)
    cmd = [GANGWAY, "serve", "--host", "127.0.0.1", "--port", str(port)]
    for option in ("workers", "threads"):
        if getattr(args, option):
            cmd += [f"--{option}", str(getattr(args, option))]
    log = open(folder / "server.log", "wb")  # noqa: SIM115  (lives as long as the server)
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=log, start_new_session=True)
    proc.port = port
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit((folder / "server.log").read_text()) from None
            time.sleep(0.1)


def fsync_ms(folder: Path, n: int = 200) -> float:
    """Return the median time to write and fsync 4 KiB in place on the database's disk: each
    durable commit pays one, one writer at a time, so 1000/this bounds the commits per second."""
    path = folder / "fsync-probe"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.write(fd, b"\0" * 4096 * 16)
        os.fsync(fd)
        times = []
        for i in range(n):
            started = time.perf_counter()
            os.pwrite(fd, os.urandom(4096), 4096 * (i % 16))
            os.fsync(fd)
            times.append(time.perf_counter() - started)
    finally:
        os.close(fd)
        path.unlink()
    return statistics.median(times) * 1000


def row(name: str, r: dict) -> str:
    return (
        f"| {name} | {r['n']:,} | {r['rate']:,.0f} | {r['p50']:.1f} | {r['p95']:.1f} | "
        f"{r['p99']:.1f} | {r['server_cpu_ms']:.2f} | {r['client_cpu_ms']:.3f} |"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--movements", type=int, default=1_000_000)
    parser.add_argument("--crew", type=int, default=2000)
    parser.add_argument("--workers", type=int, help="server processes (default: gangway serve's)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: serve's)")
    args = parser.parse_args()
    folder, facts = cached_instance(args)
    load_before, disk_ms = os.getloadavg()[0], fsync_ms(folder)
    server = serve(folder, args)
    try:
        token, codes = facts["token"], facts["codes"]
        ping = [[request_bytes("GET", "/api/v1/ping", token)]] * args.clients
        scans = [[] for _ in range(args.clients)]
        for i, code in enumerate(codes):  # each client its own crew: board, then depart
            for direction in ("board", "depart"):
                body = {"code": code, "access_point": "GW", "direction": direction}
                scans[i % args.clients].append(request_bytes("POST", "/api/v1/scans", token, body))
        for per in scans:  # interleave so a person boards on one pass and departs on the next
            per[:] = per[0::2] + per[1::2]
        bare1 = phase(server.port, server.pid, ping, args.seconds / 2)
        scan = phase(server.port, server.pid, scans, args.seconds)
        bare2 = phase(server.port, server.pid, ping, args.seconds / 2)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    bare = {k: (bare1[k] + bare2[k]) / 2 for k in bare1 if k != "statuses"}
    bare["n"] = bare1["n"] + bare2["n"]
    bare["statuses"] = {
        k: bare1["statuses"].get(k, 0) + bare2["statuses"].get(k, 0)
        for k in bare1["statuses"] | bare2["statuses"]
    }
    ratio = scan["rate"] / bare["rate"]
    sizing = f"workers {args.workers or 'default'}, threads {args.threads or 'default'}"
    print(f"{facts['movements']:,} movements stored; {args.clients} clients, keep-alive; "
          f"{os.cpu_count()} CPUs; gangway serve ({sizing}); load average "
          f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after")  # fmt: skip
    print(f"disk: write + fsync 4 KiB in place, median {disk_ms:.2f} ms "
          f"(durable commits, one at a time: at most {1000 / disk_ms:,.0f}/s)")  # fmt: skip
    print("| requests | n | per s | p50 ms | p95 ms | p99 ms | server CPU ms | client CPU ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    print(row("bare route: GET /api/v1/ping", bare))
    print(row("scan: POST /api/v1/scans", scan))
    print(f"statuses: bare {bare['statuses']}, scan {scan['statuses']}")
    goals = [
        ("scans/s >= 1,500", scan["rate"] >= 1500, f"{scan['rate']:,.0f}"),
        ("scan rate >= 1/4 of bare", ratio >= 0.25, f"{ratio:.2f}"),
        ("scan p99 < 25 ms", scan["p99"] < 25, f"{scan['p99']:.1f} ms"),
    ]
    for name, met, value in goals:
        print(f"- {name}: {value} ({'met' if met else 'MISSED'})")


if __name__ == "__main__":
    main()
