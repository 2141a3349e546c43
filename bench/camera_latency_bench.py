"""Live camera latency over many badges: badge in view -> verdict painted, in headless Chromium.

Uses the measurement of tests/browser/test_camera_latency.py (fake camera playing an MJPEG in
which five badges come into view in turn, 3 s apart, looped; requestVideoFrameCallback capture
times; the animation frame that paints each verdict), on a live server built like the browser
tests' (SQLite, synchronous=FULL), for --appearances badges in one camera session.
Baseline, measured in the same run on the same page: a keyboard-wedge scan of a badge (code
typed, form submitted), timed from the submit to the verdict painted: the server and render share
that any camera scan pays too.
Usage: .venv/bin/python bench/camera_latency_bench.py [--appearances 30] [--camera-js OTHER.js]
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
    FAMILIES,
    LATENCY_BUDGET_MS,
    camera_video,
    fake_camera_args,
    measure,
    open_camera_page,
    quiet_gc,
)
from tests.conftest import build_app, dispose  # noqa: E402

TYPED_SCAN = """code => {
  const form = document.getElementById("scan-form");
  form.elements.namedItem("code").value = code;
  window.__latency.verdicts = [];
  form.requestSubmit();
  return performance.now();
}"""


def typed_scan(page, code: str) -> float:
    """Submit the code as a keyboard-wedge scanner would, return submit -> verdict painted ms."""
    page.wait_for_function("() => document.getElementById('watch-result').dataset.verdict")
    sent = page.evaluate(TYPED_SCAN, code)
    page.wait_for_function("() => window.__latency.verdicts.length > 0")
    return page.evaluate("() => window.__latency.verdicts[0].at") - sent


def summary(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return (
        f"| {name} | {len(values)} | {statistics.median(values):.0f} | {p95:.0f} "
        f"| {ordered[-1]:.0f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appearances", type=int, default=30)
    parser.add_argument("--typed", type=int, default=10, help="typed-code baseline scans")
    parser.add_argument(
        "--camera-js",
        type=Path,
        help="serve this camera.js instead (to compare with another version)",
    )
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp), WTF_CSRF_ENABLED=True, VERDICT_RESET_SECONDS=2)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}"
        codes = [issue(app, kind="crew", family=family, given="Erik") for family in FAMILIES]
        typed_codes = [issue(app, kind="crew", family=f"TYPED{i}") for i in range(args.typed)]
        video = camera_video(codes, Path(tmp) / "camera.mjpeg")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *fake_camera_args(video)]
                )
                page = open_camera_page(browser, url, app, args.camera_js)
                with quiet_gc():
                    rows = measure(page, args.appearances)
                typed = [typed_scan(page, code) for code in typed_codes]
                browser.close()
        finally:
            server.shutdown()
            dispose(app)
    version = args.camera_js or "gangway/static/js/camera.js"
    read = [r for r in rows if r["latency_ms"] is not None]
    print(
        f"{len(rows)} badges in view with {version}, load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after\n"
    )
    print("| measure | n | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|---:|")
    print(summary("camera: badge in view -> verdict painted", [r["latency_ms"] for r in read]))
    if reads := [r["read_ms"] for r in read if r["read_ms"] is not None]:
        print(summary("  of which: in view -> code read (camera.js)", reads))
    print(summary("  bound: last empty frame -> verdict", [r["bound_ms"] for r in read]))
    print(summary("baseline: typed code, submit -> verdict painted", typed))
    over = [r["latency_ms"] for r in read if r["latency_ms"] >= LATENCY_BUDGET_MS]
    print(
        f"\n{len(read)}/{len(rows)} badges read; {len(over)} over {LATENCY_BUDGET_MS} ms: {over}; "
        f"verdicts: {', '.join(sorted({str(r['verdict']) for r in rows}))}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
