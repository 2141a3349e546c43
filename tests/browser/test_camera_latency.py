"""Live camera latency: the verdict shows within 300 ms of a badge's QR code coming into view.

How "the code appears" is measured, honestly and in the page's own clock (performance.now()):
- Chromium's fake camera plays an MJPEG file (30 frames a second, looped from frame 0 each time
  the page opens the camera): 1.2 s of an empty noisy scene, then 1.2 s of the same scene with a
  badge card held in it. A 32 px patch in a corner is dark in the empty frames and white in the
  badge frames, so the page can tell the two apart without decoding anything.
- An init script watches the preview with requestVideoFrameCallback and notes, for every frame
  presented, its `captureTime` (when the fake camera produced it) and the corner's brightness.
  The code appeared at the capture time of the first presented frame showing the badge; only a
  run whose first noted frame was empty counts, so scanning was already running by then.
- The same script notes, on every animation frame, when #watch-result first stops being
  "ready": that frame paints the verdict. Latency = verdict frame - code frame capture.
  A frame dropped before presentation could hide the true first badge frame: `bound_ms`, from
  the last empty frame instead, is reported beside it. camera.js marks ("camera-code-read") when
  it hands the code to the form, which splits the latency into detection and server + render.
The camera is started once before the measured runs so the zxing WebAssembly is in the HTTP cache,
as on a tablet that has scanned before; each run then starts on a freshly loaded page. The test
takes the median of three runs: one run on a busy 2-core machine says more about the machine.
The server's share includes the SQLite commit (synchronous=FULL), so a slow disk shows here too.
"""

from __future__ import annotations

import random
import statistics
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENS, add_user, login
from tests.imaging import qr_png

pytestmark = pytest.mark.browser

FRAME_SIZE = (1280, 720)  # what camera.js asks for
FPS = 30  # Chromium plays MJPEG files at a fixed 30 frames a second
EMPTY_FRAMES = BADGE_FRAMES = round(1.2 * FPS)
MARK = 32  # side of the corner patch: dark while empty, white while the badge is in view
LATENCY_BUDGET_MS = 300
START_TIMEOUT_MS = 15_000  # the first start compiles the zxing WebAssembly

INSTRUMENT = """
(() => {
  const record = (window.__latency = { onAt: null, frames: [], verdictAt: null, verdict: null });
  const probe = document.createElement("canvas");
  probe.width = probe.height = 1;
  let ctx = null;
  function noteFrames(video) {
    const onFrame = (now, meta) => {
      ctx ??= probe.getContext("2d", { willReadFrequently: true });
      ctx.drawImage(video, 0, 0, MARK, MARK, 0, 0, 1, 1);  // the corner patch only
      const light = ctx.getImageData(0, 0, 1, 1).data[0];
      record.frames.push({ capturedAt: meta.captureTime ?? now, light });
      if (video.srcObject && record.verdictAt === null) video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }
  const watchState = () => {
    const toggle = document.getElementById("camera-toggle");
    if (record.onAt === null && toggle?.dataset.cameraState === "on") {
      record.onAt = performance.now();
      noteFrames(document.getElementById("camera-preview"));
    }
  };
  new MutationObserver(watchState).observe(document, {
    subtree: true, attributes: true, attributeFilter: ["data-camera-state"],
  });
  const watchVerdict = (now) => {
    const verdict = document.getElementById("watch-result")?.dataset.verdict;
    if (record.onAt !== null && verdict && verdict !== "ready") {
      record.verdictAt = now;
      record.verdict = verdict;
      return;
    }
    requestAnimationFrame(watchVerdict);
  };
  requestAnimationFrame(watchVerdict);
})();
""".replace("MARK", str(MARK))


