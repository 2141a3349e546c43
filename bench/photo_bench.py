"""Photo to verdict for camera-size JPEGs (7, 9 and 12 MP): the whole request and the decode alone.

Generates tablet-camera photos of a badge card (a real code signed with the app's key, as a QR
code) at several sizes, rotations, perspectives, blurs and JPEG qualities in a noisy, cluttered
scene, then times in-process, on the same images in the same run:
- request: POST /api/v1/scans/image through the Flask test client (multipart upload, guards,
  decode, signature check, decision, movement write on SQLite with synchronous=FULL);
- decode: gangway.imaging.decode.decode_image(bytes) alone;
- baseline: zxing-cpp called raw (Pillow decodes the whole JPEG, read_barcodes with defaults),
  timed once per photo (the others: fastest of --repeat runs, against noise from other processes).
Wall and CPU (thread) time are both shown: on a shared machine the CPU time is the steadier figure.
Usage: .venv/bin/python bench/photo_bench.py [--photos 20] [--repeat 3] [--seed 1] [--save DIR]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from io import BytesIO
from pathlib import Path

import zxingcpp
from flask.testing import EnvironBuilder
from PIL import Image, ImageChops, ImageDraw, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gangway import create_app  # noqa: E402
from gangway.db.models import AccessPoint, Person, Ship  # noqa: E402
from gangway.extensions import db  # noqa: E402
from gangway.imaging.decode import decode_image, decoder_versions  # noqa: E402
from gangway.keys import KEY_ID, signing_key  # noqa: E402
from gangway.services.accounts.accounts import create_token, create_user  # noqa: E402
from gangway.services.people.badges import issue_badge  # noqa: E402
from tests.support.imaging import perspective_coeffs, qr_png  # noqa: E402

#: Common 4:3 camera sizes: 7.1, 9.0 and 12.2 megapixels.
SIZES = {7: (3072, 2304), 9: (3456, 2592), 12: (4032, 3024)}
CARD = (856, 540)  # CR80 at 10 px/mm before scaling


def card_image(code: str) -> Image.Image:
    """A white CR80 badge card: coloured band, text lines, photo box and the QR code."""
    card = Image.new("RGB", CARD, (246, 246, 242))
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, CARD[0], 70), fill=(20, 90, 170))
    draw.rectangle((30, 100, 230, 350), fill=(150, 130, 120))  # ID photo
    for i, width in enumerate((300, 220, 260, 180)):
        draw.rectangle((30, 380 + 36 * i, 30 + width, 398 + 36 * i), fill=(40, 40, 48))
    qr = Image.open(BytesIO(qr_png(code, box_size=8, border=2))).convert("RGB")
    qr = qr.resize((420, 420), Image.Resampling.NEAREST)
    card.paste(qr, (CARD[0] - 440, 95))
    return card


def noise_image(size: tuple[int, int], rng: random.Random, amplitude: float) -> Image.Image:
    """Grey 128 +- `amplitude` uniform noise (effect_noise's Gaussian is 30x slower)."""
    noise = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    return noise.point(lambda v: round(128 + (v - 128) * amplitude / 128))


def scene(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A cluttered, unevenly lit background: blotchy colour, shapes and strokes."""
    blotches = Image.frombytes("RGB", (6, 5), rng.randbytes(90)).resize(
        size, Image.Resampling.BICUBIC
    )
    draw = ImageDraw.Draw(blotches)
    w, h = size
    for _ in range(60):
        x, y = rng.randrange(w), rng.randrange(h)
        fill = tuple(rng.randrange(256) for _ in range(3))
        dx, dy = rng.randrange(20, w // 4), rng.randrange(20, h // 4)
        shape = rng.choice((draw.rectangle, draw.ellipse, draw.line))
        if shape is draw.line:
            draw.line((x, y, x + dx, y + dy), fill=fill, width=rng.randrange(2, 12))
        else:
            shape((x, y, x + dx, y + dy), fill=fill)
    # Surface grain (wood, fabric, skin): what makes a real 12 MP JPEG weigh 3-6 MB.
    grain = noise_image((w // 3, h // 3), rng, rng.uniform(25, 60))
    grain = grain.resize(size, Image.Resampling.BICUBIC).convert("RGB")
    return ImageChops.add(blotches, grain, offset=-128)


def badge_photo(code: str, megapixels: int, rng: random.Random) -> tuple[bytes, dict]:
    """Photograph the badge card in a scene; return the JPEG and what was drawn."""
    size = SIZES[megapixels]
    photo = scene(size, rng)
    card = card_image(code)
    # The QR side as a share of the photo's short side: held at arm's length to filling the view.
    qr_share = rng.uniform(0.08, 0.45)
    half_w = qr_share * size[1] / 420 * CARD[0] / 2
    half_h = half_w * CARD[1] / CARD[0]
    centre = (
        rng.uniform(half_w * 1.3, size[0] - half_w * 1.3),
        rng.uniform(half_w * 1.3, size[1] - half_w * 1.3),
    )
    angle = math.radians(rng.uniform(-180, 180))
    tilt = rng.uniform(0.0, 0.18)  # perspective: corners pulled about by up to 18 %
    landed = []
    for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        x = half_w * sx * (1 + rng.uniform(-tilt, tilt))
        y = half_h * sy * (1 + rng.uniform(-tilt, tilt))
        landed.append(
            (
                centre[0] + x * math.cos(angle) - y * math.sin(angle),
                centre[1] + x * math.sin(angle) + y * math.cos(angle),
            )
        )
    left, top = (int(min(p[i] for p in landed)) - 8 for i in (0, 1))
    right, bottom = (int(max(p[i] for p in landed)) + 8 for i in (0, 1))
    box = (right - left, bottom - top)
    local = [(x - left, y - top) for x, y in landed]
    coeffs = perspective_coeffs(local, [(0, 0), (CARD[0], 0), CARD, (0, CARD[1])])
    warp, smooth = Image.Transform.PERSPECTIVE, Image.Resampling.BILINEAR
    mask = Image.new("L", CARD, 255).transform(box, warp, coeffs, smooth)
    photo.paste(card.transform(box, warp, coeffs, smooth), (left, top), mask)
    # Focus blur on the card and around it (the decoder never looks far from the code).
    blur = rng.uniform(0.5, 2.5) * size[0] / 3072
    around = (
        max(0, left - 50),
        max(0, top - 50),
        min(size[0], right + 50),
        min(size[1], bottom + 50),
    )
    photo.paste(photo.crop(around).filter(ImageFilter.GaussianBlur(blur)), around[:2])
    # Light from one side, sensor noise, then the camera's JPEG encoder.
    light = Image.linear_gradient("L").rotate(rng.uniform(0, 360), Image.Resampling.BILINEAR)
    light = light.crop((64, 64, 192, 192)).resize(size, Image.Resampling.BILINEAR)
    photo = ImageChops.multiply(photo, light.point(lambda v: 150 + v * 105 // 255).convert("RGB"))
    noise = noise_image(size, rng, rng.uniform(6, 12)).convert("RGB")
    photo = ImageChops.add(photo, noise, offset=-128)
    quality = rng.choice((75, 85, 90, 95))
    exif = Image.Exif()
    if portrait := rng.random() < 0.25:  # tablet held upright: pixels stored turned, EXIF says so
        photo = photo.transpose(Image.Transpose.ROTATE_90)
        exif[0x0112] = 6
    buffer = BytesIO()
    photo.save(buffer, "JPEG", quality=quality, exif=exif)
    facts = {
        "qr_px": round(qr_share * size[1]),
        "blur": round(blur, 1),
        "quality": quality,
        "portrait": portrait,
    }
    return buffer.getvalue(), facts


def build_app(tmp: Path, badges: int):
    """An app on a fresh SQLite file with a watch token and `badges` crew badges."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'p.sqlite'}", "SECRET_KEY": "x" * 32},
        instance_path=tmp,
    )
    now = datetime.now(UTC)
    with app.app_context():
        db.create_all()
        db.session.add_all(
            [Ship(name="MV Bench", search_percent_1=0), AccessPoint(code="GW", name="Gangway")]
        )
        user = create_user(db.session, "bench", "watch", "benchmark-password")
        codes = [
            issue_badge(
                db.session,
                Person(kind="crew", family_name=f"CREW{i}", given_names="A"),
                valid_from=now - timedelta(days=1),
                valid_until=now + timedelta(days=9),
                private_key=signing_key(),
                key_id=KEY_ID,
                now=now,
            ).code
            for i in range(badges)
        ]
        token = create_token(db.session, user, "bench")
        db.session.commit()
    return app, codes, token


