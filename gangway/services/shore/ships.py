"""The fleet's ships ashore: adding one with its link token, finding a ship by its token."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gangway.db.models import ShoreShip
from gangway.domain.shore.ships import is_valid_imo, normalise_imo
from gangway.services import BadInput
from gangway.services.accounts.accounts import hash_token
from gangway.services.after_commit import unit_of_work
from gangway.services.audit.audit import append

TOKEN_PREFIX = "gws_"  # a ship's link token, told apart at a glance from a user's "gw_"


def add_ship(session: Session, imo: str, name: str, now: datetime) -> tuple[ShoreShip, str]:
    """Add a ship of the fleet and return it with its link token (only the hash is kept)."""
    number, name = normalise_imo(imo), " ".join(name.split())
    if not is_valid_imo(number):
        raise BadInput("imo", f"{imo!r} is not an IMO number: 7 digits, the last a check digit.")
    if not name or len(name) > 120:
        raise BadInput("name", "Give the ship's name (at most 120 characters).")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ship = ShoreShip(imo=number, name=name, token_hash=hash_token(token), added_at=now)
    try:
        with unit_of_work(session):
            if session.scalar(select(ShoreShip.id).where(ShoreShip.imo == number)):
                raise BadInput("imo", f"IMO {number} is a ship of the fleet already.")
            session.add(ship)
            session.flush()
            # Who may write a ship's evidence ashore is itself evidence: the shore's own chain.
            append(session, "shore.ship_added", {"imo": number, "name": name, "ship_id": ship.id})
    except IntegrityError as exc:  # added at the same moment by another command
        raise BadInput("imo", f"IMO {number} is a ship of the fleet already.") from exc
    return ship, token


def ship_for_token(session: Session, token: str) -> ShoreShip | None:
    """Return the ship a link token names, or None for an unknown or malformed one."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    return session.scalar(select(ShoreShip).where(ShoreShip.token_hash == hash_token(token)))


def fleet(session: Session) -> list[ShoreShip]:
    """Return every ship of the fleet by name."""
    return list(session.scalars(select(ShoreShip).order_by(ShoreShip.name, ShoreShip.imo)))
