"""Mail to the SSO: refused entries are reported at once (ISPS B/9.12), never at the scan's cost.

Sending happens on one daemon worker thread per app, fed by a bounded queue (background.jobs). The
request only puts a refusal id on the queue (no I/O, never blocks), so a slow or dead mail server
cannot slow a scan or lose the refusal: the refusal is committed before anything is queued.
The one sender (`send_now`, `compose`, `AlertMailer`) also mails the CSO ashore (shore_alerts)
and the port call's report (mailing).
"""

from __future__ import annotations

import logging
import queue
import smtplib
import ssl
import time
from email.message import EmailMessage

from gangway.background.jobs import JobRunner

log = logging.getLogger(__name__)

QUEUE_SIZE = 1000  # far more than a gangway refuses in an outage; beyond it alerts are dropped
MAX_SHOWN_TEXT = 200  # scanned text is attacker-chosen: show enough to recognise it, no more
_EXTENSION = "gangway.background.mail"
MISMATCH_MAIL_SECONDS = 600
_mismatch_mailed: dict[str, float] = {}


def is_enabled(config) -> bool:
    """Tell whether mail is configured (MAIL_SERVER set)."""
    return bool(config.get("MAIL_SERVER"))


def addresses(config, key: str) -> list[str]:
    """Return a config key's addresses as a list (the value may be a comma-separated string)."""
    value = config.get(key) or []
    if isinstance(value, str):
        value = value.split(",")
    return [address.strip() for address in value if address and address.strip()]


def recipients(config) -> list[str]:
    """Return SSO_EMAIL as a list."""
    return addresses(config, "SSO_EMAIL")


def compose(config, to: list[str], subject: str, body: str) -> EmailMessage:
    """Build a plain-text message from MAIL_FROM to `to`."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config.get("MAIL_FROM") or "gangway@localhost"
    message["To"] = ", ".join(to)
    message.set_content(body)
    return message


def send_now(config, message: EmailMessage) -> None:
    """Send one message synchronously with smtplib; raise on any failure (the worker logs it)."""
    host, port = config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25)
    timeout = float(config.get("MAIL_TIMEOUT") or 10)
    security = (config.get("MAIL_SECURITY") or "none").lower()
    if security not in ("none", "starttls", "tls"):
        raise ValueError(f"MAIL_SECURITY must be none, starttls or tls, not {security!r}")
    context = ssl.create_default_context()
    if security == "tls":
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if security == "starttls":
            smtp.starttls(context=context)
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)


class AlertMailer(JobRunner):
    """Mail one kind of alert from the app's worker thread: queued at once, built and sent there.

    `build(app, item)` returns the message, or None when there is nothing to send (it logs why);
    `about(item)` names whom the alert tells about what, for the log.
    """

    def __init__(self, name: str, build, about, *, queue_size: int, thread_name: str):
        super().__init__(name, self._deliver, queue_size=queue_size, thread_name=thread_name)
        self.build, self.about = build, about

    def send_later(self, app, item: int | str) -> bool:
        """Queue the alert and return at once; False (logged) when the queue is full."""
        try:
            self.submit(app, item)
        except queue.Full:
            log.error("Mail queue full: nothing mailed to %s", self.about(item))
            return False
        return True

    def _deliver(self, app, item: int | str) -> None:
        """Build and send one alert on the worker thread; log any failure, never raise."""
        try:
            message = self.build(app, item)
            if message is not None:
                send_now(app.config, message)
                log.info("Mailed %s", self.about(item))
        except Exception:  # a failed mail must never kill the worker
            log.exception("Could not mail %s", self.about(item))


def send_refusal_alert(app, refusal_id: int) -> bool:
    """Queue the SSO's alert for a refusal; return at once (False if mail is off or queue full)."""
    return is_enabled(app.config) and _runner.send_later(app, refusal_id)


