"""Open uploaded images safely: byte and pixel limits before decoding, known formats only.

Used for barcode photos (decode.py) and ID photos (id_photos.py) alike, so that every upload meets
the same guards against oversized files, decompression bombs and non-images.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO

from PIL import Image, ImageOps

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "AVIF", "HEIF")

# warnings.catch_warnings() swaps process-wide state; one lock keeps concurrent uploads from
# restoring each other's filters. It is held while a header is read, never while pixels decode.
_pillow_lock = threading.Lock()
#: Bytes of decoded pixels one upload may take (width x height x channels x bytes per sample):
#: a 12 MP 8-bit RGB photo is 36 MB (a JPEG decodes at 1/2 scale: 9 MB); a 300 KB PNG of 39 MP
#: at 16 bits per channel would be 234 MB, and ~600 MB with its conversions.
MAX_DECODED_BYTES = 64 * 2**20


class ImageRejected(ValueError):
    """An upload that cannot be read as an image; `message` is safe to show to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_size(data: bytes, max_bytes: int) -> None:
    """Refuse empty and oversized uploads before anything is parsed."""
    if not data:
        raise ImageRejected("The upload is empty.")
    if len(data) > max_bytes:
        raise ImageRejected(f"The upload is larger than the {max_bytes / 2**20:.3g} MB limit.")


@contextmanager
def quiet_pillow() -> Iterator[None]:
    """Silence Pillow's warnings (bomb, EXIF, palette): the caller rejects or copes instead."""
    with _pillow_lock, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def open_upload(
    data: bytes,
    side: int,
    max_pixels: int,
    mode: str,
    *,
    exact: bool = True,
    upright: bool = True,
) -> tuple[Image.Image, int]:
    """Open, size-check, turn upright, flatten to `mode` ("L" or "RGB") and shrink to `side`.

    With exact=False the image is only shrunk by whole factors (JPEG DCT scaling, box filter), to a
    longest side between `side` and 2 x `side`: no resampling pass, which costs more than the
    JPEG decode itself on a 12 MP photo. upright=False leaves the pixels as stored (EXIF
    orientation ignored): barcode readers find codes at any angle, and turning a 3 MP image costs
    ~3 ms. Returns the image and the original longest side.
    :raises ImageRejected: too many pixels or bytes of pixels, not an image, or damaged.
    """
    too_big = f"The image has too many pixels (the limit is {max_pixels / 1e6:.3g} megapixels)."
    # The header only, under the warning filter's lock: no pixel is decoded yet.
    with quiet_pillow(), _rejecting(too_big):
        Image.init()  # registers every plugin, so the filter below sees AVIF/HEIF if present
        formats = [name for name in ACCEPTED_FORMATS if name in Image.OPEN]
        im = Image.open(BytesIO(data), formats=formats)
        width, height = im.size
        if width * height > max_pixels:
            raise ImageRejected(too_big)
        # JPEG only: decode straight to the mode at 1/2..1/8 scale while still >= side.
        longest = max(width, height, 1)
        im.draft(mode, (width * side // longest, height * side // longest))
        if (size := decoded_bytes(im)) > MAX_DECODED_BYTES:
            limit = MAX_DECODED_BYTES / 2**20
            raise ImageRejected(
                f"The image is too large to decode: {size / 2**20:.0f} MB of pixels "
                f"(the limit is {limit:.0f} MB; a 16-bit image counts twice)."
            )
        if upright:
            im.getexif()  # parsed now, where a damaged EXIF block only warns quietly
    # The pixels outside any lock: another upload or photo scan never waits for this one.
    with im, _rejecting(too_big):
        image = _flatten(ImageOps.exif_transpose(im) if upright else im, mode)
    if exact:
        image.thumbnail((side, side))
    elif (factor := max(image.size) // side) > 1:
        image = image.reduce(factor)
    return image, max(width, height)


def decoded_bytes(im: Image.Image) -> int:
    """Return the bytes of pixels decoding would produce: width x height x channels x bytes per
    sample, read from the header (a 16-bit PNG's samples are 2 bytes, whatever mode it shows)."""
    width, height = im.size
    rawmode = str(im.tile[0][3]) if im.tile else im.mode
    per_sample = 2 if "16" in rawmode or "16" in im.mode else 4 if im.mode in ("I", "F") else 1
    return width * height * len(im.getbands()) * per_sample


@contextmanager
def _rejecting(too_big: str) -> Iterator[None]:
    """Turn Pillow's errors into ImageRejected with words for the user."""
    try:
        yield
    except ImageRejected:
        raise
    except Image.DecompressionBombError:
        raise ImageRejected(too_big) from None
    except Image.UnidentifiedImageError:
        raise ImageRejected("The upload is not an image (JPEG, PNG, WebP, HEIC...).") from None
    except Exception:
        raise ImageRejected("The image is damaged or incomplete; please try again.") from None


def _flatten(image: Image.Image, mode: str) -> Image.Image:
    """Convert to `mode`, putting transparent pixels on white (codes are dark on light)."""
    if "A" in image.getbands() or "transparency" in image.info:
        rgba = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    elif image.mode.startswith("I"):  # 16-bit grey PNG: convert() would clip, not scale
        image = image.convert("I").point(lambda value: value / 257)
    return image.convert(mode)
