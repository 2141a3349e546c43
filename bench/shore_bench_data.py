"""A ship's backlog as its sender sends it, built fast for the shore benchmarks (issue 17).

Each ship's audit chain is made with the ship's own functions (gangway.domain.records.audit_chain,
through the shore tests' row_entry/event_entry in tests/support/shore.py) over realistic movement
rows (every column of `movement`, names, documents, flags; the digest over the movement's chained
fields, as on board), with a login event carrying a payload every tenth entry. A month of a busy
gangway: one entry every ~2 minutes.
"""

from __future__ import annotations

import gzip
import json
import random
from datetime import UTC, datetime, timedelta

from gangway.services.audit.content import chained_fields
from tests.support.shore import event_entry, imo_with_check, row_entry

START = datetime(2026, 11, 1, 0, 0, 0, tzinfo=UTC)
STEP = timedelta(seconds=129)  # 20,000 entries in a month
FIELDS = chained_fields("movement")
FAMILY = ["HANSEN", "NGUYEN", "SANTOS", "OKAFOR", "IVANOV", "GARCIA", "MUELLER", "REYES"]
GIVEN = ["Ann", "Jose Maria", "Li", "Chidi", "Olga", "Pedro", "Karin", "Maria Luisa"]
COMPANY = [None, None, "Port Agency Ltd", "Bunker Services BV", "Ship Chandler Co"]


def imo_number(n: int) -> str:
    """Return the IMO number of fleet ship n (with its right check digit)."""
    return imo_with_check(900_000 + n)


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="microseconds")


def movement(seq: int, at: datetime, rng: random.Random) -> dict:
    """Return a movement row's content as the ship's content.py gives it."""
    person = rng.randrange(1, 400)
    visitor = person > 300
    return {
        "id": seq,
        "person_id": person,
        "badge_id": None if visitor else person + 1000,
        "direction": "board" if seq % 2 else "depart",
        "occurred_at": _iso(at),
        "access_point_id": 1 + seq % 2,
        "port_call_id": 40 + seq // 5000,
        "voyage_id": 12,
        "purpose": "Delivery of provisions" if visitor else None,
        "method": "scan" if not visitor else "manual",
        "credential": "badge" if not visitor else "passport",
        "document_inspected": f"P {rng.randrange(10**8):08d}" if visitor else None,
        "escort_id": rng.randrange(1, 30) if visitor else None,
        "searched": visitor and seq % 3 == 0,
        "override_reason": None,
        "flags": "visitor_escorted" if visitor else "",
        "client_key": f"{rng.getrandbits(128):032x}",
        "received_at": _iso(at + timedelta(milliseconds=180)),
        "offline_verdict": None,
        "recorded_by_id": 2 + seq % 3,
        "person_family_name": FAMILY[person % 8],
        "person_given_names": GIVEN[(person // 8) % 8],
        "person_kind": "visitor" if visitor else "crew",
        "person_company": COMPANY[person % 5] if visitor else None,
        "person_document_number": f"X{person:07d}",
        "escort_family_name": "HANSEN" if visitor else None,
        "escort_given_names": "Ann" if visitor else None,
    }


def backlog(ship: int, records: int, start_seq: int = 1):
    """Yield a ship's wire entries #start_seq.. (records of them), chained from genesis."""
    rng, head = random.Random(ship), None
    for seq in range(1, start_seq + records):
        at = START + STEP * seq
        if seq % 10 == 0:
            data = {"username": f"watch{seq % 4}", "address": "10.0.0.21"}
            e = event_entry(head, "login.succeeded", data, at)
        else:
            e = row_entry(head, "movement.recorded", "movement", movement(seq, at, rng), FIELDS, at)
        head = (e["seq"], e["entry_hash"])
        if seq >= start_seq:
            yield e


STATUS = {
    "security_level": 1,
    "level_since": "2026-11-01T00:00:00.000000Z",
    "port_call": {"port": "NLRTM", "arrived_at": "2026-11-28T06:00:00.000000Z"},
    "on_board": {"crew": 22, "visitor": 3, "contractor": 2},
    "refusals_open": 1,
    "overstaying": 0,
    "records_waiting": 0,
}


def gzip_batches(imo: str, entries, size: int = 500):
    """Yield the ship's entries as the sender's gzip batches of `size` (with its status)."""
    chunk: list[dict] = []
    for e in entries:
        chunk.append(e)
        if len(chunk) == size:
            yield _packed(imo, chunk)
            chunk = []
    if chunk:
        yield _packed(imo, chunk)


def _packed(imo: str, chunk: list[dict]) -> bytes:
    body = {"protocol": 1, "imo": imo, "entries": chunk, "status": STATUS}
    return gzip.compress(json.dumps(body, separators=(",", ":")).encode(), 6, mtime=0)
