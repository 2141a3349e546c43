"""Where the ship sends its records ashore, and what the shore has acknowledged so far.

The URL and token come from GANGWAY_SHORE_URL / GANGWAY_SHORE_TOKEN when set (config SHORE_URL,
SHORE_TOKEN), else from `gangway shore-link set` (table shore_link). The acknowledged head is kept
in that table either way: `gangway verify-log` compares the chain with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import ShoreLink
from gangway.services.after_commit import unit_of_work
from gangway.services.audit.audit import append
from gangway.services.audit.verification import chain_head
from gangway.services.errors import BadInput

SET_KIND = "shore_link.set"  # chained: who pointed the records at which shore, and when


@dataclass(frozen=True)
class Link:
    """The link in force: URL and token, and where they came from."""

    url: str | None
    token: str | None
    allow_http: bool = False
    source: str = "none"  # "environment", "database" or "none"

    @property
    def is_set(self) -> bool:
        """Tell whether there is somewhere to send to."""
        return bool(self.url and self.token)


@dataclass(frozen=True)
class LinkStatus:
    """What `gangway shore-link status` prints."""

    link: Link
    head_seq: int  # the chain on board
    acked_seq: int
    acked_hash: str | None
    last_contact_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    diverged_seq: int | None

    @property
    def waiting(self) -> int:
        """Return how many entries the shore does not hold yet."""
        return max(0, self.head_seq - self.acked_seq)


def link_row(session: Session) -> ShoreLink | None:
    """Return the link's row (None: never set nor used)."""
    return session.scalars(select(ShoreLink).order_by(ShoreLink.id).limit(1)).first()


def link_in_force(session: Session, config) -> Link:
    """Return the link to use: the environment's URL and token first, else the stored ones."""
    if config.get("SHORE_URL") or config.get("SHORE_TOKEN"):
        insecure = bool(config.get("SHORE_INSECURE"))
        return Link(config.get("SHORE_URL"), config.get("SHORE_TOKEN"), insecure, "environment")
    row = link_row(session)
    if row is None or not row.url:
        return Link(None, None)
    return Link(row.url, row.token, row.allow_http, "database")


def check_url(url: str, *, insecure: bool) -> str:
    """Return the shore's base URL cleaned, or raise BadInput saying what is wrong."""
    url = (url or "").strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise BadInput("url", f"{url!r} is not a web address (https://shore.example.com).")
    if parts.scheme == "http" and not insecure:
        raise BadInput(
            "url", "The link carries the ship's records: use https:// (--insecure for tests only)."
        )
    if parts.query or parts.fragment:
        raise BadInput("url", "Give the shore's base address, without ?query or #fragment.")
    return url


def check_token(token: str) -> str:
    """Return the link token, or raise BadInput if it cannot be one."""
    token = (token or "").strip()
    if not token or len(token) > 200 or any(c.isspace() or not c.isprintable() for c in token):
        raise BadInput("token", "Give the link token `gangway shore add-ship` printed ashore.")
    return token


def set_link(session: Session, url: str, token: str, *, insecure: bool = False) -> ShoreLink:
    """Store the shore's URL and token; a new shore starts from nothing acknowledged. Commit."""
    url, token = check_url(url, insecure=insecure), check_token(token)
    with unit_of_work(session):
        row = link_row(session) or ShoreLink()
        if row.url != url:  # another shore holds nothing of ours yet
            row.acked_seq, row.acked_hash, row.diverged_seq = 0, None, None
            row.fleet_watch_version = 0  # and its fleet watch list is taken whole again
            row.photos_seq = 0  # and the photos the SSO sent go to it too
            row.last_contact_at = row.last_error = row.last_error_at = None
        row.url, row.token, row.allow_http = url, token, insecure
        session.add(row)
        append(session, SET_KIND, {"url": url, "insecure": insecure})  # never the token
    return row


def link_status(session: Session, config) -> LinkStatus:
    """Return the link, the chain's head on board and what the shore acknowledged."""
    row = link_row(session) or ShoreLink(acked_seq=0)
    head = chain_head(session)
    return LinkStatus(
        link_in_force(session, config),
        head[0] if head else 0,
        row.acked_seq or 0,
        row.acked_hash,
        row.last_contact_at,
        row.last_error,
        row.last_error_at,
        row.diverged_seq,
    )


def store_ack(session: Session, seq: int, entry_hash: str, now: datetime) -> None:
    """Keep the head the shore holds now (a contact that went well). Commit."""
    with unit_of_work(session):
        row = _row(session)
        row.acked_seq, row.acked_hash, row.last_contact_at = seq, entry_hash, now
        row.last_error = row.last_error_at = None


def store_error(session: Session, message: str, now: datetime, *, contact: bool = False) -> None:
    """Keep why the last try failed (and, if the shore answered, that it was reached). Commit."""
    with unit_of_work(session):
        row = _row(session)
        row.last_error, row.last_error_at = message[:2000], now
        if contact:
            row.last_contact_at = now


def store_divergence(session: Session, seq: int, message: str, now: datetime) -> None:
    """Keep that the shore refused the chain at `seq`: sending stops until the link is set again."""
    with unit_of_work(session):
        row = _row(session)
        row.diverged_seq, row.last_contact_at = seq, now
        row.last_error, row.last_error_at = message[:2000], now


def _row(session: Session) -> ShoreLink:
    row = link_row(session)
    if row is None:  # the link came from the environment: its state is kept here all the same
        row = ShoreLink(acked_seq=0)
        session.add(row)
    return row
