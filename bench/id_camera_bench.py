"""Read ID live: a passport entering the camera's view -> its verdict painted, in headless Chromium.

Chromium's fake camera plays an MJPEG (30 fps, 1280x720, looped): an empty table for 2 s, then a
generated passport lying on it (tests/support/document_photos.py: turned 2 degrees, tilted,
slightly blurred) for 12 s. A dark corner patch marks the empty frames and a light one the
passport's, so the page notes when the passport's first frame is presented
(requestVideoFrameCallback); the verdict is noted at the animation frame that paints it. Each
run taps "Read ID live" on the same page and waits for the verdict (the visitor boards, then
leaves, then boards...). The first run after the server starts also loads the OCR model.
Usage: .venv/bin/python bench/id_camera_bench.py [--runs 6]
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import sys
import tempfile
import threading
from io import BytesIO
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gangway.db.models import Person  # noqa: E402
from gangway.domain.codes.documents.mrz_make import make_mrz  # noqa: E402
from gangway.extensions import db  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, SCREENS, add_user, login  # noqa: E402
from tests.browser.test_camera_latency import fake_camera_args  # noqa: E402
from tests.conftest import build_app, dispose  # noqa: E402
from tests.integration.test_check_id import PASSPORT  # noqa: E402
from tests.support.document_photos import Shot, Specimen, draw_document, photograph  # noqa: E402

FPS, EMPTY_S, DOCUMENT_S = 30, 2, 12  # Chromium plays MJPEG files at 30 frames a second
SIZE, MARK, EMPTY_SHADE, DOCUMENT_SHADE = (1280, 720), 24, 150, 250

INSTRUMENT = """
(() => {
  const record = (window.__idcam = { runs: [] });
  const probe = document.createElement("canvas");
  probe.width = probe.height = 1;
  const ctx = probe.getContext("2d", { willReadFrequently: true });
  let run = null;
  document.addEventListener("click", (event) => {
    if (!event.target.closest("#id-camera-toggle")) return;
    run = { tappedAt: performance.now(), firstFrame: null, documentIn: null, verdictAt: null };
    record.runs.push(run);
    const video = document.getElementById("camera-preview");
    const onFrame = (now, meta) => {
      if (!run || run.verdictAt) return;
      ctx.drawImage(video, 0, 0, MARK, MARK, 0, 0, 1, 1);
      const light = ctx.getImageData(0, 0, 1, 1).data[0] > 200;
      const at = meta.captureTime ?? now;
      run.firstFrame ??= at;
      if (light && !run.wasLight) run.documentIn = at; // the latest time it came into view
      run.wasLight = light;
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }, true);
  const watch = (now) => {
    const box = document.getElementById("watch-result");
    const verdict = box?.dataset.verdict;
    if (run && !run.verdictAt && verdict && !["ready", "checking"].includes(verdict)) {
      run.verdictAt = now;
      run.verdict = verdict;
    }
    requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
})();
""".replace("MARK", str(MARK))


def camera_video(path: Path) -> Path:
    """Write the MJPEG: the empty table, then the passport on it (corner patches mark which)."""
    rng = random.Random(3)
    page = draw_document(Specimen("TD3", list(make_mrz(PASSPORT)), PASSPORT), rng)
    passport = photograph(page, Shot(rotation=2.0, tilt=0.03, blur=0.5, quality=85), rng, SIZE)
    table = photograph(Image.new("RGBA", (10, 10), (0, 0, 0, 0)), Shot(fill=0.01), rng, SIZE)

    def marked(jpeg: bytes, shade: int) -> bytes:
        image = Image.open(BytesIO(jpeg)).convert("RGB")
        image.paste((shade,) * 3, (0, 0, MARK, MARK))
        out = BytesIO()
        image.save(out, "JPEG", quality=85)
        return out.getvalue()

    path.write_bytes(
        marked(table, EMPTY_SHADE) * (EMPTY_S * FPS)
        + marked(passport, DOCUMENT_SHADE) * (DOCUMENT_S * FPS)
    )
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=6)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(
            Path(tmp), WTF_CSRF_ENABLED=True, VERDICT_RESET_SECONDS=2, PHOTO_DECODE="process"
        )  # the documents' own worker process, at nice 15, as in production
        with app.app_context():
            db.session.add(
                Person(
                    kind="visitor", family_name="de Vries", given_names="Anna Maria",
                    document_type="passport", document_number="XN4F7K2P1",
                    document_issuing_state="NLD", purpose="Ship's agent",
                )
            )  # fmt: skip
            db.session.commit()
        add_user(app, "watch")
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        video = camera_video(Path(tmp) / "camera.mjpeg")
        runs = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *fake_camera_args(video)]
                )
                context = browser.new_context(**SCREENS["tablet"], permissions=["camera"])
                page = context.new_page()
                page.add_init_script(INSTRUMENT)
                login(page, f"http://127.0.0.1:{server.server_port}", "watch")
                for i in range(args.runs):
                    page.wait_for_function(
                        "() => document.getElementById('watch-result').dataset.verdict === 'ready'",
                        timeout=60_000,
                    )
                    page.locator("#id-camera-toggle").click()
                    page.wait_for_function(
                        f"() => window.__idcam.runs[{i}]?.verdictAt", timeout=120_000
                    )
                    runs.append(page.evaluate(f"() => window.__idcam.runs[{i}]"))
                browser.close()
        finally:
            server.shutdown()
            dispose(app)
    print(
        f"{len(runs)} runs, load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    )
    print("| run | verdict | tap -> verdict ms | passport in view -> verdict ms |")
    print("|---:|---|---:|---:|")
    for i, run in enumerate(runs, 1):
        seen = run["verdictAt"] - run["documentIn"] if run["documentIn"] else float("nan")
        print(f"| {i} | {run['verdict']} | {run['verdictAt'] - run['tappedAt']:.0f} | {seen:.0f} |")
    warm = [r["verdictAt"] - r["documentIn"] for r in runs[1:] if r["documentIn"]]
    if warm:
        median, worst = statistics.median(warm), max(warm)
        print(f"\nwarm runs (2-{len(runs)}): median {median:.0f} ms, max {worst:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
