"""Printed badge cards: CR80 PNG and PDF, A4 sheets; every printed QR reads back as the code."""

from __future__ import annotations

import hashlib
import random
import re
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from gangway.imaging.decode import decode_image
from gangway.render.cards import (
    CardData,
    card_paths,
    render_card_pdf,
    render_card_png,
    render_sheet_pdf,
    sealed_card,
    write_card_files,
)
from gangway.render.cards.fonts import fit_text, split_runs
from gangway.render.cards.layout import CARD_H, CARD_W, QR_BOX, Qr, Text, layout_card, prepare_photo
from tests.support.tools import require_tool

BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
MM_PER_PT = 25.4 / 72
MAC_KEY = b"k" * 32


def make_code(seed: int) -> str:
    """Return a code shaped like a signed badge: GW1: and 124 base32 characters."""
    rng = random.Random(seed)
    return "GW1:" + "".join(rng.choice(BASE32) for _ in range(124))


def make_photo(*, size: tuple[int, int] = (480, 640), exif_orientation: int | None = None) -> bytes:
    """Draw a synthetic head-and-shoulders JPEG (no real face)."""
    width, height = size
    image = Image.new("RGB", size, (205, 216, 230))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.2, height * 0.7, width * 0.8, height * 1.3), fill=(50, 70, 105))
    draw.ellipse((width * 0.32, height * 0.2, width * 0.68, height * 0.6), fill=(230, 195, 170))
    exif = Image.Exif()
    if exif_orientation:
        exif[0x0112] = exif_orientation
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def make_card(**overrides) -> CardData:
    """Return a visitor card; keyword arguments replace any field."""
    card = CardData(
        badge_id=123,
        code=make_code(123),
        ship_name="MV Nordic Star",
        kind="visitor",
        family_name="Müller",
        given_names="José",
        company="Rotterdam Marine Surveyors B.V.",
        rank=None,
        purpose="Hull survey",
        valid_from=datetime(2026, 11, 22, 8, 0, tzinfo=UTC),
        valid_until=datetime(2026, 11, 22, 16, 0, tzinfo=UTC),
    )
    return replace(card, **overrides)


@pytest.fixture
def poppler():
    """Return a runner for poppler-utils commands; skip without them, except under CI."""
    require_tool("pdftoppm")

    def run(*args: str | Path) -> str:
        return subprocess.run(
            [str(arg) for arg in args], check=True, capture_output=True, text=True, timeout=60
        ).stdout

    return run


def rasterise(poppler, tmp_path: Path, pdf: bytes) -> list[bytes]:
    """Return each page of a PDF as a 300 dpi PNG, as pdftoppm renders it."""
    source = tmp_path / "input.pdf"
    source.write_bytes(pdf)
    poppler("pdftoppm", "-r", "300", "-png", source, tmp_path / "page")
    return [page.read_bytes() for page in sorted(tmp_path.glob("page-*.png"))]


def pdf_text(poppler, tmp_path: Path, pdf: bytes) -> str:
    """Return the text poppler extracts from a PDF."""
    source = tmp_path / "text.pdf"
    source.write_bytes(pdf)
    return poppler("pdftotext", "-enc", "UTF-8", source, "-")


def page_sizes_mm(poppler, tmp_path: Path, pdf: bytes) -> list[tuple[float, float]]:
    """Return the width and height of every page in millimetres, from pdfinfo."""
    source = tmp_path / "info.pdf"
    source.write_bytes(pdf)
    info = poppler("pdfinfo", "-f", "1", "-l", "999", source)
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    return [(float(w) * MM_PER_PT, float(h) * MM_PER_PT) for w, h in sizes]


def test_card_png_decodes_back_to_exactly_the_code():
    card = make_card(photo=make_photo())

    assert decode_image(render_card_png(card)) == [card.code]


def test_card_png_is_cr80_at_the_requested_resolution():
    image = Image.open(BytesIO(render_card_png(make_card(), dpi=300)))

    assert image.size == (1011, 638)  # 85.6 x 54 mm at 300 dpi
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)


