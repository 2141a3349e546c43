"""imaging.decode against generated images: clean and photographed codes, and hostile uploads."""

from __future__ import annotations

import contextlib
from functools import cache
from io import BytesIO

import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile

from gangway.imaging import decode
from gangway.imaging.decode import ImageRejected, decode_image
from tests.support.imaging import exif_rotated_jpeg, photographed_qr_jpeg, png_bomb, qr_png

BADGE = "GW1.V.4f2a9c.2025-06-01T18:00Z.sig_8dK2mQ0aPz7LwR3vT9bN"
NOT_AN_IMAGE = "not an image"


def encoded(image: Image.Image, image_format: str, **params: object) -> bytes:
    buffer = BytesIO()
    image.save(buffer, image_format, **params)
    return buffer.getvalue()


def test_clean_qr_png_decodes_to_its_text() -> None:
    assert decode_image(qr_png(BADGE)) == [BADGE]


def test_non_ascii_qr_text_survives() -> None:
    text = "Besucher: Jürgen Þórsson — 乗船"
    assert decode_image(qr_png(text)) == [text]


@pytest.mark.parametrize("seed", range(6))
def test_photographed_qr_with_blur_and_perspective_decodes(seed: int) -> None:
    assert decode_image(photographed_qr_jpeg(BADGE, seed=seed)) == [BADGE]


def test_two_identical_codes_give_one_text() -> None:
    code = Image.open(BytesIO(qr_png(BADGE)))
    sheet = Image.new("L", (code.width * 2 + 40, code.height), 255)
    sheet.paste(code, (0, 0))
    sheet.paste(code, (code.width + 40, 0))
    assert decode_image(encoded(sheet, "PNG")) == [BADGE]


def test_qr_on_transparent_background_decodes() -> None:
    # Transparent pixels stored as black would read as one black square without flattening.
    code = Image.open(BytesIO(qr_png(BADGE))).convert("L")
    clear = code.point(lambda v: 0 if v > 128 else 255)
    icon = Image.merge("RGBA", (*Image.new("RGB", code.size, "black").split(), clear))
    assert decode_image(encoded(icon, "PNG")) == [BADGE]


def test_sixteen_bit_greyscale_png_decodes() -> None:
    # Dark modules at 20000 of 65535: clipping to 8 bits instead of scaling would turn them white.
    code = Image.open(BytesIO(qr_png(BADGE))).convert("I").point(lambda v: 20000 + v * 160)
    assert decode_image(encoded(code.convert("I;16"), "PNG")) == [BADGE]


def test_exif_rotated_photo_still_decodes() -> None:
    assert decode_image(exif_rotated_jpeg(photographed_qr_jpeg(BADGE, seed=1))) == [BADGE]


def test_light_on_dark_qr_decodes() -> None:
    # A phone screen in dark mode: the readers look for inverted codes once nothing else is found.
    inverted = Image.open(BytesIO(qr_png(BADGE))).convert("L").point(lambda v: 255 - v)
    assert decode_image(encoded(inverted, "PNG")) == [BADGE]


