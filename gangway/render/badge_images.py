"""Write badge QR images under BADGES_DIR (the database stays the source of truth)."""

from __future__ import annotations

from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont


def qr_image(code: str, *, box_size: int = 8) -> Image.Image:
    """Return the QR symbol for a badge code (ECC level M: survives scuffs on a worn card)."""
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=4
    )
    qr.add_data(code)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image().convert("L")


def write_badge_qr(path: Path, code: str, name: str, subtitle: str) -> Path:
    """Write a QR image with the holder's name under it, for scanning from a phone screen."""
    qr = qr_image(code)
    font = _font(22)
    canvas = Image.new("L", (qr.width, qr.height + 70), 255)
    canvas.paste(qr, (0, 0))
    draw = ImageDraw.Draw(canvas)
    draw.text((qr.width // 2, qr.height + 4), name, fill=0, font=font, anchor="ma")
    draw.text((qr.width // 2, qr.height + 36), subtitle, fill=60, font=_font(18), anchor="ma")
    path.parent.mkdir(parents=True, exist_ok=True)
    canvas.save(path)
    return path


def _font(size: int):
    for name in ("DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)
