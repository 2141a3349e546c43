"""Read barcodes (QR, PDF417, Aztec) from uploaded images.

zxing-cpp reads first, with one retry on the GlobalHistogram binarizer; pyzbar (libzbar) is a
QR-only fallback. Uploads are checked for byte size and pixel count before any pixel is decoded.
"""

from __future__ import annotations

import logging
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata
from io import BytesIO

import zxingcpp
from PIL import Image, ImageOps

zbar_decode: Callable | None
try:
    from pyzbar.pyzbar import ZBarSymbol
    from pyzbar.pyzbar import decode as zbar_decode
except (ImportError, OSError):  # libzbar0 missing: zxing-cpp alone still reads QR codes
    zbar_decode = None

log = logging.getLogger(__name__)

#: Longest side of the first pass; the retry pass, for small codes in big photos, is larger.
FIRST_SIDE = 1600
RETRY_SIDE = 4096  # a 12 MP tablet photo (4032 x 3024) is read as is
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "AVIF", "HEIF")
ZXING_FORMATS = (
    zxingcpp.BarcodeFormat.QRCode,
    zxingcpp.BarcodeFormat.PDF417,
    zxingcpp.BarcodeFormat.Aztec,
)
BINARIZERS = (zxingcpp.Binarizer.LocalAverage, zxingcpp.Binarizer.GlobalHistogram)

# warnings.catch_warnings() swaps process-wide state; one lock keeps concurrent uploads from
# restoring each other's filters.
_pillow_lock = threading.Lock()


class ImageRejected(ValueError):
    """An upload that cannot be read as an image; `message` is safe to show to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def decode_image(
    data: bytes, *, max_bytes: int = 10 * 1024 * 1024, max_pixels: int = 40_000_000
) -> list[str]:
    """Return the texts of the barcodes in an uploaded image, deduplicated, in the order found.

    :raises ImageRejected: the upload is empty, too large, not an image, or damaged.
    """
    if not data:
        raise ImageRejected("The upload is empty.")
    if len(data) > max_bytes:
        raise ImageRejected(f"The upload is larger than the {max_bytes / 2**20:.3g} MB limit.")
    image, longest_side = _load_grey(data, FIRST_SIDE, max_pixels)
    texts = _read(image, use_zbar=True)
    if not texts and longest_side > FIRST_SIDE:
        image, _ = _load_grey(data, RETRY_SIDE, max_pixels)
        texts = _read(image, use_zbar=False)  # zbar takes ~300 ms on a 12 MP image
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


@contextmanager
def _quiet_pillow() -> Iterator[None]:
    """Silence Pillow's warnings (bomb, EXIF, palette): the caller rejects or copes instead."""
    with _pillow_lock, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _load_grey(data: bytes, side: int, max_pixels: int) -> tuple[Image.Image, int]:
    """Open, size-check, turn upright and flatten to grey; shrink to `side`; give original side."""
    too_big = f"The image has too many pixels (the limit is {max_pixels / 1e6:.3g} megapixels)."
    with _quiet_pillow():
        Image.init()  # registers every plugin, so the filter below sees AVIF/HEIF if present
        formats = [name for name in ACCEPTED_FORMATS if name in Image.OPEN]
        try:
            with Image.open(BytesIO(data), formats=formats) as im:
                width, height = im.size  # read from the header; no pixel is decoded yet
                if width * height > max_pixels:
                    raise ImageRejected(too_big)
                # JPEG only: decode straight to grey at 1/2..1/8 scale while still >= side.
                longest = max(width, height, 1)
                im.draft("L", (width * side // longest, height * side // longest))
                image = _flatten(ImageOps.exif_transpose(im))
        except ImageRejected:
            raise
        except Image.DecompressionBombError:
            raise ImageRejected(too_big) from None
        except Image.UnidentifiedImageError:
            raise ImageRejected("The upload is not an image (JPEG, PNG, WebP, HEIC...).") from None
        except Exception:
            raise ImageRejected("The image is damaged or incomplete; please try again.") from None
    image.thumbnail((side, side))
    return image, max(width, height)


def _flatten(image: Image.Image) -> Image.Image:
    """Convert to 8-bit grey, putting transparent pixels on white (codes are dark on light)."""
    if "A" in image.getbands() or "transparency" in image.info:
        rgba = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    elif image.mode.startswith("I"):  # 16-bit grey PNG: convert() would clip, not scale
        image = image.convert("I").point(lambda value: value / 257)
    return image.convert("L")


def _read(image: Image.Image, *, use_zbar: bool) -> list[str]:
    """Return the texts zxing-cpp finds, else (QR only) what zbar finds."""
    try:
        for binarizer in BINARIZERS:
            found = zxingcpp.read_barcodes(
                image, formats=ZXING_FORMATS, binarizer=binarizer, text_mode=zxingcpp.TextMode.Plain
            )
            if found:
                return [_zxing_text(barcode) for barcode in found]
        if use_zbar and zbar_decode is not None:
            found = zbar_decode(image, symbols=[ZBarSymbol.QRCODE])
            return [_zbar_text(symbol.data) for symbol in found]
    except Exception:  # a decoder bug must read as "no code", not as a server error
        log.exception("Barcode decoder failed on a %sx%s image", *image.size)
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
