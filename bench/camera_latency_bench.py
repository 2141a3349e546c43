"""Live camera latency over several runs: badge in view -> verdict painted, in headless Chromium.

Uses the measurement of tests/browser/test_camera_latency.py (fake camera playing an MJPEG of an
empty scene then a badge; requestVideoFrameCallback capture times; the animation frame that paints
the verdict), on a live server built like the browser tests' (SQLite, synchronous=FULL).
Baseline, measured in the same run on the same page: a keyboard-wedge scan of the same badge
(code typed, form submitted), timed from the submit to the verdict painted: the server and render
share that any camera scan pays too.
Usage: .venv/bin/python bench/camera_latency_bench.py [--runs 10] [--camera-js OTHER.js]
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import statistics
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, issue  # noqa: E402
from tests.browser.test_camera_latency import (  # noqa: E402
    camera_video,
    fake_camera_args,
    measure,
    open_camera_page,
)
from tests.conftest import build_app, dispose  # noqa: E402

TYPED_SCAN = """code => {
  const form = document.getElementById("scan-form");
  form.elements.namedItem("code").value = code;
  window.__latency.onAt = performance.now();  // arms the verdict watcher
  form.requestSubmit();
  return window.__latency.onAt;
}"""


def typed_scan(page, code: str) -> float:
    """Reload, submit the code as a keyboard-wedge scanner would, return submit -> verdict ms."""
    page.reload()
    page.locator("#scan-form").wait_for()
    sent = page.evaluate(TYPED_SCAN, code)
    page.wait_for_function("() => window.__latency.verdictAt !== null")
    return page.evaluate("() => window.__latency.verdictAt") - sent


def summary(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return (
        f"| {name} | {len(values)} | {statistics.median(values):.0f} | {p95:.0f} "
        f"| {ordered[-1]:.0f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--camera-js",
        type=Path,
        help="serve this camera.js instead (to compare with another version)",
    )
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp), WTF_CSRF_ENABLED=True, VERDICT_RESET_SECONDS=2)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}"
        code = issue(app, kind="crew", family="HANSEN", given="Erik")
        video = camera_video(code, Path(tmp) / "camera.mjpeg")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *fake_camera_args(video)]
                )
                page = open_camera_page(browser, url, app, args.camera_js)
                results = measure(page, runs=args.runs, tries=args.runs * 2)
                typed = [typed_scan(page, code) for _ in range(args.runs)]
                browser.close()
        finally:
            server.shutdown()
            dispose(app)
    version = args.camera_js or "gangway/static/js/camera.js"
    print(f"{args.runs} runs of {version}, load average {os.getloadavg()[0]:.1f}\n")
    print("| measure | runs | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|---:|")
    print(summary("camera: badge in view -> verdict painted", [r["latency_ms"] for r in results]))
    if reads := [r["read_ms"] for r in results if r["read_ms"] is not None]:
        print(summary("  of which: in view -> code read (camera.js)", reads))
    print(summary("  bound: last empty frame -> verdict", [r["bound_ms"] for r in results]))
    print(summary("baseline: typed code, submit -> verdict painted", typed))
    verdicts = sorted({r["verdict"] for r in results})
    print(f"\nverdicts: {', '.join(verdicts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