def test_qr_is_alphanumeric_version_6_and_at_least_22_mm_wide_when_printed():
    qr = next(op for op in layout_card(make_card()) if isinstance(op, Qr))
    count = len(qr.modules)
    module_px = round(qr.size * 300 / 25.4) // count  # as the PNG backend draws it

    assert count == 41 + 8  # version 6 with a 4-module quiet zone on each side
    assert (count - 8) * module_px * 25.4 / 300 >= 22
    assert (count - 8) * qr.size / count >= 22  # the PDF's vector symbol


def test_card_pdf_is_one_page_of_exactly_cr80_size(poppler, tmp_path):
    sizes = page_sizes_mm(poppler, tmp_path, render_card_pdf(make_card()))

    assert sizes == [(pytest.approx(85.6, abs=0.01), pytest.approx(54.0, abs=0.01))]


def test_rasterised_card_pdf_decodes_back_to_the_code(poppler, tmp_path):
    card = make_card(photo=make_photo())

    (page,) = rasterise(poppler, tmp_path, render_card_pdf(card))

    assert decode_image(page) == [card.code]


@pytest.mark.parametrize(
    ("family", "given", "printed"),
    [
        ("Müller", "José", "MÜLLER, José"),
        ("Иванов", "Дмитрий", "ИВАНОВ, Дмитрий"),
        ("王", "小明", "王, 小明"),
    ],
)
def test_card_pdf_text_holds_the_name_in_any_script(poppler, tmp_path, family, given, printed):
    card = make_card(family_name=family, given_names=given)

    text = pdf_text(poppler, tmp_path, render_card_pdf(card))

    assert printed in text
    assert "VISITOR" in text
    assert "Escort required at security level 2 and 3" in text
    assert "2026-11-22 16:00 UTC" in text


def test_every_character_of_a_chinese_name_gets_a_font_that_has_its_glyph():
    runs = split_runs("王, 小明", "bold")

    assert [run.text for run in runs] == ["王", ", ", "小明"]
    assert all(ord(char) in run.face.chars for run in runs for char in run.text.strip())
    assert runs[0].faux_bold  # the CJK fallback has no bold face of its own


def test_crew_card_has_no_escort_line_and_shows_rank_and_permanent_validity(poppler, tmp_path):
    card = make_card(
        kind="crew",
        family_name="Ivanov",
        given_names="Dmitriy",
        company=None,
        rank="Second Engineer",
        purpose=None,
        permanent=True,
        valid_until=datetime(2027, 3, 31, 23, 59, tzinfo=UTC),
    )

    text = pdf_text(poppler, tmp_path, render_card_pdf(card))

    assert "CREW" in text
    assert "Second Engineer" in text
    assert "valid until 2027-03-31" in text
    assert "Escort" not in text


def test_card_without_photo_shows_the_placeholder(poppler, tmp_path):
    text = pdf_text(poppler, tmp_path, render_card_pdf(make_card(photo=None)))

    assert "no photo" in text


def test_a4_sheet_of_twelve_cards_has_two_pages_and_every_code_decodes(poppler, tmp_path):
    cards = [make_card(badge_id=n, code=make_code(n), photo=make_photo()) for n in range(12)]
    pdf = render_sheet_pdf(cards)

    sizes = page_sizes_mm(poppler, tmp_path, pdf)
    found = {text for page in rasterise(poppler, tmp_path, pdf) for text in decode_image(page)}

    a4 = (pytest.approx(210, abs=0.1), pytest.approx(297, abs=0.1))
    assert sizes == [a4, a4]
    assert found == {card.code for card in cards}


def test_a_long_company_name_is_shrunk_then_ellipsized_to_its_width():
    company = "Internationale Schiffsreparatur- und Wartungsgesellschaft mbH & Co. KG " * 3

    fitted = fit_text(company, "regular", 7, 30, 5)

    assert fitted.width_mm <= 30
    assert fitted.size == 5
    assert fitted.truncated
    assert fitted.text.endswith("…")


def test_a_slightly_long_text_is_shrunk_not_cut():
    fitted = fit_text("Rotterdam Marine Surveyors B.V.", "regular", 12, 50, 5)

    assert fitted.width_mm <= 50
    assert 5 <= fitted.size < 12
    assert fitted.text == "Rotterdam Marine Surveyors B.V."


