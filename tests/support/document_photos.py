"""Photo-like images of identity documents, for the document tests and bench/document_bench.py.

A data page (TD3 passport, MRV-A visa), a card (TD1, TD2) or a visa sticker (MRV-B) is drawn at
its ICAO 9303 size with its zone in Debian's OCR-B (fonts-ocr-b: 10 characters per inch), then
photographed the way a hand-held tablet does it: laid on a table, tilted (perspective), turned,
blurred, lit with glare, with sensor noise and JPEG compression, near or far.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from datetime import date

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from gangway.domain.codes.documents.document import IdentityDocument
from gangway.domain.codes.documents.mrz_make import make_mrz

OCR_B = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PX_PER_MM = 10
#: Format -> (width, height) in mm and characters per line (ICAO 9303 parts 4-7).
SIZES = {"TD1": (85.6, 54.0, 30), "TD2": (105.0, 74.0, 36), "TD3": (125.0, 88.0, 44),
         "MRVA": (120.0, 80.0, 44), "MRVB": (105.0, 74.0, 36)}  # fmt: skip
FAMILY = ["ERIKSSON", "MUELLER", "OKONKWO", "DE LA CRUZ", "NGUYEN", "SMITH", "KOWALSKA", "OBRIEN"]
GIVEN = ["ANNA MARIA", "JUAN", "CHIDI", "THI LAN", "JOHN PAUL", "MAGDALENA", "SEAN", "KIM"]
STATES = ["UTO", "DEU", "GBR", "NLD", "PHL", "IND", "UKR", "NGA", "POL", "IRL"]
CODES = {"TD1": "I", "TD2": "ID", "TD3": "P", "MRVA": "V", "MRVB": "V"}


@dataclass
class Specimen:
    """One made-up document: its fields and the zone's lines (helper "mrz"'s generator)."""

    format: str
    lines: list[str]
    document: IdentityDocument


def make_specimen(fmt: str, rng: random.Random) -> Specimen:
    """Return a made-up document of `fmt` with every check digit right."""
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    document = IdentityDocument(
        format=fmt,
        document_type=CODES[fmt],
        issuing_state=rng.choice(STATES),
        document_number="".join(rng.choice(letters) for _ in range(9)),
        family_name=rng.choice(FAMILY),
        given_names=rng.choice(GIVEN),
        nationality=rng.choice(STATES),
        birth_date=date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)),
        sex=rng.choice("MFX"),
        expiry_date=date(rng.randint(2027, 2035), rng.randint(1, 12), rng.randint(1, 28)),
    )
    return Specimen(fmt, list(make_mrz(document)), document)


def draw_document(spec: Specimen, rng: random.Random) -> Image.Image:
    """Return the document's face as printed (RGB), the zone at its foot in OCR-B."""
    w_mm, h_mm, chars = SIZES[spec.format]
    w, h = round(w_mm * PX_PER_MM), round(h_mm * PX_PER_MM)
    tint = tuple(rng.randint(215, 245) for _ in range(3))
    page = Image.new("RGB", (w, h), tint)
    draw = ImageDraw.Draw(page)
    for k in range(0, h, 7):  # guilloche: fine light waves, as printed under the data
        points = [(x, k + 5 * math.sin(x / 23 + k / 11)) for x in range(0, w, 8)]
        draw.line(points, fill=tuple(c - 25 for c in tint), width=1)
    sans = ImageFont.truetype(SANS, round(2.6 * PX_PER_MM))
    small = ImageFont.truetype(SANS, round(1.7 * PX_PER_MM))
    draw.text((w * 0.05, h * 0.04), "PASSPORT / PASSEPORT  UTOPIA", font=sans, fill=(40, 40, 90))
    photo = (round(w * 0.05), round(h * 0.16), round(w * 0.30), round(h * 0.62))
    draw.rectangle(photo, fill=(150, 140, 130))
    draw.ellipse((photo[0] + 30, photo[1] + 25, photo[2] - 30, photo[3] - 60), fill=(110, 95, 85))
    y = h * 0.16
    for label in ("Surname", "Given names", "Nationality", "Date of birth", "Date of expiry"):
        draw.text((w * 0.36, y), label, font=small, fill=(60, 60, 60))
        draw.text((w * 0.36, y + 18), label.upper()[:12] + " 1234", font=sans, fill=(20, 20, 20))
        y += h * 0.095
    # The zone: OCR-B at 10 characters per inch, lines about 4.2 mm apart, 5 mm above the edge.
    pitch = 25.4 / 10 * PX_PER_MM
    probe = ImageFont.truetype(OCR_B, 100)
    font = ImageFont.truetype(OCR_B, round(100 * pitch / probe.getlength("<")))
    left = (w - pitch * chars) / 2
    line_gap = 4.2 * PX_PER_MM
    top = h - 5 * PX_PER_MM - line_gap * len(spec.lines)
    for i, line in enumerate(spec.lines):
        draw.text((left, top + i * line_gap), line, font=font, fill=(15, 15, 20))
    return page


