"""The watch tablet without a network: provisional verdicts, a durable queue, each scan once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from gangway.db.models import Badge, Movement, Refusal
from gangway.extensions import db
from tests.conftest import NOW

pytestmark = [pytest.mark.browser, pytest.mark.postgres]  # also run on PostgreSQL

SCANS = 120  # a long queue (200 gave the same result in twice the time)
DRAIN_TIMEOUT_MS = 60_000  # a bound for a loaded machine, not a wait: it returns when done
LOST = 25  # this request's answer never reaches the tablet (the server did record it)


def revoke(app, code: str) -> None:
    with app.app_context():
        badge = db.session.scalars(select(Badge).where(Badge.code == code)).one()
        badge.revoked_at, badge.revoked_reason = NOW, "lost"
        db.session.commit()


def scan_all(page: Page, plan: list[tuple[str, str]]) -> None:
    """Put each code into the code box and press Enter, the direction set for each scan (it
    counts for one scan only)."""
    for code, wanted in plan:
        page.check(f"input[name=direction][value={wanted}]")
        page.focus("#code")
        page.keyboard.insert_text(code)  # one input event: much faster than a key per character
        page.keyboard.press("Enter")


def records(app) -> list:
    """Every movement and refusal, by the time the check happened."""
    with app.app_context():
        rows = [
            (m.occurred_at, m.person.family_name, m.direction, "allowed", m.client_key, m)
            for m in db.session.scalars(select(Movement).order_by(Movement.id))
        ] + [
            (r.occurred_at, r.person.family_name, r.direction, "refused", r.client_key, r)
            for r in db.session.scalars(select(Refusal).order_by(Refusal.id))
        ]
        for *_, record in rows:
            db.session.expunge(record)
    return sorted(rows, key=lambda row: row[0])


def test_offline_scans_are_checked_on_the_tablet_queued_and_recorded_once(
    context, live_server, log_in, badge
):
    app = live_server.app
    names = ["REVOKED", "LATE", "ALPHA", "BRAVO", "CHARLIE", "DELTA"]
    codes = {name: badge(kind="crew", family=name, given="Test") for name in names}
    revoke(app, codes["REVOKED"])  # in the tablet's list: refused on the tablet too
    # Badge i of the cycle, its k-th scan: boarding when k is even, leaving when odd.
    plan = [(names[i % 6], "board" if (i // 6) % 2 == 0 else "depart") for i in range(SCANS)]
    page = log_in(context.new_page(), "watch")
    body, banner = page.locator("body"), page.get_by_test_id("offline-banner")
    expect(body).to_have_attribute("data-offline-pack-at", re.compile(r"^\d{4}-"))
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    app_manifest = context.new_cdp_session(page).send("Page.getAppManifest")
    assert app_manifest["errors"] == []
    manifest = app_manifest["manifest"]
    assert manifest["startUrl"] == manifest["scope"] == f"{live_server.url}/watch/"
    assert manifest["display"] == "kStandalone"
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    assert all(page.request.get(i["url"]).ok for i in manifest["icons"])

    result = page.locator("#watch-result")
    # Online: decided by the server, with a key too. Someone outside the plan below: boarding
    # twice (the plan's anti-passback) is refused, offline too.
    scan_all(page, [(badge(kind="crew", family="ECHO", given="Test"), "board")])
    expect(result).to_have_attribute("data-verdict", "allowed")
    expect(result).not_to_have_attribute("data-provisional", "true")
    online = records(app)
    assert len(online) == 1
    assert online[0][4]  # the page sent a client_key: a lost answer could be resent safely
    assert online[0][5].offline_verdict is None

    context.set_offline(True)
    expect(banner).to_contain_text("OFFLINE: 0 scans waiting")
    revoke(app, codes["LATE"])  # after the tablet's last list: it will allow, the ship refuses
    scan_all(page, [(codes[name], direction) for name, direction in plan[:1]])
    expect(result).to_have_attribute("data-verdict", "refused")
    expect(result).to_contain_text("PROVISIONAL")
    expect(result.locator("[data-code=revoked]")).to_be_visible()
    scan_all(page, [(codes[name], direction) for name, direction in plan[1:]])
    expect(banner).to_contain_text(f"OFFLINE: {SCANS} scans waiting", timeout=DRAIN_TIMEOUT_MS)
    queue = page.evaluate("import('/static/js/offline-queue.js').then((m) => m.queued())")
    assert [q["code"] for q in queue] == [codes[name] for name, _ in plan]
    held = page.evaluate("import('/static/js/offline-queue.js').then((m) => m.loadPack())")
    assert {q["pack_id"] for q in queue} == {held["pack_id"]}  # the pack each was checked with

    reloaded = page.reload()  # the service worker serves the saved page; the queue is on disk
    assert reloaded.from_service_worker
    expect(banner).to_contain_text(f"OFFLINE: {SCANS} scans waiting")
    # The camera's modules came from the service worker too: camera.js enables its served-disabled
    # toggle only once it and code-reader.js have loaded.
    expect(page.locator("#camera-toggle")).to_be_enabled()

    posted, answers = [], []
    page.on("request", lambda r: r.method == "POST" and posted.append(r.post_data_json))
    page.on("response", lambda r: r.request.method == "POST" and answers.append(r.status))

    routed = []

    def lose_one_answer(route):
        routed.append(route.request)
        if len(routed) == LOST:
            route.fetch()  # the server records it...
            route.abort()  # ...and the answer is lost: the tablet must resend, not duplicate
        else:
            route.continue_()

    context.route("**/api/v1/scans", lose_one_answer, times=LOST)
    context.set_offline(False)
    expect(body).to_have_attribute("data-offline-sent", str(SCANS), timeout=DRAIN_TIMEOUT_MS)
    expect(banner).to_be_hidden()
    keys = [p["client_key"] for p in posted]
    assert len(keys) == SCANS + 1
    assert keys.count(keys[LOST - 1]) == 2  # sent again after the lost answer...
    assert answers.count(200) == 1  # ...and answered from the record, not recorded again
    assert [p["scanned_at"] for p in posted] == sorted(p["scanned_at"] for p in posted)
    assert {p["pack_id"] for p in posted} == {held["pack_id"]}  # judged with what it knew

    rows = records(app)[1:]  # the online scan came first
    assert len(rows) == SCANS
    assert len({row[4] for row in rows}) == SCANS  # every client_key once
    assert {row[4] for row in rows} == {q["client_key"] for q in queue}
    # In scan-time order, as the tablet decided: refused were the badge revoked before its last
    # list (the tablet refused too) and the one revoked since (the tablet allowed, provisionally).
    refused_boarding = {"REVOKED": "refused", "LATE": "allowed"}
    expected = [
        (name, way, "refused" if way == "board" and name in refused_boarding else "allowed")
        for name, way in plan
    ]
    assert [(row[1], row[2], row[3]) for row in rows] == expected
    for _, name, _way, verdict, _, record in rows:
        tablet = refused_boarding[name] if verdict == "refused" else "allowed"
        assert record.offline_verdict == tablet
        assert record.received_at > record.occurred_at
        if tablet == "allowed" and verdict == "refused":
            assert record.reason_message.startswith("OFFLINE: the tablet let this person cross.")
    for table in ("allowed", "refused"):  # each table's insertion order is scan order too
        times = [row[0] for row in sorted(rows, key=lambda r: r[5].id) if row[3] == table]
        assert times == sorted(times)

    # The same queue sent again (a tablet restored from a backup): answered, never re-recorded.
    answers.clear()
    page.evaluate(
        """async (items) => {
            const store = await import('/static/js/offline-queue.js');
            await store.enqueue(...items);
            window.dispatchEvent(new Event('online'));
        }""",
        queue,
    )
    expect(body).to_have_attribute("data-offline-sent", str(2 * SCANS), timeout=DRAIN_TIMEOUT_MS)
    assert answers == [200] * SCANS
    assert len(records(app)) == SCANS + 1

    # Logging out leaves neither the roster nor the saved scan page for the next person.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/login"))
    kept = page.evaluate(
        """async () => ({
            page: Boolean(await caches.match('/watch/')),
            pack: await import('/static/js/offline-queue.js').then((m) => m.loadPack()),
        })"""
    )
    assert kept == {"page": False, "pack": None}
