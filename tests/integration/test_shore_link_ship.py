"""The ship's side of the link ashore, without a shore: the batch it would send, the commands
that set and show the link, and verify-log's comparison with the head the shore acknowledged.
The sender against a real shore: tests/integration/test_shore_link_end_to_end.py."""

from __future__ import annotations

import fcntl
import gzip
import json
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, text

from gangway.cli.serve import shore_link_is_set
from gangway.db.models import AuditEntry, Badge
from gangway.db.types import utcnow
from gangway.domain.records.audit_chain import GENESIS, digest, entry_hash
from gangway.extensions import db
from gangway.services.shore_link.batches import build_batch
from gangway.services.shore_link.settings import store_ack


def _records(app, client, auth, make_badge):
    """A crew member boards, a visitor's badge is issued and then revoked."""
    auth.login("watch")
    client.post("/watch/scan", data={"code": make_badge(), "direction": "board"})
    make_badge(kind="visitor")
    with app.app_context():
        badge = db.session.scalars(select(Badge).order_by(Badge.id.desc())).first()
        badge.revoked_at, badge.revoked_reason = utcnow(), "lost"
        db.session.commit()


_HEAD = select(AuditEntry.seq, AuditEntry.entry_hash).order_by(AuditEntry.seq.desc()).limit(1)


def _sent(batch) -> dict:
    return json.loads(gzip.decompress(batch.body))


def test_a_batch_carries_the_chain_in_order_with_each_rows_content_while_it_still_holds(
    app, client, auth, make_badge
):
    _records(app, client, auth, make_badge)
    with app.app_context():
        total = db.session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()))
        document = _sent(build_batch(db.session, after=0, now=utcnow()))
        part = build_batch(db.session, after=2, now=utcnow(), limit=3)
    entries = document["entries"]
    assert document["imo"] == "9000001"
    assert [e["seq"] for e in entries] == list(range(1, total + 1))
    prev = GENESIS
    for e in entries:  # what the shore recomputes, with the chain's own functions
        assert e["prev_hash"] == prev
        at = e["recorded_at"].replace("Z", "+00:00")
        again = entry_hash(
            prev, e["seq"], e["kind"], e["record_table"], e["record_id"], e["digest"],
            datetime.fromisoformat(at),
        )  # fmt: skip
        assert again == e["entry_hash"]
        if e["content"] is not None:
            assert sorted(e["content"]) == e["fields"]
            assert digest(e["content"]) == e["digest"]
        prev = e["entry_hash"]
    kinds = {e["kind"]: e for e in entries}
    assert kinds["movement.recorded"]["content"]["direction"] == "board"
    # The badge changed since it was issued: the entry goes without content, the
    # revocation's entry carries the row as it is now.
    visitor = kinds["badge.revoked"]["record_id"]
    issued = [e for e in entries if e["kind"] == "badge.issued" and e["record_id"] == visitor]
    assert issued[0]["content"] is None
    assert kinds["badge.revoked"]["content"]["revoked_reason"] == "lost"
    status = document["status"]
    assert status["on_board"]["crew"] == 1
    assert status["security_level"] == 1
    assert status["port_call"]["port_name"] == "Rotterdam"
    assert status["records_waiting"] == 0
    assert (part.first_seq, part.last_seq) == (3, 5)
    assert _sent(part)["status"]["records_waiting"] == total - 5


def test_set_refuses_plain_http_and_status_shows_what_waits_and_what_the_shore_holds(
    app, runner, client, auth, make_badge
):
    refused = runner.invoke(args=["shore-link", "set", "http://shore.example", "gws_abc"])
    assert refused.exit_code == 1
    assert "https://" in refused.output
    bad_token = runner.invoke(args=["shore-link", "set", "https://shore.example", "two words"])
    assert "link token" in bad_token.output
    before = runner.invoke(args=["shore-link", "status"])
    assert "not set" in before.output
    assert not shore_link_is_set(app)  # `gangway serve` starts no sender
    done = runner.invoke(args=["shore-link", "set", "https://shore.example/", "gws_secret"])
    assert done.exit_code == 0, done.output
    assert shore_link_is_set(app)  # ... and now it does
    _records(app, client, auth, make_badge)
    with app.app_context():
        set_entry = db.session.execute(
            select(AuditEntry.seq, AuditEntry.entry_hash, AuditEntry.payload).where(
                AuditEntry.kind == "shore_link.set"
            )
        ).one()
        head = db.session.execute(_HEAD).one()
        store_ack(db.session, set_entry.seq, set_entry.entry_hash, utcnow())
    assert "gws_secret" not in set_entry.payload  # the chain names the shore, never the token
    status = runner.invoke(args=["shore-link", "status"]).output
    assert "Shore link: https://shore.example (from the database)" in status
    assert f"Sent and acknowledged: {set_entry.seq} entries" in status
    assert f"#{set_entry.seq} sha256:{set_entry.entry_hash}" in status
    assert f"Waiting to be sent: {head.seq - set_entry.seq} entries" in status
    app.config |= {"SHORE_URL": "https://fleet.example", "SHORE_TOKEN": "gws_other"}
    assert (
        "https://fleet.example (from the environment)"
        in runner.invoke(args=["shore-link", "status"]).output
    )


def test_verify_log_names_a_chain_on_board_that_no_longer_has_the_head_the_shore_holds(
    app, runner, client, auth, make_badge
):
    _records(app, client, auth, make_badge)
    with app.app_context():
        head = db.session.execute(_HEAD).one()
        store_ack(db.session, head.seq, head.entry_hash, utcnow())
    assert runner.invoke(args=["verify-log"]).exit_code == 0
    with app.app_context(), db.engine.begin() as conn:  # the chain rewritten from that entry on
        fake = "f" * 64
        conn.execute(text("UPDATE audit_entry SET entry_hash = :h WHERE seq = :s"),
                     {"h": fake, "s": head.seq})  # fmt: skip
    result = runner.invoke(args=["verify-log"])
    assert result.exit_code == 1
    assert (
        f"[shore_head_differs] the chain on board differs from the copy ashore at #{head.seq}"
        in (result.output)
    )


def test_a_second_sender_leaves_the_round_to_the_one_sending(app, runner):
    runner.invoke(args=["shore-link", "set", "https://shore.example", "gws_secret"])
    with open(Path(app.instance_path) / "shore_sender.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # serve's sender, mid-round
        second = runner.invoke(args=["shore-link", "run", "--once"])
    assert second.exit_code == 1
    assert "Another sender is sending right now" in second.output


def test_a_sender_that_cannot_reach_the_shore_waits_30_s_doubling_to_an_hour(
    app, runner, monkeypatch
):
    from gangway.background import shore_sender
    from tests.integration.test_serve import free_port

    runner.invoke(
        args=["shore-link", "set", f"http://127.0.0.1:{free_port()}", "gws_x", "--insecure"]
    )
    waits = []

    def sleep(stop, seconds, parent):  # each round really fails: nothing listens on the port
        waits.append(seconds)
        return len(waits) == 9

    monkeypatch.setattr(shore_sender, "_sleep", sleep)
    last = shore_sender.run_sender(app)
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert "could not be reached" in last.message
    assert "could not be reached" in runner.invoke(args=["shore-link", "status"]).output
