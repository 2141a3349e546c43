"""Printable badge cards (ISPS Code B/9.11 temporary and permanent IDs): CR80 PNG/PDF, A4 sheets.

The layout lives once in `layout.py`; `png.py` (Pillow) and `pdf.py` (reportlab) only draw it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from gangway.render.cards.cache import card_files, read_sealed, write_sealed
from gangway.render.cards.layout import CardData, layout_card
from gangway.render.cards.pdf import render_card_page, render_sheet
from gangway.render.cards.png import render_ops_png

log = logging.getLogger(__name__)

__all__ = [
    "CardData",
    "card_paths",
    "render_card_pdf",
    "render_card_png",
    "render_sheet_pdf",
    "sealed_card",
    "write_card_files",
]


def render_card_png(card: CardData, dpi: int = 300) -> bytes:
    """Render one card as a PNG of 85.6 x 54 mm at `dpi`."""
    return render_ops_png(layout_card(card), dpi)


def render_card_pdf(card: CardData) -> bytes:
    """Render one card as a one-page PDF of exactly 85.6 x 54 mm."""
    return render_card_page(layout_card(card), f"Badge {card.badge_id:06d}")


def render_sheet_pdf(cards: Sequence[CardData]) -> bytes:
    """Render cards on A4 portrait pages, 2 x 5 a page, with crop marks.

    :raises ValueError: no cards were given.
    """
    if not cards:
        raise ValueError("a sheet needs at least one card")
    return render_sheet([layout_card(card) for card in cards], "Badge cards")


def card_paths(badges_dir: Path, badge_id: int, code: str) -> tuple[Path, Path]:
    """Return the (pdf, png) paths of a badge's card, filed by its signed code's SHA-256."""
    files = card_files(badges_dir, badge_id, code)
    return files.pdf, files.png


def write_card_files(badges_dir: Path, card: CardData, mac_key: bytes) -> tuple[Path, Path]:
    """Draw the card's PDF and PNG and write them with their seal, replacing earlier files."""
    files = card_files(badges_dir, card.badge_id, card.code)
    write_sealed(files, card, render_card_pdf(card), render_card_png(card), mac_key)
    return files.pdf, files.png


def sealed_card(badges_dir: Path, card: CardData, mac_key: bytes) -> tuple[bytes, bytes]:
    """Return the card's (pdf, png): the files on disk if sealed for exactly this card, else
    drawn again and written over them (a foreign, stale or damaged file is never served)."""
    files = card_files(badges_dir, card.badge_id, card.code)
    found = read_sealed(files, card, mac_key)
    if found is not None:
        return found
    pdf, png = render_card_pdf(card), render_card_png(card)
    try:
        write_sealed(files, card, pdf, png, mac_key)
    except OSError as exc:  # a full or read-only folder: the card just drawn is still right
        log.warning("Card of badge %s not written to %s: %r", card.badge_id, files.pdf.parent, exc)
    return pdf, png
