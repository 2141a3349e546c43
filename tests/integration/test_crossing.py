"""Direction and purpose at the gangway: a scan moves the person across, purpose is the person's.

ISPS B/9.14.1 (identity and reason for boarding confirmed), B/9.14.5 (embarking segregated from
disembarking), B/9.17.2 (at level 3 those responding board; the crew unless the plan says not).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from gangway.db.models import AccessPoint, Movement, Refusal
from gangway.extensions import db
from tests.integration import test_offline_api as offline
from tests.integration.test_level_checks import count, set_ship


def scan(client, code: str, **form):
    """Post a scan as the tablet does; no direction field means "across"."""
    return client.post(
        "/watch/scan", data={"code": code, **form}, headers={"HX-Request": "true"}
    ).get_data(as_text=True)


headers = offline.headers  # the API token fixture, for late scans


def movements(app):
    with app.app_context():
        rows = db.session.scalars(select(Movement).order_by(Movement.id))
        return [(m.direction, m.flags, m.purpose) for m in rows]


def test_a_scan_moves_the_person_across_each_time(app, auth, client, make_badge):
    auth.login("watch")
    code = make_badge(kind="crew")
    first = scan(client, code, direction="auto")
    assert "ALLOWED ABOARD" in first
    assert 'data-direction="board"' in first
    second = scan(client, code)
    assert "ALLOWED ASHORE" in second
    assert 'data-direction="depart"' in second
    scan(client, code)
    assert movements(app) == [("board", "", None), ("depart", "", None), ("board", "", None)]


def test_a_forced_direction_counts_for_that_scan_and_is_flagged_when_it_contradicts(
    app, auth, client, make_badge
):
    auth.login("watch")
    code = make_badge(kind="crew")
    html = scan(client, code, direction="depart")  # ashore, but the watch says leaving
    assert 'data-code="not_aboard"' in html
    scan(client, code)  # across again: they are recorded ashore, so boarding
    assert movements(app) == [("depart", "not_aboard", None), ("board", "", None)]


def test_the_next_person_after_a_departure_is_recorded_boarding(app, auth, client, make_badge):
    auth.login("watch")
    leaving, arriving = make_badge(kind="crew"), make_badge(kind="crew")
    scan(client, leaving, direction="board")
    scan(client, leaving)
    scan(client, arriving)
    assert [m[0] for m in movements(app)] == ["board", "depart", "board"]


def one_way(app, code: str, way: str | None):
    with app.app_context():
        point = db.session.scalars(select(AccessPoint).where(AccessPoint.code == code)).one()
        point.one_way = way
        db.session.commit()


def test_a_boarding_only_point_boards_even_someone_recorded_aboard(app, auth, client, make_badge):
    one_way(app, "MAIN-GW", "board")
    set_ship(app, passback_refuse_board="")  # the plan flags boarding twice
    auth.login("watch")
    code = make_badge(kind="crew")
    scan(client, code)
    html = scan(client, code)
    assert "ALLOWED ABOARD" in html
    assert 'data-code="already_aboard"' in html
    assert [m[0] for m in movements(app)] == ["board", "board"]


def test_leaving_through_a_boarding_only_point_is_refused_as_input_and_writes_nothing(
    app, auth, client, make_badge
):
    one_way(app, "MAIN-GW", "board")
    auth.login("watch")
    html = scan(client, make_badge(kind="crew"), direction="depart")
    assert "NOT RECORDED" in html
    assert "Main gangway is for boarding only." in html
    assert (count(app, Movement), count(app, Refusal)) == (0, 0)


def test_the_scan_page_at_a_one_way_point_offers_no_direction_and_says_which(app, auth, client):
    one_way(app, "MAIN-GW", "depart")
    auth.login("watch")
    html = client.get("/watch/").get_data(as_text=True)
    assert "leaving only" in html
    assert 'value="board"' not in html


def test_a_registered_purpose_wins_over_what_the_page_sends(
    app, auth, client, make_person, make_badge
):
    auth.login("watch")
    visitor = make_person(kind="visitor", purpose="Surveyor / class")
    scan(client, make_badge(visitor), purpose="Stores delivery")
    assert movements(app) == [("board", "", "Surveyor / class")]


def test_crew_and_passengers_never_carry_a_visit_purpose(app, auth, client, make_badge):
    auth.login("watch")
    scan(client, make_badge(kind="crew"), purpose="Stores delivery")
    scan(client, make_badge(kind="passenger"), purpose_other="Shore excursion")
    assert [m[2] for m in movements(app)] == [None, None]


def test_a_visitor_without_a_purpose_is_asked_and_nothing_is_recorded_until_answered(
    app, auth, client, make_badge
):
    auth.login("watch")
    code = make_badge(kind="visitor")
    html = scan(client, code)
    assert 'data-verdict="purpose_needed"' in html
    assert "PURPOSE NEEDED" in html
    assert 'id="purpose-form"' in html
    assert 'name="purpose_declined"' in html
    assert (count(app, Movement), count(app, Refusal)) == (0, 0)
    # The waiting form carries the direction the scan was judged in, and no purpose.
    assert 'name="direction" value="board"' in html
    assert 'type="hidden" name="purpose"' not in html
    answered = scan(client, code, direction="board", purpose_other="Engine spares survey")
    assert "ALLOWED ABOARD" in answered
    assert movements(app) == [("board", "", "Engine spares survey")]


def test_no_purpose_given_when_asked_is_a_refusal_reported_to_the_sso(
    app, auth, client, make_badge
):
    auth.login("watch")
    code = make_badge(kind="visitor")
    html = scan(client, code, direction="board", purpose_declined="1")
    assert 'data-verdict="refused"' in html
    with app.app_context():
        refusal = db.session.scalars(select(Refusal)).one()
        assert refusal.reason_code == "purpose_required"


def test_crew_board_at_level_3_by_default_and_not_when_the_plan_says_responders_only(
    app, auth, client, make_badge
):
    set_ship(app, security_level=3)
    auth.login("watch")
    assert "ALLOWED ABOARD" in scan(client, make_badge(kind="crew"))
    set_ship(app, crew_board_at_level_3=False)
    html = scan(client, make_badge(kind="crew"))
    assert 'data-code="responders_only"' in html


def test_the_api_moves_the_person_across_when_no_direction_is_given(app, auth, client, make_badge):
    auth.login("watch")
    code = make_badge(kind="crew")
    for expected in ("board", "depart"):
        answer = client.post("/api/v1/scans", json={"code": code, "access_point": "MAIN-GW"})
        assert answer.status_code == 201, answer.get_json()
        assert answer.get_json()["direction"] == expected


def test_a_late_scan_across_is_judged_by_where_the_person_was_at_its_time(
    app, auth, client, make_badge, headers
):
    """A tablet offline half an hour ago let a crew member aboard while ashore; they have come
    aboard again since through this gangway. The late scan is a boarding: they were ashore at
    its time, though they are aboard now."""
    auth.login("watch")
    code = make_badge(kind="crew")
    scan(client, code)  # now aboard
    tablet = app.test_client()  # the offline tablet's token, without the watch's session
    answer = offline.late(tablet, headers, code, minutes=30, direction="auto")
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["direction"] == "board"
    assert answer.get_json()["reasons"] == []  # not "already aboard": they were not, then
    with app.app_context():
        rows = list(db.session.scalars(select(Movement).order_by(Movement.occurred_at)))
    assert [m.direction for m in rows] == ["board", "board"]
    assert rows[0].occurred_at < rows[1].occurred_at - timedelta(minutes=20)
