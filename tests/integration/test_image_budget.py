"""The pixel budget is counted in bytes, and pixels are decoded outside any shared lock."""

from __future__ import annotations

import io
import struct
import threading
import zlib

import pytest
from PIL import Image

from gangway.db.models import User
from gangway.extensions import db
from gangway.imaging import images
from gangway.imaging.decode import decode_image
from gangway.imaging.images import ImageRejected
from gangway.services.accounts.accounts import create_token
from tests.support.imaging import qr_png

WIDTH, HEIGHT = 7200, 5400  # 38.9 MP: under the 40 MP pixel limit


def png_16_bit_rgb(width: int, height: int) -> bytes:
    """A valid 16-bit-per-channel RGB PNG of black pixels, a few hundred KB however large."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    packer, row = zlib.compressobj(9), b"\0" * (1 + width * 6)
    idat = b"".join(packer.compress(row * 100) for _ in range(height // 100)) + packer.flush()
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def deep_png() -> bytes:
    return png_16_bit_rgb(WIDTH, HEIGHT)


def test_a_small_16_bit_png_of_39_mp_is_refused_before_decoding(app, client, make_user, deep_png):
    assert len(deep_png) < 400_000
    user = make_user("watch")
    with app.app_context():
        token = create_token(db.session, db.session.get(User, user.id), "t")
        db.session.commit()
    form = {"image": (io.BytesIO(deep_png), "deep.png"), "access_point": "MAIN-GW"}
    answer = client.post(
        "/api/v1/scans/image", data=form, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 422
    assert "too large to decode" in answer.get_json()["message"]
    assert "16-bit" in answer.get_json()["message"]


def test_the_byte_budget_counts_channels_and_bit_depth(deep_png):
    with Image.open(io.BytesIO(deep_png)) as im:
        assert images.decoded_bytes(im) == WIDTH * HEIGHT * 3 * 2
    grey = io.BytesIO()
    Image.new("L", (100, 50)).save(grey, "PNG")
    with Image.open(grey) as im:
        assert images.decoded_bytes(im) == 100 * 50


def test_a_photo_decoding_holds_up_no_other_upload(monkeypatch):
    """One slow decode (a big photo) must not keep another upload waiting for a lock."""
    started, release = threading.Event(), threading.Event()
    flatten = images._flatten

    def slow_flatten(image, mode):
        if image.size[0] > 600:  # the big one only
            started.set()
            release.wait(10)
        return flatten(image, mode)

    monkeypatch.setattr(images, "_flatten", slow_flatten)
    big = io.BytesIO()
    Image.new("RGB", (1200, 900), "white").save(big, "PNG")
    slow = threading.Thread(target=decode_image, args=(big.getvalue(),))
    slow.start()
    try:
        assert started.wait(10)
        done = []
        quick = threading.Thread(target=lambda: done.append(decode_image(qr_png("GW1:QUICK"))))
        quick.start()
        quick.join(5)
        assert done == [["GW1:QUICK"]]  # read while the big one is still decoding
    finally:
        release.set()
        slow.join(10)


def test_a_damaged_upload_is_still_refused_in_words():
    with pytest.raises(ImageRejected, match="damaged"):
        decode_image(png_16_bit_rgb(64, 64)[:-40])