@dataclass
class Shot:
    """How the tablet takes the photo (all zero: a clean, square, near shot)."""

    fill: float = 0.8  # share of the photo's width the document takes
    rotation: float = 0.0  # degrees
    tilt: float = 0.0  # corner displacement, share of the document's size
    blur: float = 0.0  # px, Gaussian radius at 2400 px
    glare: float = 0.0  # 0-1, strength of a bright spot over the zone
    noise: float = 0.0  # sigma of sensor noise, grey levels
    quality: int = 92  # JPEG quality


def photograph(page: Image.Image, shot: Shot, rng: random.Random, size=(2400, 1800)) -> bytes:
    """Return JPEG bytes of the document lying on a table, taken as `shot` says."""
    scale = size[0] * shot.fill / page.width
    doc = page.resize((round(page.width * scale), round(page.height * scale)), Image.BILINEAR)
    if shot.tilt:
        doc = _tilt(doc, shot.tilt, rng)
    mask = Image.new("L", doc.size, 255) if doc.mode == "RGB" else doc.getchannel("A")
    doc = doc.convert("RGB")
    if shot.rotation:
        doc = doc.rotate(shot.rotation, Image.BICUBIC, expand=True)
        mask = mask.rotate(shot.rotation, Image.BICUBIC, expand=True)
    scene = Image.new("RGB", size, (96, 70, 48))  # a wooden table
    scene = Image.blend(scene, Image.effect_noise(size, 40).convert("RGB"), 0.15)
    pos = ((size[0] - doc.width) // 2 + rng.randint(-40, 40), (size[1] - doc.height) // 2)
    scene.paste(doc, pos, mask)
    if shot.glare:
        scene = _glare(scene, shot.glare, rng)
    if shot.blur:
        scene = scene.filter(ImageFilter.GaussianBlur(shot.blur))
    if shot.noise:
        pixels = np.asarray(scene, dtype=np.float32)
        pixels += np.random.default_rng(rng.randint(0, 2**31)).normal(0, shot.noise, pixels.shape)
        scene = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    out = io.BytesIO()
    scene.save(out, "JPEG", quality=shot.quality)
    return out.getvalue()


def _tilt(doc: Image.Image, amount: float, rng: random.Random) -> Image.Image:
    """Return the document as seen from off its axis: a random quadrilateral, alpha outside."""
    w, h = doc.size
    corners = [(0, 0), (w, 0), (w, h), (0, h)]
    moved = [(x + rng.uniform(-1, 1) * amount * w, y + rng.uniform(-1, 1) * amount * h)
             for x, y in corners]  # fmt: skip
    min_x, min_y = min(p[0] for p in moved), min(p[1] for p in moved)
    moved = [(x - min_x, y - min_y) for x, y in moved]
    out_size = (round(max(p[0] for p in moved)), round(max(p[1] for p in moved)))
    coeffs = _perspective(moved, corners)
    rgba = doc.convert("RGBA")
    return rgba.transform(out_size, Image.PERSPECTIVE, coeffs, Image.BILINEAR)


def _perspective(src: list, dst: list) -> list[float]:
    """Return Pillow's coefficients mapping output points `src` to input points `dst`."""
    rows = []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    target = [c for point in dst for c in point]
    return list(np.linalg.solve(np.array(rows, dtype=float), np.array(target, dtype=float)))


def _glare(scene: Image.Image, strength: float, rng: random.Random) -> Image.Image:
    """Return the scene with a bright, soft reflection of a lamp near the zone."""
    w, h = scene.size
    cx, cy = w * rng.uniform(0.3, 0.7), h * rng.uniform(0.55, 0.7)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    spot = np.exp(-(((xx - cx) / (w * 0.12)) ** 2 + ((yy - cy) / (h * 0.1)) ** 2))
    pixels = np.asarray(scene, dtype=np.float32)
    pixels = pixels + (255 - pixels) * (strength * spot)[..., None]
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
