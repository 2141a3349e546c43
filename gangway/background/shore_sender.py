"""The ship's sender: its own process that carries the audit chain ashore (issue 17, protocol v1).

Started by `gangway serve` (background.supervisor) when a link is set, or alone as `gangway
shore-link run [--once]`; never in a request, so a scan never waits for the satellite. Each
round asks the shore for its head, then sends the entries after it in batches of up to 500:
read the batch, end the read, send, and only then write the acknowledged head in a short
transaction of its own, so SQLite's write lock is never held while the network is waited on.
A failure waits 30 s, doubling up to an hour; a refusal (409) stops sending and is kept.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from gangway.background.fleet_watch_taker import take_fleet_watch
from gangway.background.priority import lower_priority
from gangway.background.shore_client import ShoreError, request_shore
from gangway.background.worker import PARENT_PID
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services.audit.audit import ENTRY
from gangway.services.audit.verification import chain_head
from gangway.services.errors import BadInput
from gangway.services.shore_link.batches import MAX_ENTRIES, build_batch, ship_imo
from gangway.services.shore_link.photos import store_photos_seq, uploads_waiting
from gangway.services.shore_link.settings import (
    Link,
    check_url,
    link_in_force,
    link_row,
    store_ack,
    store_divergence,
    store_error,
)

log = logging.getLogger(__name__)
INTERVAL = 30.0  # seconds between rounds once caught up (SHORE_LINK_INTERVAL)
BACKOFF_FIRST, BACKOFF_MAX = 30.0, 3600.0  # after a failure (SHORE_LINK_BACKOFF_*)
BUSY = "Another sender is sending right now (gangway serve's): it carries the records."


@dataclass(frozen=True)
class Outcome:
    """How a round ended: ok (caught up, or sent all it could), diverged, or failed."""

    ok: bool
    message: str
    diverged: bool = False
    backoff: bool = False  # a failure: wait longer before the next round


def send_round(app) -> Outcome:
    """Ask the shore's head, then send every batch after it; keep each acknowledged head."""
    session = db.session
    link = link_in_force(session, app.config)
    if not link.is_set:
        return Outcome(False, "No shore link is set.")
    take_fleet_watch(session, link)  # first, and even when the records cannot be sent
    row = link_row(session)
    if row is not None and row.diverged_seq is not None:
        return Outcome(False, f"Not sending: the chain diverged at #{row.diverged_seq}.", True)
    try:
        check_url(link.url, insecure=link.allow_http)
    except BadInput as exc:
        store_error(session, exc.message, utcnow())
        return Outcome(False, exc.message, backoff=True)
    if not ship_imo(session):
        message = "The ship has no IMO number yet: the shore knows ships by it."
        store_error(session, message, utcnow())
        return Outcome(False, message, backoff=True)
    session.rollback()  # no read stays open while the shore is asked
    try:
        head = request_shore(link, "GET", "/api/v1/shore/head")
        if head.get("chain_status") == "diverged":
            seq = head.get("diverged_at") or head.get("seq", 0) + 1
            return _diverged(session, seq, "the shore holds this ship's chain as diverged")
        seq, entry_hash = int(head["seq"]), str(head["entry_hash"])
        after = _resume_after(session, seq, entry_hash)
        if after == seq and seq:
            store_ack(session, seq, entry_hash, utcnow())
        return _send_batches(app, link, after, (seq, entry_hash))
    except ShoreError as exc:
        session.rollback()
        if exc.status == 409:
            message = exc.body.get("message") or "the shore refused the batch"
            return _diverged(session, int(exc.body.get("seq") or 0), message)
        store_error(session, exc.message, utcnow(), contact=exc.status is not None)
        return Outcome(False, exc.message, backoff=True)
    except (KeyError, TypeError, ValueError) as exc:
        session.rollback()
        message = f"The shore's answer is not protocol v1 ({exc!r:.200})."
        store_error(session, message, utcnow(), contact=True)
        return Outcome(False, message, backoff=True)


def _send_batches(app, link: Link, after: int, shore_head: tuple[int, str]) -> Outcome:
    session, sent = db.session, 0
    while True:
        batch = build_batch(session, after=after, now=utcnow(), limit=_batch_size(app))
        session.rollback()  # end the read before the network: no lock is held while we wait
        if batch is None:
            if shore_head[0] > after:  # the shore holds more than the chain on board has
                return _diverged(
                    session, after + 1, f"the shore holds #{shore_head[0]}, the chain on board "
                    f"ends at #{after}: entries were removed on board"
                )  # fmt: skip
            sent_too = _upload_photos(app, link)
            message = f"Caught up: sent {sent} entries{sent_too}; the shore holds #{after}."
            return Outcome(True, message)
        answer = request_shore(link, "POST", "/api/v1/shore/batches", batch.body)
        _hold(app)
        seq, entry_hash = int(answer["head"]["seq"]), str(answer["head"]["entry_hash"])
        if seq < batch.last_seq:
            raise ValueError(f"a head #{seq} below the batch's last entry #{batch.last_seq}")
        # Beyond the batch only if another sender ran meanwhile: fine while it is our chain.
        if not _on_board(session, seq, entry_hash):
            return _diverged(session, seq, f"the shore's head #{seq} is not in the chain on board")
        store_ack(session, seq, entry_hash, utcnow())
        after, sent, shore_head = seq, sent + batch.count, (seq, entry_hash)


