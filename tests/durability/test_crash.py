"""The real server (granian) killed with SIGKILL mid-traffic keeps every scan it acknowledged.

Several clients post scans over the JSON API; the server is killed at a random moment, then
the database file is checked as it was left: SQLite's integrity check passes, every scan that
got its 201 is stored under the record id returned (with the key the client sent, so a
reused id cannot pass for a lost record), and no scan is half-written (a crew member's presence
pointer is their latest boarding). A process kill keeps what the OS already holds; that a power
cut keeps it too is what `synchronous=FULL` adds (see gangway/db/types.py).
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter

from .driver import (
    NO_ANSWER,
    Client,
    aboard_pointer_mismatches,
    build_instance,
    integrity,
    stored_tags,
    tag_key,
)
from .server import Launcher, Server

CYCLES = 20
CLIENTS = 4
CONCURRENT = 16
SCANS_EACH = 15


class ScanLoop(threading.Thread):
    """One client boarding one crew member again and again until stopped or the server dies."""

    def __init__(self, server: Server, code: str, tag: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.server, self.code, self.tag, self.stop = server, code, tag, stop
        self.acked: dict[str, str] = {}  # record id -> the tag of the scan
        self.unexpected: list[tuple[int, dict]] = []
        self.cut_at: float | None = None  # when the request that got no answer was sent

    def run(self) -> None:
        client = Client(self.server.port, self.server.instance.token, timeout=20)
        try:
            for n in range(1_000_000):
                if self.stop.is_set():
                    return
                tag, sent = f"{self.tag}-{n}", time.monotonic()
                try:
                    status, body = client.scan(self.code, tag)
                except NO_ANSWER:
                    self.cut_at = sent
                    return
                if status == 201:
                    self.acked[body["record_id"]] = tag
                else:
                    self.unexpected.append((status, body))
        finally:
            client.close()


def check_database(instance, acked: dict[str, str]) -> None:
    """Assert the file is sound, holds every acknowledged scan and no half-written one."""
    assert integrity(instance.db_path) == "ok"
    stored = stored_tags(instance.db_path)
    lost = {rid: tag for rid, tag in acked.items() if stored.get(rid) != tag_key(tag)}
    assert not lost, f"acknowledged but not stored: {sorted(lost.items())[:10]}"
    assert aboard_pointer_mismatches(instance.db_path) == []


def test_sigkill_at_random_moments_loses_no_acknowledged_scan(tmp_path):
    instance = build_instance(tmp_path, crew=CLIENTS)
    rng = random.Random(6)
    acked: dict[str, str] = {}
    interrupted = 0  # kills that landed while a request was in flight
    with Launcher(instance) as launcher:
        for cycle in range(CYCLES):
            server = Server(instance, launcher=launcher).start()
            stop = threading.Event()
            loops = [
                ScanLoop(server, code, f"c{cycle}-t{i}", stop)
                for i, code in enumerate(instance.codes)
            ]
            for loop in loops:
                loop.start()
            # Kill at a random moment once every client has had an answer: a busy machine
            # makes a fresh worker's first scans slow, and a kill before any would test nothing.
            deadline = time.monotonic() + 30
            while not all(loop.acked for loop in loops) and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(rng.uniform(0, 0.3))
            killed_at = time.monotonic()
            server.kill()
            stop.set()
            for loop in loops:
                loop.join(timeout=30)
                assert loop.unexpected == [], server.log()[-3000:]
                acked |= loop.acked
            interrupted += any(loop.cut_at and loop.cut_at < killed_at for loop in loops)
            check_database(instance, acked)
    assert len(acked) >= CYCLES * CLIENTS  # the clients were busy: a handful of scans per run
    assert interrupted >= CYCLES // 2  # and most kills caught a scan in flight


def test_sixteen_clients_scanning_at_once_all_get_201_and_every_scan_is_stored(tmp_path):
    instance = build_instance(tmp_path, crew=CONCURRENT)
    barrier = threading.Barrier(CONCURRENT)
    results: list[tuple[int, str | None, str]] = []

    def scan_many(server: Server, index: int) -> None:
        client = Client(server.port, instance.token, timeout=60)
        barrier.wait()  # every connection open; all start at once
        for n in range(SCANS_EACH):
            status, body = client.scan(instance.codes[index], f"t{index}-{n}")
            results.append((status, body.get("record_id"), f"t{index}-{n}"))
        client.close()

    with Server(instance) as server:  # the console script with its default workers and threads
        threads = [threading.Thread(target=scan_many, args=(server, i)) for i in range(CONCURRENT)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    log = server.log()
    assert "database is locked" not in log
    assert "Traceback" not in log
    assert Counter(status for status, _, _ in results) == {201: CONCURRENT * SCANS_EACH}
    stored = stored_tags(instance.db_path)
    assert {rid: stored.get(rid) for _, rid, _ in results} == {
        rid: tag_key(tag) for _, rid, tag in results
    }
    assert len(stored) == CONCURRENT * SCANS_EACH
    assert integrity(instance.db_path) == "ok"
