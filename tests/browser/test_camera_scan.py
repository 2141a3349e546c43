"""Live camera scanning in a real browser: Chromium's fake camera films a badge's QR code.

Chromium plays a Y4M file as its camera when launched with the fake-capture switches. The file
must exist before the browser starts and holds one badge, so each test issues its badge on the
live server first and then launches its own Chromium (with conftest's executable, arguments and
skip/fail logic, through pytest-playwright's `launch_browser`). Linux Chromium has no native
BarcodeDetector, so this drives the vendored zxing-wasm ponyfill end to end.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import Page, Request, expect

from gangway.db.models import Badge, Movement, Refusal
from gangway.extensions import db
from tests.browser.conftest import SCREENS, VERDICT_RESET_SECONDS, add_user, login
from tests.support.imaging import qr_png

pytestmark = pytest.mark.browser

# The first start loads and compiles the zxing WebAssembly before the camera counts as "on".
CAMERA_TIMEOUT_MS = 15_000
RESET_TIMEOUT_MS = (VERDICT_RESET_SECONDS + 3) * 1000
# camera.js pauses 2.5 s after a hit, then looks at each new frame: this many more looks at the same
# badge after the verdict shows that it kept scanning and chose not to submit again.
LOOKS_AT_SAME_BADGE = 5

FRAME_SIZE = (640, 480)
FRAMES = 20  # two seconds at 10 fps; Chromium loops the file

# Count the frames the ponyfill reads from the preview (it draws the <video> onto a 2D canvas
# before handing the pixels to zxing). Observes only: the real drawImage still runs.
COUNT_VIDEO_READS = """
window.__videoReads = 0;
for (const name of ["CanvasRenderingContext2D", "OffscreenCanvasRenderingContext2D"]) {
  const proto = globalThis[name]?.prototype;
  if (!proto) continue;
  const drawImage = proto.drawImage;
  proto.drawImage = function (source, ...rest) {
    if (source instanceof HTMLVideoElement) window.__videoReads++;
    return drawImage.call(this, source, ...rest);
  };
}
"""

# Done when the camera has looked at the badge n times in all, or (a failure) submitted it again.
SCANNED_AGAIN_OR_LOOKED = """
n => window.__videoReads >= n || document.getElementById("watch-result").dataset.verdict !== "ready"
"""


def qr_y4m(text: str) -> bytes:
    """A still Y4M video (4:2:0, full-range JPEG YCbCr) of `text` as a QR code on white."""
    code = Image.open(BytesIO(qr_png(text))).convert("L")
    width, height = FRAME_SIZE
    assert code.height <= height, "QR code taller than the video frame"  # square, 640 > 480
    canvas = Image.new("RGB", FRAME_SIZE, "white")
    canvas.paste(code.convert("RGB"), ((width - code.width) // 2, (height - code.height) // 2))
    return still_y4m(canvas)


def still_y4m(canvas: Image.Image, frames: int = FRAMES, fps: int = 10) -> bytes:
    """A Y4M video (4:2:0, full-range JPEG YCbCr) showing `canvas` for `frames` frames."""
    width, height = canvas.size
    y, cb, cr = canvas.convert("YCbCr").split()
    half = (width // 2, height // 2)
    frame = b"".join(
        [
            b"FRAME\n",
            y.tobytes(),
            cb.resize(half, Image.Resampling.BOX).tobytes(),
            cr.resize(half, Image.Resampling.BOX).tobytes(),
        ]
    )
    header = f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode()
    return header + frame * frames


def edited(code: str) -> str:
    """Change one base32 character in the middle of a badge code (still the right shape)."""
    i = len(code) // 2
    return code[:i] + ("A" if code[i] != "A" else "B") + code[i + 1 :]


def fake_camera_args(video: Path) -> list[str]:
    return [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]


@pytest.fixture
def camera_watch(live_server, launch_browser, browser_type_launch_args, tmp_path):
    """Return `camera_watch(code)`: a Chromium whose camera films `code`, logged in as the watch
    at the main gangway, with a list of the /watch/scan requests the page sends."""
    browsers = []

    def open_page(code: str, screen: str = "tablet") -> tuple[Page, list[str]]:
        video = tmp_path / f"camera-{len(browsers)}.y4m"
        video.write_bytes(qr_y4m(code))
        base_args = browser_type_launch_args.get("args", [])
        browser = launch_browser(args=[*base_args, *fake_camera_args(video)])
        browsers.append(browser)
        context = browser.new_context(**SCREENS[screen], permissions=["camera"])
        page = context.new_page()
        page.add_init_script(COUNT_VIDEO_READS)
        scans = []

        def note_scan(request: Request) -> None:
            if urlsplit(request.url).path == "/watch/scan":
                scans.append(request.method)

        page.on("request", note_scan)
        # camera.js reports start and decode failures on the console: show them if a test fails.
        page.on("console", lambda message: print(f"console.{message.type}: {message.text}"))
        add_user(live_server.app, "watch")
        login(page, live_server.url, "watch")
        return page, scans

    yield open_page
    for browser in browsers:
        browser.close()


def start_camera(page: Page) -> None:
    toggle = page.locator("#camera-toggle")
    expect(toggle).to_have_attribute("data-camera-state", "off")
    toggle.click()
    expect(toggle).to_have_attribute("data-camera-state", "on", timeout=CAMERA_TIMEOUT_MS)
    expect(page.locator("#camera-preview")).to_be_visible()
    expect(page.locator("#camera-message")).to_be_hidden()


def stop_camera(page: Page) -> None:
    toggle = page.locator("#camera-toggle")
    toggle.click()
    expect(toggle).to_have_attribute("data-camera-state", "off")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#camera-preview")).to_be_hidden()
    expect(page.locator("input[name=method]")).to_have_value("scan")


def video_reads(page: Page) -> int:
    return page.evaluate("window.__videoReads")


def test_live_camera_scan_of_a_crew_badge_is_allowed_and_recorded_as_camera(
    camera_watch, badge, live_server
):
    code = badge(kind="crew", family="HANSEN", given="Erik", rank="Master")
    page, scans = camera_watch(code)
    result = page.locator("#watch-result")
    expect(result).to_have_attribute("data-verdict", "ready")

    start_camera(page)
    expect(result).to_have_attribute("data-verdict", "allowed", timeout=CAMERA_TIMEOUT_MS)
    expect(result).to_contain_text("ALLOWED")
    expect(result.get_by_test_id("person-name")).to_have_text("HANSEN, Erik")
    expect(page.locator("#watch-onboard-count [data-testid=onboard-total]")).to_have_text("1")

    with live_server.app.app_context():
        badge_id = db.session.scalars(db.select(Badge.id).where(Badge.code == code)).one()
        movements = db.session.scalars(db.select(Movement)).all()
        assert [(m.badge_id, m.method, m.direction) for m in movements] == [
            (badge_id, "camera", "board")
        ]
        assert db.session.scalars(db.select(Refusal)).all() == []

    # The badge stays in view: the camera goes on looking at it but must not log it again.
    expect(result).to_have_attribute("data-verdict", "ready", timeout=RESET_TIMEOUT_MS)
    page.wait_for_function(
        SCANNED_AGAIN_OR_LOOKED, arg=video_reads(page) + LOOKS_AT_SAME_BADGE, timeout=10_000
    )
    assert scans == ["POST"]
    expect(result).to_have_attribute("data-verdict", "ready")
    with live_server.app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Movement)) == 1

    stop_camera(page)


def test_live_camera_scan_of_an_edited_badge_is_refused_as_forged(camera_watch, badge, live_server):
    forged = edited(badge(kind="crew", family="MEIER", given="Anna"))
    page, scans = camera_watch(forged)
    result = page.locator("#watch-result")

    start_camera(page)
    expect(result).to_have_attribute("data-verdict", "refused", timeout=CAMERA_TIMEOUT_MS)
    expect(result).to_contain_text("REFUSED")
    reason = result.locator("li.reason[data-code=forged]")
    expect(reason).to_be_visible()
    expect(reason).to_contain_text("Badge signature is invalid")
    expect(page.locator("#watch-onboard-count [data-testid=onboard-total]")).to_have_text("0")
    assert scans == ["POST"]

    with live_server.app.app_context():
        refusals = db.session.scalars(db.select(Refusal)).all()
        assert [(r.scanned_text, r.method, r.reason_code) for r in refusals] == [
            (forged, "camera", "forged")
        ]
        assert db.session.scalars(db.select(Movement)).all() == []

    stop_camera(page)