def _upload_photos(app, link: Link) -> str:
    """PUT the photos the SSO sent whose entries the shore holds; a refusal is logged, skipped."""
    session, done = db.session, 0
    for up in uploads_waiting(session, Path(app.instance_path)):
        session.rollback()  # no read stays open while the shore is asked
        if up.data is not None:
            path = f"/api/v1/shore/photos/{up.person_id}/{up.photo}"
            headers = {"Content-Type": "image/jpeg", "X-Photo-SHA256": up.sha256}
            try:
                request_shore(link, "PUT", path, up.data, headers)
                done += 1
            except ShoreError as exc:
                if exc.status is None or exc.status >= 500:
                    raise  # not reached: the next round tries again
                log.error("Shore link: photo of entry #%s refused: %s", up.seq, exc.message)
        store_photos_seq(session, up.seq)
    return f" and {done} photo{'' if done == 1 else 's'}" if done else ""


def _batch_size(app) -> int:
    """Return the entries per batch: 500, or fewer where SHORE_LINK_BATCH says (tests)."""
    return max(1, min(int(app.config.get("SHORE_LINK_BATCH", MAX_ENTRIES)), MAX_ENTRIES))


def _hold(app) -> None:
    """Tests only: wait while the file named by SHORE_LINK_HOLD exists (sent, not yet kept)."""
    hold = app.config.get("SHORE_LINK_HOLD") if app.testing else None
    while hold and os.path.exists(hold):
        time.sleep(0.02)


def _resume_after(session, seq: int, entry_hash: str) -> int:
    """Return the seq to send after: the shore's head when the chain on board has it, else a
    point before it, so that the shore sees the entries that differ and refuses them (409)."""
    if seq == 0 or _on_board(session, seq, entry_hash):
        return seq
    head = chain_head(session)
    return max(0, min(seq, head[0] if head else 0) - 1)


def _on_board(session, seq: int, entry_hash: str) -> bool:
    """Tell whether the chain on board has this entry with this hash."""
    found = session.scalar(select(ENTRY.c.entry_hash).where(ENTRY.c.seq == seq))
    session.rollback()  # a read only: nothing stays open across the network
    return found == entry_hash


def _diverged(session, seq: int, message: str) -> Outcome:
    session.rollback()
    text = f"Chain diverged at #{seq}: {message}."
    store_divergence(session, seq, text, utcnow())
    log.error("Shore link: %s", text)
    return Outcome(False, text, diverged=True)


def run_sender(app, *, once: bool = False, stop: threading.Event | None = None) -> Outcome:
    """Send rounds until `stop` is set or the parent is gone; with `once`, one round."""
    stop = stop or threading.Event()
    parent = int(os.environ.get(PARENT_PID) or 0)  # set by serve's supervisor
    interval = float(app.config.get("SHORE_LINK_INTERVAL", INTERVAL))
    first = float(app.config.get("SHORE_LINK_BACKOFF_FIRST", BACKOFF_FIRST))
    longest = float(app.config.get("SHORE_LINK_BACKOFF_MAX", BACKOFF_MAX))
    delay = first
    with app.app_context():
        while True:
            with _one_sender(app) as alone:
                outcome = send_round(app) if alone else Outcome(False, BUSY)
            db.session.remove()
            if once:
                return outcome
            if outcome.backoff:
                log.warning("Shore link: %s (next try in %.0f s)", outcome.message, delay)
                wait, delay = delay, min(delay * 2, longest)
            else:
                wait, delay = interval, first
            if _sleep(stop, wait, parent):
                return outcome


@contextmanager
def _one_sender(app) -> Iterator[bool]:
    """Hold <instance>/shore_sender.lock for a round: serve's sender and a `run` by hand take
    turns instead of sending the same entries side by side. The kernel drops it with the
    process, however it ends."""
    with open(Path(app.instance_path) / "shore_sender.lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _sleep(stop: threading.Event, seconds: float, parent: int) -> bool:
    """Wait, a second at a time; return True if told to stop or the parent process is gone."""
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        if stop.wait(min(left, 1.0)) or (parent and os.getppid() != parent):
            return True
    return stop.is_set() or bool(parent and os.getppid() != parent)


def main() -> None:
    """Run the sender with the app its environment describes (GANGWAY_*)."""
    from gangway import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s shore %(levelname)s %(message)s")
    lower_priority()
    run_sender(create_app())


if __name__ == "__main__":
    main()
