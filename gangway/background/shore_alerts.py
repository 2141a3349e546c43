"""Mail the CSO when the shore refuses a ship's batch (issue 17 point 3: a chain diverged, or a
ship's token used by another ship), on a worker thread: the ship's answer never waits for it."""

from __future__ import annotations

import logging
from email.message import EmailMessage

from gangway.background import mail

log = logging.getLogger(__name__)

QUEUE_SIZE = 100  # refusals are rare: a ship stops sending after one


def cso_recipients(config) -> list[str]:
    """Return SHORE_CSO_MAIL as a list (it may be configured as a comma-separated string)."""
    return mail.addresses(config, "SHORE_CSO_MAIL")


def send_refused_batch_alert(app, quarantine_id: int) -> bool:
    """Queue the CSO's alert about a refused batch; return at once (False: mail off or full)."""
    if not mail.is_enabled(app.config) or not cso_recipients(app.config):
        return False
    return _runner.send_later(app, quarantine_id)


def wait_until_idle(app, timeout: float) -> bool:
    """Wait until every queued alert was sent or given up (for tests)."""
    return _runner.wait_until_idle(app, timeout)


def refused_batch_alert(app, quarantine_id: int) -> EmailMessage | None:
    """Build the alert from the database (in a fresh app context and session)."""
    from gangway.db.models import ShoreQuarantine, ShoreShip
    from gangway.domain.shore.batches import LABELS
    from gangway.extensions import db

    with app.app_context():
        kept = db.session.get(ShoreQuarantine, quarantine_id)
        if kept is None:
            log.warning("Refused batch %s not found: no alert mailed", quarantine_id)
            return None
        ship = db.session.get(ShoreShip, kept.ship_id)
        what = LABELS.get(kept.reason, "Batch refused")
        at = f" at #{kept.seq}" if kept.seq else ""
        body = [
            f"The shore refused a batch of {ship.name}'s records (IMO {ship.imo}).",
            "",
            f"Received (UTC): {kept.received_at:%Y-%m-%d %H:%M:%S}",
            f"What:           {what}{at}",
            f"Details:        {' '.join(kept.message.split())}",
            f"Kept aside:     batch q-{kept.id}, SHA-256 {kept.body_sha256}",
            "",
            "Nothing of the batch was added to the ship's records ashore. See the fleet "
            "page; on board, `gangway verify-log` names what changed.",
        ]
        subject = f"{what}{at}: {ship.name} (IMO {ship.imo})"
        return mail.compose(app.config, cso_recipients(app.config), subject, "\n".join(body))


_runner = mail.AlertMailer(
    "gangway.background.shore_alerts",
    refused_batch_alert,
    lambda quarantine_id: f"the CSO about refused batch {quarantine_id}",
    queue_size=QUEUE_SIZE,
    thread_name="gangway-cso",
)