def raw_zxing(data: bytes) -> list[str]:
    """The baseline: the whole JPEG decoded by Pillow, zxing-cpp with its defaults."""
    return [b.text for b in zxingcpp.read_barcodes(Image.open(BytesIO(data)))]


def measure(runs: list) -> tuple[object, float, float]:
    """Call each prepared callable; return the last result and the fastest wall and CPU ms."""
    wall = cpu = math.inf
    for run in runs:
        start, start_cpu = time.perf_counter(), time.thread_time()
        result = run()
        wall = min(wall, (time.perf_counter() - start) * 1000)
        cpu = min(cpu, (time.thread_time() - start_cpu) * 1000)
    return result, wall, cpu


def row(size: str, name: str, reads: int, wall: list[float], cpu: list[float]) -> str:
    def p95(values: list[float]) -> float:
        return sorted(values)[max(0, math.ceil(0.95 * len(values)) - 1)]

    return (
        f"| {size} | {name} | {reads}/{len(wall)} | {statistics.median(wall):.0f} "
        f"| {p95(wall):.0f} | {max(wall):.0f} | {statistics.median(cpu):.0f} | {p95(cpu):.0f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=20, help="photos per size")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per photo (fastest kept)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--save", type=Path, help="also write the photos to this folder")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    versions = ", ".join(f"{k} {v}" for k, v in decoder_versions().items())
    print(f"{versions}; {args.photos} photos per size, fastest of {args.repeat} runs each")
    print(f"load average before: {os.getloadavg()[0]:.1f}\n")
    print("| photo | timing | read | p50 ms | p95 ms | max ms | CPU p50 | CPU p95 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    slow = []
    with tempfile.TemporaryDirectory() as tmp:
        app, codes, token = build_app(Path(tmp), args.photos)
        client = app.test_client()
        for megapixels in SIZES:
            wall: dict[str, list[float]] = {"request": [], "decode": [], "raw": []}
            cpu: dict[str, list[float]] = {name: [] for name in wall}
            reads = dict.fromkeys(wall, 0)
            mb = []
            for i, code in enumerate(codes):
                data, facts = badge_photo(code, megapixels, rng)
                mb.append(len(data) / 2**20)
                if args.save:
                    args.save.mkdir(parents=True, exist_ok=True)
                    (args.save / f"{megapixels}mp-{i:02}.jpg").write_bytes(data)
                # The multipart body is encoded before the clock starts: only the server is timed.
                requests = [upload(client, token, data, run) for run in range(args.repeat)]
                response, wall_ms, cpu_ms = measure([partial(client.open, r) for r in requests])
                body = response.get_json()  # the right badge holder, allowed and recorded
                ok = response.status_code == 201 and body["person"]["name"] == f"CREW{i}, A"
                reads["request"] += ok and body["verdict"] == "allowed"
                wall["request"].append(wall_ms)
                cpu["request"].append(cpu_ms)
                for name, function, repeat in (
                    ("decode", decode_image, args.repeat),
                    ("raw", raw_zxing, 1),  # 20x slower: one run is plenty
                ):
                    texts, wall_ms, cpu_ms = measure([partial(function, data)] * repeat)
                    reads[name] += code in texts
                    wall[name].append(wall_ms)
                    cpu[name].append(cpu_ms)
                    if name == "decode" and (cpu_ms > 100 or code not in texts):
                        read = "read" if code in texts else "MISSED"
                        slow.append(f"{megapixels} MP #{i} {facts}: {read}, CPU {cpu_ms:.0f} ms")
            size = f"{megapixels} MP, {statistics.median(mb):.1f} MB"
            for name, label in (
                ("request", "whole request"),
                ("decode", "decode_image"),
                ("raw", "raw zxing-cpp (baseline)"),
            ):
                print(row(size, label, reads[name], wall[name], cpu[name]))
        with app.app_context():
            db.engine.dispose()
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    for line in slow:
        print("slow (CPU > 100 ms) or missed:", line)
    return 0


def upload(client, token: str, data: bytes, run: int):
    """A ready-to-send photo scan request (board and depart in turn)."""
    fields = {
        "image": (BytesIO(data), "photo.jpg"),
        "access_point": "GW",
        "direction": ("board", "depart")[run % 2],
    }
    builder = EnvironBuilder(
        client.application,
        "/api/v1/scans/image",
        method="POST",
        data=fields,
        headers={"Authorization": f"Bearer {token}"},
    )
    try:
        return builder.get_request()
    finally:
        builder.close()


if __name__ == "__main__":
    sys.exit(main())
