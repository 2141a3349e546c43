"""Take the README screenshots of the scan page: boarding, leaving, and a refusal pinned in the
last checks, at tablet size (and at phone size with --width 390 --height 844 --suffix -phone).

Builds a throwaway app with the demo data on a temp folder, serves it on a local thread and drives
Debian's Chromium (or GANGWAY_CHROMIUM) at tablet size. Run with the project's venv:

    .venv/bin/python scripts/screenshot.py [--out docs] [--width 768 --height 1024]
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from gangway import create_app
from gangway.cli.demo import _seed
from gangway.db.models import Badge, Person
from gangway.db.types import utcnow
from gangway.extensions import db

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("GANGWAY_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
]


def build(tmp: Path):
    """Create the demo app on a temp SQLite file; return it, the watch password and a crew code."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'demo.sqlite'}",
            "BADGES_DIR": str(tmp / "badges"),
            "SECRET_KEY": os.urandom(32).hex(),
            "VERDICT_RESET_SECONDS": 60,  # keep the verdict up while the picture is taken
        },
        instance_path=tmp / "instance",
    )
    with app.app_context():
        db.create_all()
        logins = _seed(utcnow())
        db.session.commit()
        password = next(p for role, _user, p in logins if role == "watch")
        codes = db.session.scalars(
            db.select(Badge.code).join(Person).where(Person.kind == "crew").order_by(Badge.id)
        ).all()
    return app, password, codes


def edited(code: str) -> str:
    i = len(code) // 2
    return code[:i] + ("A" if code[i] != "A" else "B") + code[i + 1 :]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--width", type=int, default=768)
    parser.add_argument("--height", type=int, default=1024)
    parser.add_argument(
        "--suffix", default="", help="added to the file names, e.g. --suffix=-phone"
    )
    opts = parser.parse_args()
    opts.out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no per-request log lines

    with tempfile.TemporaryDirectory(prefix="gangway-shot-") as tmp:
        app, password, codes = build(Path(tmp))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()
        url = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                context = browser.new_context(
                    viewport={"width": opts.width, "height": opts.height}, has_touch=True
                )
                page = context.new_page()
                page.goto(f"{url}/login")
                page.get_by_label("Username").fill("watch")
                page.get_by_label("Password").fill(password)
                page.get_by_role("button", name="Log in").click()
                page.locator("button[name=access_point][value=MAIN-GW]").click()
                page.wait_for_load_state("load")  # the page's scripts hear the scanner
                result = page.locator("#watch-result")

                first, second = codes[0], codes[1]
                for name, scanned, verdict in (
                    ("boarding", first, "allowed"),
                    ("leaving", first, "allowed"),
                    ("refused", edited(second), "refused"),
                ):
                    page.keyboard.type(scanned)  # a scanner's burst, wherever the focus is
                    page.keyboard.press("Enter")
                    expect(result).to_have_attribute("data-verdict", verdict)
                    expect(page.locator("#watch-recent")).to_be_visible()
                    path = opts.out / f"screenshot-{name}{opts.suffix}.png"
                    page.screenshot(path=path, full_page=True)
                    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
                context.close()
                browser.close()
        finally:
            server.shutdown()
            thread.join()
            server.server_close()
            with app.app_context():
                db.engine.dispose()


if __name__ == "__main__":
    main()
