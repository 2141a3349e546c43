"""The shore takes each ship's chain as it arrives, once, verified; it refuses and keeps aside
whatever does not continue it (PostgreSQL, the shore's database, for real)."""

from __future__ import annotations

import gzip
import threading

import pytest
from sqlalchemy import func, select

from gangway.background import shore_alerts
from gangway.db.models import AuditEntry, ShoreEntry, ShoreQuarantine, ShoreShip
from gangway.domain.records.audit_chain import GENESIS
from gangway.extensions import db
from gangway.services.accounts.accounts import create_token, create_user
from tests.conftest import FAST_HASH
from tests.support.shore import (
    add_test_ship,
    batch,
    chain,
    dispose,
    gz,
    head,
    rewritten,
    send,
    shore_app,
)
from tests.support.smtp import smtp_server

pytestmark = pytest.mark.shore


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One shore for the module; each test adds a ship of its own."""
    app = shore_app(tmp_path_factory.mktemp("shore"))
    yield app
    dispose(app)


def held(app, imo: str) -> tuple[int, int]:
    """Return (entries held, batches kept aside) for a ship."""
    with app.app_context():
        ship_id = db.session.scalar(select(ShoreShip.id).where(ShoreShip.imo == imo))
        entries = db.session.scalar(select(func.count()).where(ShoreEntry.ship_id == ship_id))
        kept = db.session.scalar(select(func.count()).where(ShoreQuarantine.ship_id == ship_id))
        return entries, kept


def test_a_ship_catches_up_in_batches_and_every_entry_is_held_once(app, client):
    imo, token = add_test_ship(app)
    assert head(client, token) == {
        "imo": imo,
        "seq": 0,
        "entry_hash": GENESIS,
        "chain_status": "ok",
        "diverged_at": None,
    }
    entries = chain(8)
    first = send(client, token, batch(imo, entries[:5], security_level=2, on_board={"crew": 20}))
    assert first.status_code == 200, first.get_json()
    assert first.get_json() == {
        "head": {"seq": 5, "entry_hash": entries[4]["entry_hash"]},
        "accepted": 5,
        "already_held": 0,
    }
    # The ship did not hear the answer and sends from #4 again: only #6-#8 are new.
    again = send(client, token, batch(imo, entries[3:])).get_json()
    assert (again["accepted"], again["already_held"]) == (3, 2)
    twice = send(client, token, batch(imo, entries[3:])).get_json()
    assert (twice["accepted"], twice["already_held"]) == (0, 5)
    assert head(client, token)["seq"] == 8
    assert held(app, imo) == (8, 0)
    with app.app_context():
        ship = db.session.scalars(select(ShoreShip).where(ShoreShip.imo == imo)).one()
        assert ship.status == {"security_level": 2, "on_board": {"crew": 20}}
        assert ship.last_contact_at is not None


def test_the_same_batch_arriving_twice_at_once_is_added_once(app):
    imo, token = add_test_ship(app)
    body, answers = gz(batch(imo, chain(300))), []

    def post():
        answers.append(send(app.test_client(), token, raw=body).get_json())

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted((a["accepted"], a["already_held"]) for a in answers) == [(0, 300), (300, 0)]
    assert held(app, imo) == (300, 0)


def test_a_chain_rewritten_on_board_is_refused_kept_aside_and_the_ship_shows_diverged(
    app, client, runner
):
    imo, token = add_test_ship(app)
    entries = chain(6)
    assert send(client, token, batch(imo, entries[:5])).status_code == 200
    forged = rewritten(entries, at_seq=2, prev=entries[0]["entry_hash"])
    body = gz(batch(imo, forged))
    answer = send(client, token, raw=body)
    assert answer.status_code == 409
    assert answer.get_json()["error"] == "diverged"
    assert answer.get_json()["seq"] == 2
    assert "entry #2 differs from the one the shore holds" in answer.get_json()["message"]
    assert head(client, token) | {"entry_hash": None} == {
        "imo": imo,
        "seq": 5,
        "entry_hash": None,
        "chain_status": "diverged",
        "diverged_at": 2,
    }
    with app.app_context():
        kept = db.session.scalars(select(ShoreQuarantine).where(ShoreQuarantine.seq == 2)).all()
        assert [(k.reason, k.body) for k in kept if k.body == body] == [("held_differs", body)]
        kinds = db.session.scalars(select(AuditEntry.kind).order_by(AuditEntry.seq)).all()
        assert kinds[-1] == "shore.chain_diverged"
    # Even a batch that continues the held chain waits for the CSO now; nothing more is kept.
    refused = send(client, token, batch(imo, entries[5:]))
    assert (refused.status_code, refused.get_json()["seq"]) == (409, 2)
    assert held(app, imo) == (5, 1)
    # The shore's own chain still verifies: the divergence is an entry, not an edit.
    assert runner.invoke(args=["verify-log"]).exit_code == 0


@pytest.mark.parametrize(
    ("name", "code", "seq"),
    [("gap", "seq_gap", 4), ("backdated", "backdated", 4), ("altered", "entry_hash", 4)],
)
def test_a_batch_that_does_not_continue_the_chain_adds_nothing(app, client, name, code, seq):
    imo, token = add_test_ship(app)
    entries = chain(6)
    send(client, token, batch(imo, entries[:3]))
    sent = entries[3:]
    if name == "gap":
        sent = entries[4:]
    elif name == "backdated":
        sent = rewritten(
            [dict(entries[3], recorded_at="2026-12-06T10:00:00.000000Z")],
            4,
            entries[2]["entry_hash"],
        )
    else:
        sent = [dict(entries[3], recorded_at="2026-12-07T10:00:04.000000Z"), *entries[4:]]
    answer = send(client, token, batch(imo, sent))
    assert answer.status_code == 409
    assert answer.get_json()["seq"] == seq
    assert answer.get_json()["message"].startswith(code)
    assert held(app, imo) == (3, 1)


def test_a_token_used_by_another_ship_is_refused_and_kept_aside(app, client):
    imo, token = add_test_ship(app, "MV Owner")
    other, _ = add_test_ship(app, "MV Other")
    answer = send(client, token, batch(other, chain(2)))
    assert answer.status_code == 403
    assert answer.get_json()["error"] == "wrong_ship"
    assert held(app, imo) == (0, 1)
    assert head(client, token)["chain_status"] == "ok"  # the token's own chain is intact
    assert held(app, other) == (0, 0)
    for _ in range(10):  # a leaked token sent again and again: kept for evidence ten times a day
        assert send(client, token, batch(other, chain(2))).status_code == 403
    assert held(app, imo) == (0, 10)


def test_a_call_without_the_ships_token_is_a_401(app, client):
    imo, _ = add_test_ship(app)
    with app.app_context():
        user = create_user(db.session, "cso-token", "cso", "x" * 20, hash_method=FAST_HASH)
        db.session.flush()
        user_token = create_token(db.session, user, "not a ship")
        db.session.commit()
    for token in (None, "gws_unknown", user_token):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answer = client.get("/api/v1/shore/head", headers=headers)
        assert answer.status_code == 401
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert send(client, "gws_unknown", batch(imo, chain(1))).status_code == 401


BODIES = {  # built when a test runs: the bomb is 64 MB before gzip
    "truncated": lambda: (gzip.compress(b'{"protocol": 1}')[:-9], {}, 400, "truncated"),
    "plain": lambda: (b'{"protocol": 1}', {}, 400, "not gzip"),
    "identity": lambda: (gz({}), {"Content-Encoding": "identity"}, 400, "gzip-compressed"),
    "garbage": lambda: (gzip.compress(b"not json"), {}, 400, "not JSON"),
    "deep": lambda: (gzip.compress(b"[" * 100_000 + b"]" * 100_000), {}, 400, "not JSON"),
    "field": lambda: (gz({"protocol": 1, "imo": "9074729", "entries": [{}]}), {}, 400, "seq"),
    "nan": lambda: (gzip.compress(b'{"protocol": 1, "x": NaN}'), {}, 400, "not JSON"),
    "bomb": lambda: (gzip.compress(b" " * (64 * 1024 * 1024 + 1), 1), {}, 413, "unpacked"),
    "huge": lambda: (b"\x1f\x8b" + b"x" * (8 * 1024 * 1024), {}, 413, "compressed"),
}


@pytest.mark.parametrize("name", BODIES)
def test_a_body_that_cannot_be_read_gets_a_clear_message_and_changes_nothing(app, client, name):
    raw, headers, status, words = BODIES[name]()
    imo, token = add_test_ship(app)
    answer = send(client, token, raw=raw, headers=headers)
    assert answer.status_code == status
    assert words in answer.get_json()["message"]
    assert held(app, imo) == (0, 0)
    assert head(client, token)["chain_status"] == "ok"


def test_the_cso_is_mailed_when_a_chain_diverges(app, client):
    imo, token = add_test_ship(app, "MV Mailed")
    entries = chain(3)
    send(client, token, batch(imo, entries[:2]))
    with smtp_server() as (inbox, port):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, SHORE_CSO_MAIL="cso@co.example")
        try:
            forged = rewritten(entries, at_seq=2, prev=entries[0]["entry_hash"])
            assert send(client, token, batch(imo, forged)).status_code == 409
            assert shore_alerts.wait_until_idle(app, 10)
        finally:
            app.config.update(MAIL_SERVER=None, SHORE_CSO_MAIL=None)
    (message,) = inbox.messages
    assert message["To"] == "cso@co.example"
    assert message["Subject"] == f"Chain rewritten on board at #2: MV Mailed (IMO {imo})"
    assert "Nothing of the batch was added" in message.get_content()
