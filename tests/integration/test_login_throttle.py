"""Failed logins slow down per account and client and never lock the account for everyone."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from gangway.db.models import AuditEntry
from gangway.extensions import db
from gangway.web.login_throttle import Client, LoginThrottle
from tests.conftest import PASSWORD

TABLET, THIEF = "10.0.0.2", "10.0.0.66"


@pytest.fixture
def clock(app):
    """The login throttle's clock, moved by hand (seconds)."""
    from gangway.web.login_throttle import throttle_for

    now = [1000.0]
    throttle_for(app).clock = lambda: now[0]
    return now


def device(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def try_login(client, password: str, username: str = "watch"):
    return client.post("/login", data={"username": username, "password": password})


def chain_length(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry))


def test_failures_wait_longer_each_time_per_client_and_never_lock(app, make_user, clock):
    make_user("watch")
    thief = device(app, THIEF)
    waits = []
    for _ in range(9):
        answer = try_login(thief, "guess")
        while answer.status_code == 429:
            waits.append(int(answer.headers["Retry-After"]))
            clock[0] += waits[-1]
            answer = try_login(thief, "guess")
        assert answer.status_code == 401
    assert waits == [1, 2, 4, 8, 16, 30, 30]  # 0 before the first retry; capped, no lock
    answer = try_login(thief, PASSWORD)
    assert answer.status_code == 429
    assert "wait 30 s" in answer.get_data(as_text=True)
    clock[0] += 30
    assert try_login(thief, PASSWORD).status_code == 302  # the right password: in, not locked


def test_the_tablet_that_logged_in_before_is_never_kept_out_from_another_device(
    app, make_user, clock
):
    make_user("watch")
    tablet = device(app, TABLET)
    assert try_login(tablet, PASSWORD).status_code == 302
    tablet.post("/logout")
    for thief_address in ("10.0.0.66", "10.0.0.67", "10.0.0.68"):
        thief = device(app, thief_address)
        for _ in range(12):
            try_login(thief, "guess")
            clock[0] += 60
    # Even from the thief's own address: the tablet's device cookie, not its address, counts.
    assert try_login(tablet, PASSWORD).status_code == 302
    tablet.post("/logout")
    assert try_login(tablet, "typo").status_code == 401  # the watch's own mistakes ...
    assert try_login(tablet, PASSWORD).status_code == 302  # ... cost them nothing the first time


def test_many_addresses_share_a_smaller_budget_per_account(app, make_user, clock):
    make_user("watch")
    free = app.config["LOGIN_ACCOUNT_FREE_FAILURES"]
    for i in range(free):  # that many fail at once, from as many addresses
        assert try_login(device(app, f"10.1.0.{i}"), "guess").status_code == 401
    answer = try_login(device(app, "10.1.1.1"), PASSWORD)
    assert answer.status_code == 429  # a new address waits too, and learns nothing
    clock[0] += int(answer.headers["Retry-After"])
    assert try_login(device(app, "10.1.1.1"), PASSWORD).status_code == 302


def test_an_unknown_name_waits_exactly_like_a_real_one(app, make_user, clock):
    make_user("watch")

    def statuses(username):
        client = device(app, "10.2.0.1")
        return [try_login(client, "guess", username).status_code for _ in range(4)]

    assert statuses("watch") == statuses("nobody") == [401, 401, 429, 429]


def test_a_try_made_to_wait_checks_no_password_and_writes_nothing(app, make_user, clock):
    make_user("watch")
    thief = device(app, THIEF)
    try_login(thief, "guess")
    try_login(thief, "guess")
    before = chain_length(app)
    assert try_login(thief, PASSWORD).status_code == 429  # the right one is no oracle
    assert chain_length(app) == before


def test_lock_columns_edited_beside_the_app_lock_no_one(app, make_user):
    make_user("watch")
    with app.app_context():
        db.session.execute(
            text("UPDATE \"user\" SET failed_logins = 99, locked_until = '2999-01-01 00:00:00'")
        )
        db.session.commit()
    assert try_login(device(app, TABLET), PASSWORD).status_code == 302


def test_a_throttle_forgets_a_pair_on_success_and_old_failures_of_an_account():
    now = [0.0]
    throttle = LoginThrottle(account_free=3, window_s=900, clock=lambda: now[0])
    thief, tablet = Client("address:x", "x", False), Client("device:t", "y", True)
    for _ in range(3):
        throttle.failed("watch", thief)
    assert throttle.wait_s("watch", thief) > 0
    assert throttle.wait_s("watch", Client("address:z", "z", False)) > 0  # the account budget
    assert throttle.wait_s("watch", tablet) == 0
    assert throttle.wait_s("deck", Client("address:z", "z", False)) == 0
    now[0] = 901.0
    assert throttle.wait_s("watch", Client("address:z", "z", False)) == 0
    throttle.succeeded("watch", thief)
    assert throttle.wait_s("watch", thief) == 0
