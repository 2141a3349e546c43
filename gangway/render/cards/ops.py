"""What the PNG and PDF backends draw: the card's size and its drawing operations, in millimetres.

Origin top left, y grows downwards. `layout` decides the operations of a card; the backends
only draw them.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from gangway.render.cards.fonts import Fitted

CARD_W, CARD_H = 85.6, 54.0  # a CR80 card (ISO/IEC 7810 ID-1) in landscape

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Box:
    """A rectangle, filled and/or outlined (the outline is drawn inside the edge)."""

    x: float
    y: float
    w: float
    h: float
    fill: Colour | None
    outline: Colour | None = None
    line: float = 0.25


@dataclass(frozen=True)
class Text:
    """A line of fitted text; `y` is the baseline and `x` the left, centre or right end."""

    x: float
    y: float
    fitted: Fitted
    colour: Colour
    max_width: float
    align: str = "left"  # left | centre | right


@dataclass(frozen=True, eq=False)
class Photo:
    """An RGB image already cropped to the box's aspect ratio."""

    x: float
    y: float
    w: float
    h: float
    image: Image.Image


@dataclass(frozen=True)
class Qr:
    """A QR symbol centred in a square box; `modules` (True = dark) include the quiet zone."""

    x: float
    y: float
    size: float
    modules: tuple[tuple[bool, ...], ...]


Op = Box | Text | Photo | Qr
