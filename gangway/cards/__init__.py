"""Printable badge cards (ISPS Code B/9.11 temporary and permanent IDs): CR80 PNG/PDF, A4 sheets.

The layout lives once in `layout.py`; `png.py` (Pillow) and `pdf.py` (reportlab) only draw it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..atomic_files import write_atomically
from .layout import CardData, layout_card
from .pdf import render_card_page, render_sheet
from .png import render_ops_png

__all__ = [
    "CardData",
    "card_paths",
    "render_card_pdf",
    "render_card_png",
    "render_sheet_pdf",
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


def card_paths(badges_dir: Path, badge_id: int) -> tuple[Path, Path]:
    """Return the (pdf, png) paths of a badge's card files under `badges_dir`/cards."""
    stem = Path(badges_dir) / "cards" / f"badge-{badge_id:06d}"
    return stem.with_suffix(".pdf"), stem.with_suffix(".png")


def write_card_files(badges_dir: Path, card: CardData) -> tuple[Path, Path]:
    """Write the card's PDF and PNG, each atomically, replacing earlier files; return the paths."""
    pdf_path, png_path = card_paths(badges_dir, card.badge_id)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(pdf_path, render_card_pdf(card))
    _write_atomically(png_path, render_card_png(card))
    return pdf_path, png_path


def _write_atomically(path: Path, data: bytes) -> None:
    """Write the card whole or not at all; 0644: the web server and printer spool read it."""
    write_atomically(path, data, mode=0o644)
