"""Badge cards from the database (the source of truth): data for the renderer, files on disk."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..cards import CardData, card_paths, write_card_files
from ..models import Badge, Person
from .ship import current_ship


def card_data(session: Session, badge: Badge, instance_path: Path) -> CardData:
    """Collect what a badge's card shows."""
    person = badge.person
    ship = current_ship(session)
    photo = None
    if person.photo_path:
        path = Path(instance_path) / person.photo_path
        photo = path.read_bytes() if path.is_file() else None
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


def ensure_card_files(
    session: Session, badge: Badge, badges_dir: Path, instance_path: Path
) -> tuple[Path, Path]:
    """Return the card's PDF and PNG paths, (re)writing them from the database if missing."""
    pdf, png = card_paths(Path(badges_dir), badge.id)
    if not (pdf.is_file() and png.is_file()):
        pdf, png = write_card_files(Path(badges_dir), card_data(session, badge, instance_path))
    return pdf, png


def badges_by_ids(session: Session, ids: list[int]) -> list[Badge]:
    """Return the badges with these ids, in the order asked."""
    found = {b.id: b for b in session.scalars(select(Badge).where(Badge.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def crew_badges(session: Session, now: datetime) -> list[Badge]:
    """Return each enabled crew member's live permanent badges, by name."""
    stmt = (
        select(Badge)
        .join(Badge.person)
        .where(Person.kind == "crew", Person.is_enabled, Badge.is_permanent)
        .where(Badge.revoked_at.is_(None), Badge.valid_until > now)
        .order_by(Person.family_name, Person.given_names, Badge.id)
    )
    return list(session.scalars(stmt))
