"""The access log's pages are the matching records in one order, whatever the filters or the page.

The order is the log's: time (or name, then time), allowed before refused at the same instant,
then record id. The records share instants, ids across the two tables and names across persons,
so that every tie-break is used; pages are small so that pages are read from both ends.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from gangway.db.models import AccessPoint, Movement, Person, PortCall, Refusal
from gangway.domain.reporting.access_log import SORTS, parse_filters
from gangway.extensions import db
from gangway.services.access_log.access_log import access_log, all_log_rows
from tests.conftest import NOW

PAGE = 9
BASE = NOW - timedelta(hours=30)
FILTERS = [
    {},
    {"kind": "crew"},
    {"outcome": "refused"},
    {"outcome": "allowed", "kind": "visitor"},
    {"q": "lee"},
    {"q": "e, m"},  # across the name's comma
    {"q": "FIXIT", "direction": "depart"},
    {"purpose": "stores"},
    {"purpose": "BUNKER"},
    {"point": "AFT-LADDER"},
    {
        "from": (BASE + timedelta(minutes=5)).isoformat(),
        "to": (BASE + timedelta(minutes=12)).isoformat(),
    },
]
PEOPLE = [  # namesakes: two LEE, Min; names differ by first letter otherwise (any collation)
    ("crew", "LEE", "Min", None),
    ("crew", "LEE", "Min", None),
    ("visitor", "OKAFOR", "Ada", "ACME Stores"),
    ("contractor", "BAKER", "Tom", "Fixit BV"),
    ("passenger", "DIAZ", "Rosa", None),
    ("authority", "NOVAK", "Ivo", "Port Police"),
]


@pytest.fixture
def records(app, make_user):
    """Return what the log must show: 39 movements and 24 refusals of one call, in 16 minutes."""
    recorder = make_user("sso")
    rnd = random.Random(5)
    with app.app_context():
        call = db.session.scalars(select(PortCall)).one()
        other = PortCall(port_name="Hamburg", arrived_at=NOW - timedelta(days=9))
        points = db.session.scalars(select(AccessPoint)).all()
        people = [Person(kind=k, family_name=f, given_names=g, company=c) for k, f, g, c in PEOPLE]
        db.session.add_all([other, *people])
        db.session.flush()
        expected = []
        for n in range(64):
            person = rnd.choice(people) if n < 40 or n % 4 else None  # some refusals: nobody
            point = rnd.choice(points)
            purpose = rnd.choice(("Stores delivery", "Repairs", None))
            if n % 13 == 0 if n < 40 else n % 5:  # mostly refusals: the larger table is theirs
                purpose = "Bunkering"
            fields = {
                "person_id": person.id if person else None,
                "direction": rnd.choice(("board", "depart")),
                "occurred_at": BASE + timedelta(minutes=rnd.randrange(16)),
                "access_point_id": point.id,
                "port_call_id": other.id if n == 0 else call.id,
                "purpose": purpose,
                "method": "scan",
                "recorded_by_id": recorder.id,
            }
            if n < 40:
                record, outcome = Movement(**fields), "allowed"
            else:
                record = Refusal(scanned_text="x", reason_code="expired", reason_codes="expired",
                                 reason_message="Badge expired", **fields)  # fmt: skip
                outcome = "refused"
            db.session.add(record)
            db.session.flush()
            who = (None, "", None)
            if person:
                who = (person.kind, f"{person.family_name}, {person.given_names}", person.company)
            if n:
                expected.append({**fields, "outcome": outcome, "id": record.id, "point": point.code,
                                 "person": who})  # fmt: skip
        db.session.commit()
        return call.id, expected


def wanted(records: list[dict], f) -> list[tuple]:
    """Return the matching records in the log's order, as (outcome, id, name)."""

    def has(text, part):
        return part is None or (text is not None and part.lower() in text.lower())

    def matches(r):
        kind, name, company = r["person"]
        return (
            f.direction in ("any", r["direction"])
            and f.kind in ("any", kind)
            and f.outcome in ("any", r["outcome"])
            and has(r["purpose"], f.purpose)
            and f.access_point in (None, r["point"])
            and (f.from_at is None or r["occurred_at"] >= f.from_at)
            and (f.to_at is None or r["occurred_at"] <= f.to_at)
            and (f.q is None or has(name, f.q) or has(company, f.q))
        )

    rows = [(r["person"][1], r) for r in records if matches(r)]
    time = [lambda n, r: r["occurred_at"], lambda n, r: r["outcome"], lambda n, r: r["id"]]
    keys = [lambda n, r: n, *time] if f.sort.endswith("name") else time
    rows.sort(key=lambda row: [k(*row) for k in keys], reverse=f.sort.startswith("-"))
    return [(r["outcome"], r["id"], n or None) for n, r in rows]


def shown(rows) -> list[tuple]:
    return [(row.outcome, row.id, row.name) for row in rows]


def test_every_page_holds_the_next_matching_records_in_order(app, records):
    call_id, expected = records
    with app.app_context():
        for sort, args in ((sort, args) for sort in SORTS for args in FILTERS):
            filters = replace(parse_filters({**args, "sort": sort}), page_size=PAGE)
            want = wanted(expected, filters)
            assert want, args  # every filter matches something: an empty page proves nothing
            for page in range(1, len(want) // PAGE + 3):
                found = access_log(db.session, [call_id], replace(filters, page=page))
                assert (found.total, found.pages) == (len(want), -(-len(want) // PAGE))
                assert shown(found.rows) == want[(page - 1) * PAGE : page * PAGE], (
                    sort,
                    args,
                    page,
                )
            assert shown(all_log_rows(db.session, [call_id], filters)) == want, (sort, args)


def test_the_log_of_no_port_call_is_empty(app):
    with app.app_context():
        found = access_log(db.session, [], parse_filters({"sort": "name"}))
        assert (found.rows, found.total, found.pages) == ([], 0, 1)
        assert list(all_log_rows(db.session, [], parse_filters({}))) == []