def camera_video(code: str, path: Path, *, seed: int = 0) -> Path:
    """Write the MJPEG the fake camera plays: an empty scene, then a badge card held in it."""
    rng = random.Random(seed)
    width, height = FRAME_SIZE
    scene = Image.effect_noise(FRAME_SIZE, 20).convert("RGB")
    scene = Image.blend(scene, Image.new("RGB", FRAME_SIZE, (96, 104, 112)), 0.5)
    draw = ImageDraw.Draw(scene)
    for _ in range(12):  # railings, bags, faces: edges for the detector to reject
        x, y = rng.randrange(width), rng.randrange(height)
        fill = tuple(rng.randrange(40, 200) for _ in range(3))
        draw.rectangle((x, y, x + rng.randrange(20, 300), y + rng.randrange(20, 200)), fill=fill)
    card = Image.new("RGB", (460, 420), (244, 244, 240))
    card.paste(Image.open(BytesIO(qr_png(code, box_size=6, border=2))).convert("RGB"), (20, 20))
    badge = scene.copy()
    badge.paste(card.rotate(8, expand=True, fillcolor=(96, 104, 112)), (width // 2 - 200, 120))
    badge = badge.filter(ImageFilter.GaussianBlur(0.8))  # a hand-held camera is never sharp
    scene.paste((20, 20, 20), (0, 0, MARK, MARK))
    badge.paste((235, 235, 235), (0, 0, MARK, MARK))

    def jpeg(image: Image.Image) -> bytes:
        buffer = BytesIO()
        image.save(buffer, "JPEG", quality=85)
        return buffer.getvalue()

    path.write_bytes(jpeg(scene) * EMPTY_FRAMES + jpeg(badge) * BADGE_FRAMES)
    return path


def fake_camera_args(video: Path) -> list[str]:
    return [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]


def measure_once(page: Page) -> dict | None:
    """Reload the scan page, start the camera and return the run's figures (None: not valid)."""
    page.reload()
    toggle = page.locator("#camera-toggle")
    expect(toggle).to_have_attribute("data-camera-state", "off")
    toggle.click()
    page.wait_for_function(
        "() => window.__latency.verdictAt !== null", timeout=START_TIMEOUT_MS * 2
    )
    record = page.evaluate(
        """() => ({...window.__latency,
                  readAt: performance.getEntriesByName("camera-code-read").at(-1)?.startTime})"""
    )
    frames = record["frames"]
    if not frames or frames[0]["light"] > 128:
        return None  # the badge was already in view when scanning started: not a measurement
    first = next((i for i, f in enumerate(frames) if f["light"] > 128), None)
    assert first is not None, f"a verdict ({record['verdict']}) with no badge in view"
    toggle.click()  # stop the camera
    expect(toggle).to_have_attribute("data-camera-state", "off")
    return {
        "verdict": record["verdict"],
        "latency_ms": record["verdictAt"] - frames[first]["capturedAt"],
        "bound_ms": record["verdictAt"] - frames[first - 1]["capturedAt"],
        "startup_ms": frames[first]["capturedAt"] - record["onAt"],
        # camera.js marks the moment it hands the code to the form: detection vs server + render
        "read_ms": record["readAt"] and record["readAt"] - frames[first]["capturedAt"],
    }


def open_camera_page(browser, base_url: str, app, camera_js: Path | None = None) -> Page:
    """Log in as the watch in a tablet-sized context with the camera allowed and instrumented.

    `camera_js` serves another version of camera.js instead (the benchmark compares versions).
    """
    context = browser.new_context(**SCREENS["tablet"], permissions=["camera"])
    if camera_js is not None:
        context.route("**/js/camera.js*", lambda route: route.fulfill(path=camera_js))
    page = context.new_page()
    page.add_init_script(INSTRUMENT)
    page.on("console", lambda message: print(f"console.{message.type}: {message.text}"))
    add_user(app, "watch")
    login(page, base_url, "watch")
    # Warm-up: the first start fetches and compiles the zxing WebAssembly (cached afterwards).
    toggle = page.locator("#camera-toggle")
    toggle.click()
    expect(toggle).to_have_attribute("data-camera-state", "on", timeout=START_TIMEOUT_MS)
    return page


def measure(page: Page, runs: int, tries: int) -> list[dict]:
    """Return the figures of `runs` valid runs, reloading the page at most `tries` times."""
    results = []
    for _ in range(tries):
        if (result := measure_once(page)) is not None:
            results.append(result)
        if len(results) == runs:
            return results
    raise AssertionError(f"{len(results)} valid runs in {tries}: the badge came into view first")


def test_live_camera_verdict_shows_within_300_ms_of_the_badge_coming_into_view(
    live_server, launch_browser, browser_type_launch_args, badge, tmp_path
):
    code = badge(kind="crew", family="HANSEN", given="Erik")
    video = camera_video(code, tmp_path / "camera.mjpeg")
    browser = launch_browser(args=[*browser_type_launch_args["args"], *fake_camera_args(video)])
    try:
        page = open_camera_page(browser, live_server.url, live_server.app)
        results = measure(page, runs=3, tries=6)
        print(f"camera latency: {results}")
        assert [r["verdict"] for r in results] == ["allowed"] * 3  # boarding, leaving, boarding
        assert statistics.median(r["latency_ms"] for r in results) < LATENCY_BUDGET_MS, results
    finally:
        browser.close()
