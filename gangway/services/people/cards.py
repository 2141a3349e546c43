"""Badge cards from the database (the source of truth): data for the renderer, files on disk."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import Badge, Person
from gangway.domain.scan.types import PersonKind
from gangway.imaging.id_photos import read_id_photo
from gangway.render.cards import CardData, sealed_card
from gangway.services.ship.ship import current_ship


def card_data(session: Session, badge: Badge, instance_path: Path) -> CardData:
    """Collect what a badge's card shows."""
    person = badge.person
    ship = current_ship(session)
    photo = read_id_photo(Path(instance_path), person.photo_path)  # a wrong photo: none
    return CardData(
        badge_id=badge.id,
        code=badge.code,
        ship_name=ship.name if ship else "",
        kind=person.kind,
        family_name=person.family_name,
        given_names=person.given_names,
        company=person.company,
        rank=person.rank,
        purpose=person.purpose,
        valid_from=badge.valid_from,
        valid_until=badge.valid_until,
        permanent=badge.is_permanent,
        photo=photo,
    )


def card_files(
    session: Session, badge: Badge, badges_dir: Path, instance_path: Path, mac_key: bytes
) -> tuple[bytes, bytes]:
    """Return the card's PDF and PNG as the database has it now: the files under `badges_dir`
    if sealed for exactly this card by this instance (`mac_key`), else drawn and written anew."""
    return sealed_card(Path(badges_dir), card_data(session, badge, instance_path), mac_key)


def badges_by_ids(session: Session, ids: list[int]) -> list[Badge]:
    """Return the badges with these ids, in the order asked."""
    found = {b.id: b for b in session.scalars(select(Badge).where(Badge.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def crew_badges(session: Session, now: datetime) -> list[Badge]:
    """Return each enabled crew member's live permanent badges, by name."""
    stmt = (
        select(Badge)
        .join(Badge.person)
        .where(Person.kind == PersonKind.CREW.value, Person.is_enabled, Badge.is_permanent)
        .where(Badge.revoked_at.is_(None), Badge.valid_until > now)
        .order_by(Person.family_name, Person.given_names, Badge.id)
    )
    return list(session.scalars(stmt))