def send_mismatch_alert(app, what: str) -> bool:
    """Queue the SSO's alert that a scan was not decided: the records differ from the audit
    chain. The same difference is mailed once per MISMATCH_MAIL_SECONDS, not per scan."""
    if not is_enabled(app.config):
        return False
    now, quiet = time.monotonic(), MISMATCH_MAIL_SECONDS
    if now - _mismatch_mailed.get(what, -quiet) < quiet:
        return False
    _mismatch_mailed[what] = now
    return _runner.send_later(app, what)


def mismatch_alert(app, what: str) -> EmailMessage:
    """Build the alert for a scan refused a verdict because the records differ from the log."""
    body = [
        "A scan at the gangway was not decided: the records it would be decided on",
        "differ from the audit chain (edited beside the app?).",
        "",
        f"What differs: {_one_line(what)}",
        "",
        "Run `gangway verify-log` on the ship's computer and restore the records.",
    ]
    subject = "RECORDS DO NOT MATCH THE LOG: the gangway cannot decide scans"
    return compose(app.config, recipients(app.config), subject, "\n".join(body))


def wait_until_idle(app, timeout: float) -> bool:
    """Wait until every queued alert was sent or given up; return False on timeout (for tests)."""
    return _runner.wait_until_idle(app, timeout)


def refusal_alert(app, refusal_id: int) -> EmailMessage | None:
    """Build the alert for a refusal from the database (in a fresh app context and session)."""
    from gangway.db.models import Refusal, User
    from gangway.extensions import db

    with app.app_context():
        refusal = db.session.get(Refusal, refusal_id)
        if refusal is None:
            return None
        watch = db.session.get(User, refusal.recorded_by_id)
        point = _one_line(refusal.access_point.name)
        reason = _one_line(refusal.reason_message)
        person = refusal.recorded_name or "unknown"  # as recorded, whatever the name is now
        shown = refusal.scanned_text
        if len(shown) > MAX_SHOWN_TEXT:
            shown = shown[:MAX_SHOWN_TEXT] + "…"
        urls = app.url_map.bind("localhost", script_name=app.config.get("APPLICATION_ROOT"))
        link = urls.build("refusals.index") + f"#refusal-{refusal.id}"  # a path: no SERVER_NAME
        body = [
            f"Entry refused at {point} ({refusal.access_point.code}).",
            "",
            f"Time (UTC):    {refusal.occurred_at:%Y-%m-%d %H:%M:%S}",
            f"Direction:     {refusal.direction}",
            f"Reason:        {reason} ({refusal.reason_code})",
            f"Person:        {_one_line(person)}",
            f"Scanned text:  {_one_line(shown)}",
            f"Watch:         {watch.username if watch else '-'}",
            f"Refusal:       r-{refusal.id}",
            f"Acknowledge:   {link}",
            "",
            "Report and acknowledge it on the SSO's refusals page (ISPS B/9.12).",
        ]
        subject = f"REFUSED at {point}: {reason}"
        return compose(app.config, recipients(app.config), subject, "\n".join(body))


def _sso_alert(app, item: int | str) -> EmailMessage | None:
    """Build the SSO's alert about a refusal (its id) or a records mismatch (its text)."""
    if isinstance(item, str):
        return mismatch_alert(app, item) if recipients(app.config) else None
    if not recipients(app.config):
        log.warning("SSO_EMAIL is empty: no alert mailed for refusal %s", item)
        return None
    message = refusal_alert(app, item)
    if message is None:
        log.warning("Refusal %s not found: no alert mailed", item)
    return message


def _about(item: int | str) -> str:
    what = f"the records mismatch ({item})" if isinstance(item, str) else f"refusal {item}"
    return f"the SSO about {what}"


_runner = AlertMailer(
    _EXTENSION, _sso_alert, _about, queue_size=QUEUE_SIZE, thread_name="gangway-mail"
)


def _one_line(text: str) -> str:
    """Collapse whitespace so nothing scanned can add a header line or fake a body line."""
    return " ".join(str(text).split())
