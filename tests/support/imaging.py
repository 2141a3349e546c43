"""Generate barcode images for the tests: clean QR codes, simulated tablet photos, PNG bombs."""

from __future__ import annotations

import math
import random
import struct
import zlib
from functools import cache
from io import BytesIO

import qrcode
from PIL import Image, ImageChops, ImageFilter, ImageOps

Point = tuple[float, float]

PAPER = (238, 234, 226)
INK = (35, 35, 42)
DESK = (92, 80, 68)
CANVAS = (1200, 900)


def qr_png(text: str, *, box_size: int = 8, border: int = 4) -> bytes:
    """Render `text` as a clean black-on-white QR code PNG (error correction M)."""
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=border
    )
    qr.add_data(text)
    qr.make(fit=True)
    buffer = BytesIO()
    qr.make_image().get_image().convert("L").save(buffer, "PNG")
    return buffer.getvalue()


def photographed_qr_jpeg(text: str, *, seed: int = 0) -> bytes:
    """Simulate a tablet photo of a printed QR code: tilted, in perspective, unevenly lit, blurred,
    noisy and JPEG-compressed. The same seed gives the same bytes."""
    rng = random.Random(seed)
    code = Image.open(BytesIO(qr_png(text))).convert("L")
    side = code.width + 120
    paper = Image.new("RGB", (side, side), PAPER)
    paper.paste(ImageOps.colorize(code, black=INK, white=PAPER), (60, 60))

    # Where the paper's corners land on the canvas: a tilted square with each corner pulled about.
    centre = (CANVAS[0] / 2 + rng.uniform(-150, 150), CANVAS[1] / 2 + rng.uniform(-100, 100))
    half, angle = rng.uniform(200, 240), math.radians(rng.uniform(-20, 20))
    landed = []
    for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        x = half * (sx + rng.uniform(-0.15, 0.15))
        y = half * (sy + rng.uniform(-0.15, 0.15))
        landed.append(
            (
                centre[0] + x * math.cos(angle) - y * math.sin(angle),
                centre[1] + x * math.sin(angle) + y * math.cos(angle),
            )
        )
    coeffs = perspective_coeffs(landed, [(0, 0), (side, 0), (side, side), (0, side)])
    photo = Image.new("RGB", CANVAS, DESK)
    warp, smooth = Image.Transform.PERSPECTIVE, Image.Resampling.BICUBIC
    mask = Image.new("L", paper.size, 255).transform(CANVAS, warp, coeffs, smooth)
    photo.paste(paper.transform(CANVAS, warp, coeffs, smooth), mask=mask)

    # A window on one side: light falls from 100 % to about 55 % across the frame.
    light = Image.linear_gradient("L").rotate(rng.uniform(0, 360), Image.Resampling.BILINEAR)
    light = light.crop((64, 64, 192, 192)).resize(CANVAS, Image.Resampling.BILINEAR)  # inside
    light = light.point(lambda v: 140 + v * 115 // 255).convert("RGB")
    photo = ImageChops.multiply(photo, light)
    photo = photo.filter(ImageFilter.GaussianBlur(rng.uniform(1.2, 1.5)))
    noise = Image.frombytes("L", CANVAS, rng.randbytes(CANVAS[0] * CANVAS[1]))
    noise = Image.blend(Image.new("L", CANVAS, 128), noise, 0.12).convert("RGB")  # 128 ± 15
    photo = ImageChops.add(photo, noise, offset=-128)
    buffer = BytesIO()
    photo.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def exif_rotated_jpeg(jpeg: bytes) -> bytes:
    """Store a photo's pixels turned a quarter left with EXIF Orientation 6, as phones do."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    buffer = BytesIO()
    Image.open(BytesIO(jpeg)).transpose(Image.Transpose.ROTATE_90).save(
        buffer, "JPEG", quality=90, exif=exif
    )
    return buffer.getvalue()


@cache
def png_bomb(width: int, height: int) -> bytes:
    """Return a valid, blank, 1-bit PNG of width x height: a few KB that decode to a huge image."""
    row = bytes(1 + (width + 7) // 8)  # filter byte + packed pixels
    packer = zlib.compressobj(9)
    chunk = row * 256
    idat = b"".join(packer.compress(chunk) for _ in range(height // 256))
    idat += packer.compress(row * (height % 256)) + packer.flush()

    def png_chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def perspective_coeffs(landed: list[Point], source: list[Point]) -> list[float]:
    """Solve the 8 coefficients Image.transform(PERSPECTIVE) needs to map `landed` onto `source`.

    Each output point (x, y) samples the input at ((ax + by + c) / (gx + hy + 1),
    (dx + ey + f) / (gx + hy + 1)); four point pairs give eight linear equations.
    """
    rows = []
    for (x, y), (u, v) in zip(landed, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y, u])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y, v])
    return _solve(rows)


def _solve(rows: list[list[float]]) -> list[float]:
    """Gauss-Jordan elimination with partial pivoting on an augmented n x (n+1) matrix."""
    n = len(rows)
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        if abs(rows[pivot][col]) < 1e-12:
            raise ValueError("degenerate quadrilateral")
        rows[col], rows[pivot] = rows[pivot], rows[col]
        lead = rows[col][col]
        rows[col] = [value / lead for value in rows[col]]
        for r in range(n):
            if r != col and rows[r][col]:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [row[n] for row in rows]
