"""Scanner burst to CHECKING and to verdict on the scan page, in headless Chromium.

A keyboard-wedge scanner's burst (the badge code typed key by key, then Enter) is sent to the
watch's scan page on a live server built like the browser tests' (SQLite, CSRF on). The page
notes, with a capture listener, when the Enter key went down, and on every animation frame what
#watch-result shows: the frame that first paints CHECKING and the frame that first paints the
verdict. The baseline, measured in the same run on the same page, is Enter to the next animation
frame with nothing to do (a focused empty text box and a key that changes nothing): what any
page needs to show anything after a key.

    .venv/bin/python bench/scan_page_bench.py [--scans 30] [--focus leaving]

Where the focus is does not matter to a scanner; `--focus leaving` taps the "Leaving" button
before each burst (the focus stays on it) to show it.
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, add_user, issue, login  # noqa: E402
from tests.conftest import build_app, dispose  # noqa: E402

NOTE_FRAMES = """
(() => {
  const record = (window.__scan = { enter: null, checking: null, verdict: null, frame: null });
  const reset = (at) => {
    Object.assign(record, { enter: at, checking: null, verdict: null, frame: null });
  };
  window.addEventListener("keydown", (e) => {
    if (e.key === (window.__scanKey || "Enter")) reset(e.timeStamp);
  }, true);
  const onFrame = (now) => {
    const state = document.getElementById("watch-result")?.dataset.verdict;
    if (record.enter !== null) {
      if (record.frame === null) record.frame = now;
      if (state === "checking" && record.checking === null) record.checking = now;
      const final = state && state !== "checking" && state !== "ready";
      if (final && record.checking !== null && record.verdict === null) record.verdict = now;
    }
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
})();
"""
SETTLED = (
    "() => ['ready', 'allowed'].includes(document.getElementById('watch-result').dataset.verdict)"
)


def summary(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return (
        f"| {name} | {len(values)} | {statistics.median(values):.0f} | {p95:.0f} "
        f"| {ordered[-1]:.0f} |"
    )


def one_scan(page, code: str, focus: str | None) -> dict:
    """Type one burst and Enter; return Enter -> CHECKING and -> verdict painted, in ms."""
    page.wait_for_function(SETTLED)
    if focus == "leaving":
        page.locator("label.dir-depart").click()
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.__scan.verdict !== null")
    record = page.evaluate("() => window.__scan")
    return {
        "checking": record["checking"] - record["enter"],
        "verdict": record["verdict"] - record["enter"],
    }


def baseline_frame(page) -> float:
    """Return a key -> the next animation frame, with nothing for the page to do (Shift)."""
    page.evaluate("() => { window.__scanKey = 'Shift'; window.__scan.enter = null; }")
    page.keyboard.press("Shift")
    page.wait_for_function("() => window.__scan.frame !== null")
    record = page.evaluate("() => window.__scan")
    return record["frame"] - record["enter"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=30)
    parser.add_argument("--focus", choices=["code", "leaving"], default="code")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp), WTF_CSRF_ENABLED=True, VERDICT_RESET_SECONDS=60)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}"
        codes = [issue(app, kind="crew", family=f"CREW{i}") for i in range(args.scans)]
        add_user(app, "watch")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_context(viewport={"width": 768, "height": 1024}).new_page()
                page.add_init_script(NOTE_FRAMES)  # before scanner.js, which stops the Enter
                login(page, url, "watch")
                rows = [one_scan(page, code, args.focus) for code in codes]
                frames = [baseline_frame(page) for _ in range(args.scans)]
                browser.close()
        finally:
            server.shutdown()
            dispose(app)
    print(
        f"{len(rows)} scanner bursts (focus: {args.focus}), load average {load_before:.1f} "
        f"before, {os.getloadavg()[0]:.1f} after\n"
    )
    print("| measure | n | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|---:|")
    print(summary("Enter -> CHECKING painted", [r["checking"] for r in rows]))
    print(summary("Enter -> verdict painted", [r["verdict"] for r in rows]))
    print(summary("baseline: Enter -> next frame, nothing to do", frames))
    return 0


if __name__ == "__main__":
    sys.exit(main())
