"""The badge card layout, described once as drawing operations in millimetres.

A CR80 card (ISO/IEC 7810 ID-1, 85.6 x 54 mm) in landscape: a coloured band naming the kind of
holder (ISPS Code B/9.11 asks for temporary and permanent IDs that are easy to tell apart), the
holder's name, photo and details, and the signed QR code. The PNG and PDF backends draw the same
operations (`ops`), so the two outputs never drift apart. Origin top left, y grows downwards.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO

import qrcode
from PIL import Image, ImageOps

from gangway.render.cards.fonts import fit_text
from gangway.render.cards.ops import CARD_H, CARD_W, Box, Colour, Op, Photo, Qr, Text

log = logging.getLogger(__name__)

MARGIN = 3.5
PHOTO = (MARGIN, 19.6, 17.0, 22.67)  # x, y, w, h: 3:4, as a passport photo
QR_BOX = (55.1, 11.0, 30.5)  # x, y, side, quiet zone included: 7 px modules at 300 dpi
INFO_X = 23.2
INFO_W = QR_BOX[0] - 0.5 - INFO_X
MAX_PHOTO_HEIGHT = 800  # pixels kept from the ID photo: ~900 dpi on the card

WHITE: Colour = (255, 255, 255)
INK: Colour = (25, 28, 33)
MUTED: Colour = (105, 112, 122)
WARNING: Colour = (176, 18, 32)
#: kind -> (band label, band colour). Red for visitors and blue for crew, as on most ships.
KINDS: dict[str, tuple[str, Colour]] = {
    "visitor": ("VISITOR", (198, 40, 40)),
    "contractor": ("CONTRACTOR", (221, 99, 0)),
    "authority": ("AUTHORITY", (94, 53, 177)),
    "crew": ("CREW", (21, 101, 192)),
    "passenger": ("PASSENGER", (46, 125, 50)),
}
ESCORT_LINE = "Escort required at security level 2 and 3"


@dataclass(frozen=True)
class CardData:
    """What a printed badge shows; times are aware UTC, `photo` is JPEG or PNG bytes."""

    badge_id: int
    code: str
    ship_name: str
    kind: str  # crew | passenger | visitor | contractor | authority
    family_name: str
    given_names: str
    company: str | None
    rank: str | None
    purpose: str | None
    valid_from: datetime
    valid_until: datetime
    permanent: bool = False
    photo: bytes | None = None


def layout_card(card: CardData) -> list[Op]:
    """Return the drawing operations for one card, in painting order.

    :raises ValueError: unknown kind, or a validity time without a time zone.
    """
    if card.kind not in KINDS:
        raise ValueError(f"unknown badge kind {card.kind!r}")
    label, colour = KINDS[card.kind]
    ops: list[Op] = [
        Box(0, 0, CARD_W, 10.5, colour),
        Box(0, CARD_H - 1.8, CARD_W, 1.8, colour),  # shows the kind on a card seen edge-on
        _text(MARGIN, 8.1, label, "bold", 19, 44, WHITE, min_size=10),
        _text(CARD_W - MARGIN, 4.9, card.ship_name, "bold", 7.5, 33, WHITE, align="right"),
        _text(CARD_W - MARGIN, 8.5, _id_line(card), "regular", 5, 33, WHITE, align="right"),
        *_name_ops(card),
        *_photo_ops(card.photo),
    ]
    y = 21.7
    for row_label, value in info_rows(card):
        role = "bold" if row_label in ("VALID UNTIL", "VALIDITY") else "regular"  # checked most
        ops.append(_text(INFO_X, y, row_label, "bold", 4.6, INFO_W, MUTED, min_size=4))
        ops.append(_text(INFO_X, y + 2.9, value, role, 6.8, INFO_W, INK, min_size=4.8))
        y += 5.5
    qr_x, qr_y, qr_size = QR_BOX
    ops.append(Qr(qr_x, qr_y, qr_size, qr_modules(card.code)))
    number = f"BADGE {card.badge_id:06d}"
    ops.append(_text(qr_x + qr_size / 2, 44.6, number, "mono", 7.5, qr_size, INK, align="centre"))
    if card.kind != "crew":
        ops.append(_text(MARGIN, 49.4, ESCORT_LINE, "bold", 7, CARD_W - 2 * MARGIN, WARNING))
    return ops


def holder_name(card: CardData) -> str:
    """Return the name as printed: FAMILY, Given (ICAO style; any script)."""
    family = " ".join(card.family_name.split()).upper()
    given = " ".join(card.given_names.split())
    return f"{family}, {given}" if given else family


def info_rows(card: CardData) -> list[tuple[str, str]]:
    """Return the labelled detail lines: company or rank, purpose, validity."""
    if card.kind == "crew":
        rows = [("RANK", card.rank)]
    else:
        org_label = "ORGANISATION" if card.kind == "authority" else "COMPANY"
        rows = [(org_label, card.company), ("PURPOSE", card.purpose)]
    if card.permanent:
        rows.append(("VALIDITY", f"valid until {_utc(card.valid_until):%Y-%m-%d}"))
    else:
        rows.append(("VALID FROM", format_time(card.valid_from)))
        rows.append(("VALID UNTIL", format_time(card.valid_until)))
    return [(label, value.strip()) for label, value in rows if value and value.strip()]


def format_time(moment: datetime) -> str:
    """Format an aware time as printed on cards: `2026-11-22 16:00 UTC`."""
    return f"{_utc(moment):%Y-%m-%d %H:%M} UTC"


def qr_modules(code: str) -> tuple[tuple[bool, ...], ...]:
    """Return the QR matrix with its 4-module quiet zone, at error correction level M.

    The qrcode package picks alphanumeric mode for upper case, digits and ':' (a GW1: code),
    which keeps the symbol at version 6 (41 modules) and so the modules large.
    """
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(code)
    qr.make(fit=True)
    return tuple(tuple(row) for row in qr.get_matrix())


def prepare_photo(data: bytes, aspect: float = PHOTO[2] / PHOTO[3]) -> Image.Image:
    """Decode an ID photo, turn it upright (EXIF), centre-crop it to `aspect` (w/h), make RGB."""
    with Image.open(BytesIO(data), formats=("JPEG", "PNG", "WEBP")) as opened:
        upright = ImageOps.exif_transpose(opened)
        if "A" in upright.getbands() or "transparency" in upright.info:
            rgba = upright.convert("RGBA")
            upright = Image.alpha_composite(Image.new("RGBA", rgba.size, WHITE), rgba)
        image = upright.convert("RGB")
    width, height = image.size
    if width / height > aspect:
        keep = round(height * aspect)
        image = image.crop(((width - keep) // 2, 0, (width - keep) // 2 + keep, height))
    else:
        keep = round(width / aspect)
        image = image.crop((0, (height - keep) // 2, width, (height - keep) // 2 + keep))
    if image.height > MAX_PHOTO_HEIGHT:
        size = (round(MAX_PHOTO_HEIGHT * aspect), MAX_PHOTO_HEIGHT)
        image = image.resize(size, Image.Resampling.LANCZOS)
    return image


def _name_ops(card: CardData) -> list[Op]:
    """Print the name on one line if it fits at a readable size, else family and given apart."""
    width = INFO_X + INFO_W - MARGIN
    one_line = _text(MARGIN, 16.7, holder_name(card), "bold", 11, width, INK, min_size=7.5)
    given = " ".join(card.given_names.split())
    if not one_line.fitted.truncated or not given:
        return [one_line]
    family = " ".join(card.family_name.split()).upper()
    return [
        _text(MARGIN, 14.3, family + ",", "bold", 8, width, INK),
        _text(MARGIN, 17.9, given, "bold", 8, width, INK),
    ]


def _photo_ops(photo: bytes | None) -> list[Op]:
    x, y, w, h = PHOTO
    if photo:
        try:
            return [Photo(x, y, w, h, prepare_photo(photo))]
        except (OSError, ValueError, Image.DecompressionBombError):
            # A damaged photo must not stop the SSO printing a badge; the card says so instead.
            log.warning("Badge photo could not be read; printing the placeholder", exc_info=True)
    return [
        Box(x, y, w, h, (238, 240, 243), outline=(176, 182, 190)),
        _text(x + w / 2, y + h / 2 + 1, "no photo", "regular", 6, w - 2, MUTED, align="centre"),
    ]


def _text(
    x: float,
    y: float,
    text: str,
    role: str,
    size: float,
    max_width: float,
    colour: Colour,
    *,
    align: str = "left",
    min_size: float = 5,
) -> Text:
    fitted = fit_text(text, role, size, max_width, min(min_size, size))
    return Text(x, y, fitted, colour, max_width, align)


def _id_line(card: CardData) -> str:
    return "PERMANENT ID · ISPS" if card.permanent else "TEMPORARY ID · ISPS"


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("badge validity times must be aware (UTC)")
    return moment.astimezone(UTC)
