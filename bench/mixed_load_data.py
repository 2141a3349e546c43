"""The mixed load benchmark's instance: the scan benchmark's database plus an SSO and photos.

bench/scan_load_data.py builds the scans' instance (crew with badges, a watch's token, ten port
calls sharing the movements, the last call open); this adds an SSO who logs in with a password
(the HTML downloads) and has a token (the list import), and 12 MP badge photos that the app's
decoder reads. Built once per data parameters and schema under the --data folder, then copied per
run so the writes of one run never reach the next.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import tempfile
import time
from pathlib import Path

from scan_load_data import build_database

PASSWORD = "bench-sso-password"
PHOTOS = 3  # 12 MP JPEGs sent in turn, one a second


def build(folder: Path, *, movements: int, crew: int, photos: int) -> None:
    """Build the instance in folder: database, keys, SSO, photos and facts.json."""
    from sqlalchemy import select

    import gangway.db.models  # noqa: F401  (registers every table)
    from gangway.db.models import Badge, PortCall
    from gangway.extensions import db
    from gangway.services.accounts.accounts import create_token, create_user
    from tests.support.scan_instance import _app

    build_database(folder, movements=movements, crew=crew)
    facts = json.loads((folder / "facts.json").read_text())
    app = _app(folder)
    with app.app_context():
        sso = create_user(db.session, "sso", "sso", PASSWORD, hash_method="pbkdf2:sha256:1000")
        db.session.flush()
        facts["sso_token"] = create_token(db.session, sso, "bench")
        closed = select(PortCall.id).where(PortCall.departed_at.is_not(None))
        facts["closed_call"] = db.session.scalars(closed.order_by(PortCall.id.desc())).first()
        facts["badge_ids"] = list(db.session.scalars(select(Badge.id).order_by(Badge.id).limit(50)))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    # The last crew member is the photo's: the tablets scan the others.
    facts["photos"] = write_photos(folder, facts["codes"][-1], photos)
    facts["crew"] = crew
    (folder / "facts.json").write_text(json.dumps(facts))


def write_photos(folder: Path, code: str, count: int) -> list[str]:
    """Write `count` 12 MP photos of the badge that imaging.decode reads; return their names."""
    from photo_bench import badge_photo

    from gangway.imaging.decode import decode_image

    rng, names = random.Random(14), []
    for _ in range(count * 20):
        data, _ = badge_photo(code, 12, rng)
        if code in decode_image(data):
            names.append(f"photo-{len(names)}.jpg")
            (folder / names[-1]).write_bytes(data)
            if len(names) == count:
                return names
    raise SystemExit("the decoder read none of the generated photos")


def instance(data: Path, *, movements: int, crew: int) -> tuple[Path, dict]:
    """Return a fresh copy of the cached instance (built on first use) and its facts."""
    import gangway.db.models  # noqa: F401
    from gangway.extensions import db

    columns = sorted(f"{t.name}.{c.name}:{c.type}" for t in db.metadata.tables.values()
                     for c in t.columns)  # fmt: skip
    key = json.dumps([movements, crew, PHOTOS, columns]).encode()
    built = data / hashlib.sha256(key).hexdigest()[:16]
    if not (built / "facts.json").exists():
        shutil.rmtree(built, ignore_errors=True)
        started = time.monotonic()
        build(built, movements=movements, crew=crew, photos=PHOTOS)
        print(f"built {movements:,} movements in {time.monotonic() - started:.0f} s in {built}")
    run = Path(tempfile.mkdtemp(prefix="gangway-mixed-run-"))
    shutil.copytree(built, run, dirs_exist_ok=True)
    return run, json.loads((run / "facts.json").read_text())


def passenger_csv(batch: int, rows: int) -> bytes:
    """A passenger list (FAL Form 6) of `rows` new passengers, unique to this batch."""
    from gangway.domain.lists.crew_lists import template_csv

    lines = [template_csv("passengers").strip()]
    for i in range(rows):
        lines.append(
            f"PAX{batch}X{i},Ann,DEU,1980-01-01,Köln,F,Passport,B{batch:03d}X{i:06d},DEU,"
            f"2031-02-01,NLRTM,NOOSL,BK{batch}X{i},,{7000 + i % 900}"
        )
    return ("\r\n".join(lines) + "\r\n").encode()
