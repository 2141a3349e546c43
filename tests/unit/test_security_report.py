"""The pre-arrival Security Report's 3.3-3.4, derived from plain records (MSC.1/Circ.1305)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from gangway.domain.reporting.security_report import (
    CallFacts,
    DeclarationFact,
    LevelFact,
    PlanFact,
    StsFact,
    certificate_alert,
    last_calls,
    sts_in_period,
)
from gangway.domain.reporting.security_report_form import (
    Arrival,
    Particulars,
    numbered,
    security_report,
)

T0 = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
PORTS = [  # eleven closed calls, oldest first: port, UN/LOCODE, facility, port's level
    ("Rotterdam", "NLRTM", "Waalhaven", 1),
    ("Antwerp", "BEANR", "Quay 730", 1),
    ("Hamburg", "DEHAM", "Burchardkai", 1),
    ("Felixstowe", "GBFXT", "Trinity", 1),
    ("Le Havre", "FRLEH", "Port 2000", 1),
    ("Bilbao", "ESBIO", "Santurce", 1),
    ("Lisbon", "PTLIS", "Alcantara", 1),
    ("Valencia", "ESVLC", "MSC Terminal", 1),
    ("Genoa", "ITGOA", "PSA Pra'", 2),
    ("Piraeus", "GRPIR", "Pier II", 1),
    ("Haifa", "ILHFA", "Bayport", 1),
]


def call_at(i: int) -> CallFacts:
    port, unlocode, facility, port_level = PORTS[i]
    arrived = T0 + timedelta(days=10 * i)
    return CallFacts(
        i + 1, port, unlocode, facility, arrived, arrived + timedelta(days=2), port_level
    )


CALLS = [call_at(i) for i in range(11)]
LEVELS = [
    LevelFact(T0 - timedelta(days=30), 1),
    # Level 2 from the middle of call 4 (Felixstowe) until after it: above the port's level 1.
    LevelFact(CALLS[3].arrived_at + timedelta(days=1), 2),
    LevelFact(CALLS[3].departed_at + timedelta(days=1), 1),
    # Level 2 at Genoa too, where the port was at level 2 itself: nothing special.
    LevelFact(CALLS[8].arrived_at - timedelta(hours=1), 2),
    LevelFact(CALLS[8].departed_at + timedelta(hours=1), 1),
]
DECLARATIONS = [DeclarationFact(4, 2, CALLS[3].arrived_at + timedelta(days=1, hours=1), "Trinity")]
BASE = ("10,25,100", "visitor,contractor")
PLANS = [
    PlanFact(T0 - timedelta(days=30), False, False, BASE),
    # Embarkation suspended at Lisbon for six hours.
    PlanFact(CALLS[6].arrived_at + timedelta(hours=3), True, False, BASE),
    PlanFact(CALLS[6].arrived_at + timedelta(hours=9), False, False, BASE),
    # The search rates revised at Piraeus.
    PlanFact(CALLS[9].arrived_at + timedelta(hours=5), False, False, ("25,50,100", BASE[1])),
    # The oldest call's revisions (Rotterdam) fall outside the ten.
    PlanFact(CALLS[0].arrived_at + timedelta(hours=1), False, False, ("5,25,100", BASE[1])),
    PlanFact(CALLS[0].arrived_at + timedelta(hours=2), False, False, BASE),
]
STS = [
    StsFact(
        1,
        "Nordic Star",
        "9300001",
        "NOR",
        "Off Malta, 35.8N 14.6E",
        CALLS[9].departed_at + timedelta(days=2),
        CALLS[9].departed_at + timedelta(days=3),
        1,
        "Deck watch doubled, access via one ladder",
        True,
        None,
    ),  # fmt: skip
    StsFact(
        2,
        "Old Tanker",
        "9100002",
        "LBR",
        "Off Rotterdam",
        CALLS[0].departed_at + timedelta(days=1),
        CALLS[0].departed_at + timedelta(days=2),
        1,
        "",
        True,
        None,
    ),  # fmt: skip
]
NOW = CALLS[10].departed_at + timedelta(days=3)


def kinds(row):
    return [m.kind for m in row.measures]


def test_eleven_closed_calls_give_the_ten_most_recent_with_their_levels_and_measures():
    rows = last_calls(CALLS, LEVELS, DECLARATIONS, PLANS, now=NOW)
    table = [(r.number, r.port, r.country, r.facility, r.unlocode, r.level, kinds(r)) for r in rows]
    assert table == [
        (1, "Haifa", "IL", "Bayport", "ILHFA", 1, []),
        (2, "Piraeus", "GR", "Pier II", "GRPIR", 1, ["plan_revised"]),
        (3, "Genoa", "IT", "PSA Pra'", "ITGOA", 2, []),
        (4, "Valencia", "ES", "MSC Terminal", "ESVLC", 1, []),
        (5, "Lisbon", "PT", "Alcantara", "PTLIS", 1, ["embarkation_suspended"]),
        (6, "Bilbao", "ES", "Santurce", "ESBIO", 1, []),
        (7, "Le Havre", "FR", "Port 2000", "FRLEH", 1, []),
        (8, "Felixstowe", "GB", "Trinity", "GBFXT", 2, ["above_port_level", "declaration"]),
        (9, "Hamburg", "DE", "Burchardkai", "DEHAM", 1, []),
        (10, "Antwerp", "BE", "Quay 730", "BEANR", 1, []),
    ]
    assert (rows[0].date_from, rows[0].date_to) == (CALLS[10].arrived_at, CALLS[10].departed_at)
    assert "level 2, above the port facility's 1" in rows[7].measures[0].text


def test_ship_to_ship_activities_of_the_period_are_listed_most_recent_first():
    rows = last_calls(CALLS, LEVELS, DECLARATIONS, PLANS, now=NOW)
    listed = sts_in_period(STS, since=rows[-1].date_from)
    assert [s.other_ship_name for s in listed] == ["Nordic Star"]  # the other was before Antwerp


def test_the_open_call_counts_up_to_now_and_a_level_set_during_it_is_the_one_operated():
    open_call = CallFacts(20, "Haifa", "ILHFA", None, NOW, None, 1)
    levels = [*LEVELS, LevelFact(NOW + timedelta(hours=2), 3)]
    rows = last_calls([*CALLS, open_call], levels, [], [], now=NOW + timedelta(hours=5))
    assert (rows[0].number, rows[0].date_to, rows[0].level, kinds(rows[0])) == (
        1, None, 3, ["above_port_level"])  # fmt: skip
    assert len(rows) == 10


def test_the_report_is_numbered_in_the_circulars_order_and_says_yes_to_special_measures():
    particulars = Particulars(imo_number="9123456", name="Nordic Trader", certificate_kind="issc",
                              certificate_issuer="DNV", certificate_expires_on=date(2027, 3, 1),
                              ssp_approved_on_board=True)  # fmt: skip
    arrival = Arrival("NLRTM", "Waalhaven", NOW + timedelta(days=2), "Cargo operations")
    report = security_report(
        particulars, arrival, current_level=1, calls=CALLS, levels=LEVELS,
        declarations=DECLARATIONS, plans=PLANS, sts=STS, other_information="", now=NOW)  # fmt: skip
    items = {i["number"]: i for s in numbered(report) for i in s["items"]}
    order = [i["number"] for s in numbered(report) for i in s["items"]]
    assert order[:3] == ["1.1", "1.2", "1.3"]
    assert order.index("1.10") > order.index("1.9")
    assert order.index("3.3") < order.index("3.3.1") < order.index("3.3.2") < order.index("3.4")
    assert items["1.1"]["value"] == "9123456"
    assert items["3.1"]["value"] == "ISSC"
    assert items["3.1.1"]["value"]["issuer"] == "DNV"
    assert items["3.3.1"]["value"] is True
    assert [r["number"] for r in items["3.3.2"]["rows"]] == [2, 5, 8]
    assert len(items["3.3"]["rows"]) == 10
    assert items["3.3"]["rows"][7]["security_level"] == 2
    assert [s["other_ship_name"] for s in items["3.4"]["rows"]] == ["Nordic Star"]
    assert items["3.4.1"]["value"] is True


def test_a_certificate_within_thirty_days_of_expiry_or_expired_is_flagged():
    today = date(2026, 6, 1)
    assert certificate_alert(date(2026, 7, 10), today) is None
    assert certificate_alert(date(2026, 7, 1), today).days_left == 30
    assert certificate_alert(date(2026, 5, 31), today).is_expired
    assert certificate_alert(None, today) is None


def test_a_call_in_a_known_time_zone_carries_its_local_times_too():
    ends = T0 + timedelta(days=1)
    call = CallFacts(1, "Rotterdam", "NLRTM", None, T0, ends, 1, "Europe/Amsterdam")
    report = security_report(
        Particulars(), Arrival("DEHAM", None, NOW, "Cargo"), current_level=1, calls=[call],
        levels=[], declarations=[], plans=[], sts=[], other_information="", now=NOW)  # fmt: skip
    row = next(i for s in numbered(report) for i in s["items"] if i["number"] == "3.3")["rows"][0]
    assert (row["date_from"], row["date_from_local"]) == (
        "2026-01-01T08:00:00+00:00", "2026-01-01T09:00:00+01:00")  # fmt: skip
