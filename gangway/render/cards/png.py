"""Draw card layouts with Pillow: a PNG at a given resolution, QR modules on whole pixels."""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from gangway.render.cards.fonts import FAUX_BOLD
from gangway.render.cards.ops import CARD_H, CARD_W, Box, Op, Photo, Qr, Text


def render_ops_png(ops: list[Op], dpi: int) -> bytes:
    """Draw the operations on a white card of CARD_W x CARD_H mm and return PNG bytes."""
    scale = dpi / 25.4  # pixels per millimetre
    card = Image.new("RGB", (round(CARD_W * scale), round(CARD_H * scale)), "white")
    draw = ImageDraw.Draw(card)
    for op in ops:
        if isinstance(op, Box):
            _box(draw, op, scale)
        elif isinstance(op, Text):
            _text(draw, op, scale, dpi)
        elif isinstance(op, Photo):
            _photo(card, op, scale)
        else:
            _qr(card, op, scale)
    buffer = BytesIO()
    card.save(buffer, "PNG", dpi=(dpi, dpi), optimize=False)
    return buffer.getvalue()


def _px(mm: float, scale: float) -> int:
    return round(mm * scale)


def _box(draw: ImageDraw.ImageDraw, op: Box, scale: float) -> None:
    corners = (
        _px(op.x, scale),
        _px(op.y, scale),
        _px(op.x + op.w, scale) - 1,
        _px(op.y + op.h, scale) - 1,
    )
    width = max(1, _px(op.line, scale)) if op.outline else 0
    draw.rectangle(corners, fill=op.fill, outline=op.outline, width=width)


def _text(draw: ImageDraw.ImageDraw, op: Text, scale: float, dpi: int) -> None:
    size = op.fitted.size * dpi / 72  # points to pixels
    fonts = [_font(run.face.path, size) for run in op.fitted.runs]
    width = sum(font.getlength(run.text) for font, run in zip(fonts, op.fitted.runs, strict=True))
    limit = op.max_width * scale
    if width > limit:  # hinting or kerning made Pillow's run a little wider than reportlab's
        size = int(size * limit / width * 10) / 10
        fonts = [_font(run.face.path, size) for run in op.fitted.runs]
        width = sum(f.getlength(run.text) for f, run in zip(fonts, op.fitted.runs, strict=True))
    x = op.x * scale - {"left": 0, "centre": width / 2, "right": width}[op.align]
    for font, run in zip(fonts, op.fitted.runs, strict=True):
        stroke = max(1, round(FAUX_BOLD * size / 2)) if run.faux_bold else 0
        draw.text(
            (x, op.y * scale),
            run.text,
            fill=op.colour,
            font=font,
            anchor="ls",
            stroke_width=stroke,
            stroke_fill=op.colour,
        )
        x += font.getlength(run.text)


def _photo(card: Image.Image, op: Photo, scale: float) -> None:
    left, top = _px(op.x, scale), _px(op.y, scale)
    size = (_px(op.x + op.w, scale) - left, _px(op.y + op.h, scale) - top)
    card.paste(op.image.resize(size, Image.Resampling.LANCZOS), (left, top))


@lru_cache(maxsize=64)
def _font(path: Path, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size=size, index=0)


def _qr(card: Image.Image, op: Qr, scale: float) -> None:
    """Paste the symbol with each module a whole number of pixels: no resampling blur."""
    count = len(op.modules)
    module = _px(op.size, scale) // count
    if module < 1:
        raise ValueError("the resolution is too low to draw the QR code")
    symbol = Image.new("L", (count, count))
    symbol.putdata([0 if dark else 255 for row in op.modules for dark in row])
    side = count * module
    offset = (_px(op.size, scale) - side) // 2
    symbol = symbol.resize((side, side), Image.Resampling.NEAREST)
    card.paste(symbol.convert("RGB"), (_px(op.x, scale) + offset, _px(op.y, scale) + offset))
