"""Read barcodes (QR, PDF417, Aztec) from uploaded images.

zxing-cpp reads first, with a retry on the GlobalHistogram binarizer; pyzbar (libzbar) is a
QR-only fallback. Uploads are checked for byte size and pixel count before any pixel is decoded.

Camera photos (7-12 MP JPEGs) are decoded straight to grey at 1/2 scale by the JPEG decoder
(draft mode), as stored (EXIF orientation does not matter to the readers), and read smallest
first: a quarter-size copy finds most badges in a few ms, the half-size one the small codes; the
full resolution is decoded only when both find nothing. The first passes look for dark-on-light
codes only; light-on-dark ones are looked for once nothing else was found.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from importlib import metadata

import zxingcpp
from PIL import Image, ImageOps

from gangway.imaging.images import ImageRejected, check_size, open_upload

__all__ = ["ImageRejected", "decode_image", "decoder_versions"]

zbar_decode: Callable | None
try:
    from pyzbar.pyzbar import ZBarSymbol
    from pyzbar.pyzbar import decode as zbar_decode
except (ImportError, OSError):  # libzbar0 missing: zxing-cpp alone still reads QR codes
    zbar_decode = None

log = logging.getLogger(__name__)

#: The pyramid's base: JPEGs are decoded at 1/2..1/8 scale to a longest side of 1500-3000 px.
BASE_SIDE = 1500
#: Halve the base into smaller levels while they keep this longest side (zxing goes lower itself).
LEVEL_SIDE = 700
RETRY_SIDE = 4096  # a 12 MP tablet photo (4032 x 3024) is read as is
QR = (zxingcpp.BarcodeFormat.QRCode,)
PASSES = (zxingcpp.BarcodeFormat.PDF417, zxingcpp.BarcodeFormat.Aztec)  # boarding passes
ZXING_FORMATS = QR + PASSES
LOCAL, GLOBAL = zxingcpp.Binarizer.LocalAverage, zxingcpp.Binarizer.GlobalHistogram
#: zxing-cpp's try_invert reads the image twice even when the first read finds a code.
DARK_ON_LIGHT = {"try_invert": False}


def decode_image(
    data: bytes, *, max_bytes: int = 10 * 1024 * 1024, max_pixels: int = 40_000_000
) -> list[str]:
    """Return the texts of the barcodes in an uploaded image, deduplicated, in the order found.

    :raises ImageRejected: the upload is empty, too large, not an image, or damaged.
    """
    check_size(data, max_bytes)
    image, longest_side = open_upload(data, BASE_SIDE, max_pixels, "L", exact=False, upright=False)
    texts = _read(_pyramid(image), thorough=True)
    if not texts and longest_side > max(image.size):
        # For codes too small to read at half size: the plain passes only (the rest and zbar
        # would cost another ~0.5 s on a 12 MP image, for photos too blurred to read anyway).
        image, _ = open_upload(data, RETRY_SIDE, max_pixels, "L", exact=False, upright=False)
        texts = _read([image], thorough=False)
    return list(dict.fromkeys(texts))


def decoder_versions() -> dict[str, str]:
    """Return the versions of the image and barcode libraries in use."""
    return {
        "zxing-cpp": _version("zxing-cpp"),
        "pyzbar": _version("pyzbar") if zbar_decode else "unavailable",
        "Pillow": _version("Pillow"),
    }


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"


def _pyramid(image: Image.Image) -> list[Image.Image]:
    """Return the image and its half-size copies (box filter), smallest first."""
    levels = [image]
    while max(levels[0].size) >= 2 * LEVEL_SIDE:
        levels.insert(0, levels[0].reduce(2))
    return levels


def _passes(
    levels: list[Image.Image], thorough: bool
) -> Iterator[tuple[Image.Image, tuple, object, dict]]:
    """Yield (image, formats, binarizer, options) cheapest first, smallest level first.

    Looking for PDF417 and Aztec costs zxing about three times what QR costs, so the badges' QR
    is looked for first at every level; boarding passes come second. zxing's own downscaling is
    left to the smallest level (the larger ones are the pyramid's downscaling already), and
    inverted codes to the last passes: together that halves the cost of every read.
    """
    for formats in (QR, PASSES):
        for image in levels:
            yield image, formats, LOCAL, {**DARK_ON_LIGHT, "try_downscale": image is levels[0]}
    if not thorough:
        return
    yield from ((image, ZXING_FORMATS, GLOBAL, {}) for image in levels)  # both ways round
    for image in levels:  # light on dark (a phone screen in dark mode)
        yield ImageOps.invert(image), ZXING_FORMATS, LOCAL, DARK_ON_LIGHT


def _read(levels: list[Image.Image], *, thorough: bool) -> list[str]:
    """Return the texts zxing-cpp finds, else (QR only, if thorough) what zbar finds on the
    largest level."""
    try:
        for image, formats, binarizer, options in _passes(levels, thorough):
            found = zxingcpp.read_barcodes(
                image,
                formats=formats,
                binarizer=binarizer,
                text_mode=zxingcpp.TextMode.Plain,
                **options,
            )
            if found:
                return [_zxing_text(barcode) for barcode in found]
        if thorough and zbar_decode is not None:
            found = zbar_decode(levels[-1], symbols=[ZBarSymbol.QRCODE])
            return [_zbar_text(symbol.data) for symbol in found]
    except Exception:  # a decoder bug must read as "no code", not as a server error
        log.exception("Barcode decoder failed on a %sx%s image", *levels[-1].size)
    return []


def _zxing_text(barcode: zxingcpp.Barcode) -> str:
    # Binary payloads come back byte for byte as ISO-8859-1, as ZXing has always done.
    if barcode.content_type == zxingcpp.ContentType.Binary:
        return barcode.bytes.decode("latin-1")
    return barcode.text


def _zbar_text(data: bytes) -> str:
    try:
        return data.decode("utf-8")  # zbar transcodes QR text to UTF-8
    except UnicodeDecodeError:
        return data.decode("latin-1")