def camera_photo(code: Image.Image) -> bytes:
    """A 12 MP (4032 x 3024) camera JPEG, unevenly lit, with `code` in its lower right part."""
    photo = Image.linear_gradient("L").resize((4032, 3024)).point(lambda v: 150 + v // 3)
    photo.paste(code, (2500, 1800))
    return encoded(photo, "JPEG", quality=90)


def zxing_sizes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Record the size of every image handed to zxing-cpp."""
    seen: list[tuple[int, int]] = []
    real_read = decode.zxingcpp.read_barcodes

    def spy(image: Image.Image, **options: object) -> list:
        seen.append(image.size)
        return real_read(image, **options)

    monkeypatch.setattr(decode.zxingcpp, "read_barcodes", spy)
    return seen


@pytest.mark.parametrize(
    ("box_size", "read_at"),
    [(8, (1008, 756)), (2, (2016, 1512)), (1, (4032, 3024))],
    ids=["quarter-size", "half-size", "full-size-retry"],
)
def test_camera_photo_is_read_at_the_smallest_size_that_shows_the_code(
    box_size: int, read_at: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Decoding and searching a 12 MP photo at full size takes ~0.5 s: a badge filling a good part
    # of the photo must be found at a quarter of the size, and no larger image is looked at first.
    photo = camera_photo(Image.open(BytesIO(qr_png(BADGE, box_size=box_size))))
    seen = zxing_sizes(monkeypatch)
    assert decode_image(photo) == [BADGE]
    assert seen[-1] == read_at
    assert max(seen) == read_at


@pytest.mark.parametrize("portrait", [False, True], ids=["landscape", "portrait-exif"])
def test_boarding_pass_pdf417_in_a_camera_photo_is_read(
    portrait: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Held upright, the pixels are stored turned (EXIF orientation 6) and are read as stored:
    # zxing finds a PDF417 turned a quarter, and turning a 3 MP image first would cost ~3 ms.
    bcbp = "M1DOE/JOHN            EABC123 OSLKIEDY 0123 100Y012A0001 100"
    symbol = zxingcpp.create_barcode(bcbp, zxingcpp.BarcodeFormat.PDF417).to_image(scale=4)
    seen = zxing_sizes(monkeypatch)
    pdf417 = Image.frombytes("L", (symbol.shape[1], symbol.shape[0]), bytes(symbol))
    photo = camera_photo(pdf417)
    assert decode_image(exif_rotated_jpeg(photo) if portrait else photo) == [bcbp]
    # QR looked for first, but no full-size decode was needed
    assert max(seen, key=max) == ((1512, 2016) if portrait else (2016, 1512))


def test_image_without_code_returns_no_text() -> None:
    photo = Image.linear_gradient("L").resize((800, 600)).convert("RGB")
    assert decode_image(encoded(photo, "JPEG")) == []


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n",
        b"Boarding pass for J. Smith, gate 4",
        bytes(range(256)) * 4,
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    ],
    ids=["pdf", "text", "junk", "svg"],
)
def test_non_image_upload_is_rejected_with_a_clear_message(data: bytes) -> None:
    with pytest.raises(ImageRejected, match=NOT_AN_IMAGE) as caught:
        decode_image(data)
    assert str(caught.value) == caught.value.message
    assert "JPEG" in caught.value.message


def test_truncated_image_is_rejected_as_damaged() -> None:
    photo = photographed_qr_jpeg(BADGE)
    with pytest.raises(ImageRejected, match="damaged or incomplete"):
        decode_image(photo[: len(photo) // 2])


def test_empty_upload_is_rejected() -> None:
    with pytest.raises(ImageRejected, match=r"^The upload is empty\.$"):
        decode_image(b"")


def test_oversized_upload_is_rejected() -> None:
    with pytest.raises(ImageRejected, match="10 MB"):
        decode_image(qr_png(BADGE) + bytes(10 * 1024 * 1024))
    with pytest.raises(ImageRejected, match="larger than"):
        decode_image(qr_png(BADGE), max_bytes=100)


@pytest.mark.parametrize(
    "side",
    [7_000, 10_000, 20_000],
    ids=["over-our-limit", "over-pillow-warning", "over-pillow-error"],
)
def test_decompression_bomb_is_rejected_before_decoding(
    side: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = png_bomb(side, side)
    assert len(bomb) < 64 * 1024
    loads: list[object] = []
    real_load = ImageFile.ImageFile.load

    def spy(self: ImageFile.ImageFile) -> object:
        loads.append(self)
        return real_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    with pytest.raises(ImageRejected, match="too many pixels"):
        decode_image(bomb)
    assert loads == []


def test_isinstance_of_value_error_so_callers_can_catch_broadly() -> None:
    assert issubclass(ImageRejected, ValueError)


@cache
def sample_images() -> tuple[bytes, ...]:
    code = Image.open(BytesIO(qr_png("FUZZ", box_size=2))).convert("RGB")
    return (
        encoded(code, "PNG"),
        encoded(code, "JPEG"),
        encoded(code.convert("P"), "GIF"),
        encoded(code, "WEBP"),
        encoded(code, "BMP"),
        exif_rotated_jpeg(encoded(code, "JPEG")),
    )


@st.composite
def hostile_bytes(draw: st.DrawFn) -> bytes:
    """Random bytes, or a real small image perhaps cut short, with a few bytes overwritten."""
    if draw(st.integers(0, 2)) == 0:
        return draw(st.binary(max_size=4096))
    data = bytearray(draw(st.sampled_from(sample_images())))
    if draw(st.booleans()):
        del data[draw(st.integers(8, len(data))) :]
    for _ in range(draw(st.integers(0, 4))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


@settings(max_examples=200, deadline=None, database=None)
@given(hostile_bytes())
def test_arbitrary_bytes_never_raise_anything_but_image_rejected(data: bytes) -> None:
    with contextlib.suppress(ImageRejected):
        assert all(isinstance(text, str) for text in decode_image(data))