def test_no_text_on_a_card_with_very_long_fields_leaves_its_box_or_the_card():
    card = make_card(
        family_name="Müller-Lüdenscheidt von Hohenzollern-Sigmaringen " * 2,
        given_names="José María Alejandro Francisco de Asís " * 2,
        company="Internationale Schiffsreparatur- und Wartungsgesellschaft mbH " * 3,
        purpose="Inspection of the ballast water treatment system and the hull " * 3,
        ship_name="MV Extraordinarily Long Ship Name of the Northern Seas Line",
    )

    texts = [op for op in layout_card(card) if isinstance(op, Text)]
    png = Image.open(BytesIO(render_card_png(card)))

    assert png.size == (1011, 638)
    for op in texts:
        width = op.fitted.width_mm
        left = op.x - {"left": 0, "centre": width / 2, "right": width}[op.align]
        assert width <= op.max_width + 1e-6, op.fitted.text
        assert left >= 0, op.fitted.text
        assert left + width <= CARD_W, op.fitted.text
        assert 0 < op.y < CARD_H, op.fitted.text
        if QR_BOX[1] < op.y < QR_BOX[1] + QR_BOX[2]:  # beside the QR code: stays left of it
            assert left + width <= QR_BOX[0], op.fitted.text


def test_photo_is_turned_upright_and_centre_cropped_to_three_by_four():
    # Pixels stored 1000 x 600 with EXIF "turn 90° to display": upright 600 x 1000, cut to 800.
    photo = prepare_photo(make_photo(size=(1000, 600), exif_orientation=6), aspect=3 / 4)

    assert photo.mode == "RGB"
    assert photo.size == (600, 800)  # unturned it would have been cut to 450 x 600


def test_a_damaged_photo_prints_the_placeholder_instead(poppler, tmp_path):
    card = make_card(photo=b"\xff\xd8 this is not a jpeg")

    assert "no photo" in pdf_text(poppler, tmp_path, render_card_pdf(card))


def test_write_card_files_writes_both_and_a_second_write_replaces_them(tmp_path):
    card = make_card(badge_id=42)
    stem = f"badge-000042-{hashlib.sha256(card.code.encode()).hexdigest()}"

    first = write_card_files(tmp_path / "badges", card, MAC_KEY)
    first_pdf = first[0].read_bytes()
    renamed = replace(card, given_names="Josefina")
    second = write_card_files(tmp_path / "badges", renamed, MAC_KEY)

    assert first == second == card_paths(tmp_path / "badges", 42, card.code)
    assert second[0].name == f"{stem}.pdf"
    assert second[1].name == f"{stem}.png"
    assert second[0].read_bytes().startswith(b"%PDF")
    assert second[0].read_bytes() != first_pdf
    assert decode_image(second[1].read_bytes()) == [card.code]
    assert sorted(path.name for path in second[0].parent.iterdir()) == [
        f"{stem}.pdf",
        f"{stem}.png",
        f"{stem}.seal",
    ]
    assert sealed_card(tmp_path / "badges", renamed, MAC_KEY) == (
        second[0].read_bytes(),
        second[1].read_bytes(),
    )


def test_a_sealed_card_is_served_only_for_the_data_and_key_it_was_sealed_with(tmp_path):
    card = make_card(badge_id=42)
    pdf, png = write_card_files(tmp_path, card, MAC_KEY)
    drawn = (pdf.read_bytes(), png.read_bytes())
    pdf.write_bytes(b"%PDF planted")
    seal = pdf.with_suffix(".seal")

    assert sealed_card(tmp_path, card, MAC_KEY) == drawn  # planted bytes: drawn again
    assert pdf.read_bytes() == drawn[0]
    png.write_bytes(b"planted")
    sealed_card(tmp_path, card, b"another instance" * 2)  # another key: drawn and resealed
    assert png.read_bytes() == drawn[1]
    other_seal = seal.read_bytes()
    assert sealed_card(tmp_path, card, MAC_KEY) == drawn
    assert seal.read_bytes() != other_seal  # not vouched for by this key: sealed again
    renamed = replace(card, family_name="Schmidt")
    assert sealed_card(tmp_path, renamed, MAC_KEY) == (
        render_card_pdf(renamed),
        render_card_png(renamed),
    )


def test_unknown_kind_and_naive_times_are_refused():
    with pytest.raises(ValueError, match="kind"):
        layout_card(make_card(kind="stowaway"))
    with pytest.raises(ValueError, match="aware"):
        layout_card(make_card(valid_until=datetime(2026, 11, 22, 16, 0)))
