"""The plan has a history: late checks are judged under the plan in force when they were made."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from flask_migrate import upgrade
from sqlalchemy import select, text

from gangway.db.models import AuditEntry, PlanRevision, Refusal
from gangway.domain.ship.plan import OpenLevels
from gangway.extensions import db
from gangway.services.audit import audit
from gangway.services.audit.verify import adopt_records
from gangway.services.ship.plan import add_access_point, update_access_point
from gangway.services.ship.plan_settings import set_suspension
from tests.integration import test_offline_api as offline
from tests.integration.test_audit_log import verify
from tests.integration.test_offline_api import late, scan

headers, alerts = offline.headers, offline.alerts  # the same fixtures here
BEFORE_PLAN_HISTORY = "d5e0c4a1b209"


def revisions(app) -> list[PlanRevision]:
    with app.app_context():
        return db.session.scalars(select(PlanRevision).order_by(PlanRevision.id)).all()


def aft_gangway_added_then_changed(app, **change) -> str:
    """Add the aft gangway (open at levels 1 and 2), change it a moment later; return a scan
    time (ISO 8601) in between, while it was as added."""
    with app.app_context():
        add_access_point(db.session, "AFT-GW", "Aft gangway", "gangway")
        db.session.commit()
    opened = datetime.now(UTC)
    time.sleep(0.01)
    with app.app_context():
        update_access_point(db.session, "AFT-GW", **change)
        db.session.commit()
    return (opened + timedelta(milliseconds=5)).isoformat()


def test_each_change_of_the_plan_is_a_chained_revision(app, runner):
    before = len(revisions(app))
    with app.app_context():
        set_suspension(db.session, embarkation=True, disembarkation=False)
        add_access_point(db.session, "AFT-GW", "Aft gangway", "gangway")
        db.session.commit()
        set_suspension(db.session, embarkation=True, disembarkation=False)  # no change
        update_access_point(db.session, "AFT-GW", name="Aft gangway, port side")  # not the plan
        db.session.commit()
        kinds = db.session.scalars(
            select(AuditEntry.kind).where(AuditEntry.record_table == "plan_revision")
        ).all()
    added = revisions(app)[before:]
    assert [r.embarkation_suspended for r in added] == [True, True]
    assert json.loads(added[-1].open_points)["AFT-GW"] == "110"
    assert kinds.count("plan.changed") == before + 2
    verify(runner, ok=True)


def test_a_boarding_made_before_embarkation_was_suspended_is_judged_without_it(
    app, client, headers, make_badge, alerts
):
    """Sent after the suspension, the tablet's "allowed" is no "OFFLINE" refusal; the SSO hears
    that a check now would refuse it (late_scan_differs), the movement stands."""
    code = make_badge(kind="visitor")
    with app.app_context():
        set_suspension(db.session, embarkation=True, disembarkation=False)  # in force from now
    before = late(client, headers, code, minutes=5, purpose="Ship's agent")
    assert (before.status_code, before.json["verdict"]) == (201, "allowed")
    assert [r["code"] for r in before.json["reasons"]] == ["late_scan_differs"]
    with app.app_context():
        told = db.session.scalars(select(Refusal)).one()
    assert (told.reason_code, told.reason_codes) == (
        "late_scan_differs",
        "late_scan_differs,embarkation_suspended",
    )
    assert alerts == [told.id]
    now = scan(client, headers, make_badge(kind="visitor"), purpose="Ship's agent")
    assert now.json["verdict"] == "refused"


def test_a_late_check_is_judged_at_the_access_points_open_when_it_was_made(
    app, client, headers, make_badge
):
    while_open = aft_gangway_added_then_changed(app, open_at=OpenLevels())
    made_then = late(client, headers, make_badge(), scanned_at=while_open, access_point="AFT-GW")
    before_it_was_added = late(client, headers, make_badge(), minutes=5, access_point="AFT-GW")
    live = scan(client, headers, make_badge(), access_point="AFT-GW")
    assert made_then.json["verdict"] == "allowed"
    # No "OFFLINE: the tablet let this person cross"; a check now refuses: the SSO is told.
    assert [r["code"] for r in made_then.json["reasons"]] == ["late_scan_differs"]
    for refused in (before_it_was_added, live):
        assert [r["code"] for r in refused.json["reasons"]] == ["access_point_closed"]


def test_a_late_check_at_an_access_point_disabled_since_is_recorded_not_turned_away(
    app, client, headers, make_badge
):
    while_open = aft_gangway_added_then_changed(app, is_enabled=False)
    made_then = late(client, headers, make_badge(), scanned_at=while_open, access_point="AFT-GW")
    before_it_existed = late(client, headers, make_badge(), minutes=5, access_point="AFT-GW")
    live = scan(client, headers, make_badge(), access_point="AFT-GW")
    assert (made_then.status_code, made_then.json["verdict"]) == (201, "allowed")
    assert before_it_existed.status_code == 201  # the tablet let them cross: it is on record
    assert [r["code"] for r in before_it_existed.json["reasons"]] == ["access_point_closed"]
    assert live.status_code == 400  # a live check names an access point in use, or none


def test_an_upgraded_database_records_the_plan_it_had_and_chains_it(app, runner):
    with app.app_context():
        db.drop_all()
        upgrade(directory=app.extensions["migrate"].directory, revision=BEFORE_PLAN_HISTORY)
        # Written as that version's schema stood (today's models have columns added since).
        db.session.execute(
            text(
                "INSERT INTO ship (name, security_level, embarkation_suspended, "
                "disembarkation_suspended, search_percent_1, search_percent_2, "
                "search_percent_3, search_crew, escort_ratio, escorted_kinds) "
                "VALUES ('MV Upgraded', 1, false, true, 10, 25, 100, false, 5, 'visitor')"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO access_point (code, name, kind, is_enabled, open_at_1, open_at_2, "
                "open_at_3) VALUES ('FWD-GW', 'Forward gangway', 'gangway', true, true, false, "
                "false)"
            )
        )
        audit.append(db.session, "test.older_version_ran", {})  # that version kept a chain
        db.session.commit()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "plan revision rows: 1" in result.output
    with app.app_context():  # chained by that version, had it written the point itself
        adopt_records(db.session, tables=["access_point"])
        db.session.commit()
    [baseline] = revisions(app)
    assert (baseline.embarkation_suspended, baseline.disembarkation_suspended) == (False, True)
    assert json.loads(baseline.open_points) == {"FWD-GW": "100"}
    verify(runner, ok=True)
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM plan_revision")).scalar() == 1
