"""The service worker keeps every file the scan page needs: the tablet still scans offline."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import gangway

STATIC = Path(gangway.__file__).parent / "static"
# Files the page names (scripts, module preloads, styles, icons, the decoder in <body> attributes).
REFERENCED = re.compile(r'="(/static/[^"?#]+)"')
# Static ES module imports and re-exports; what a module imports loads with it, offline or not.
IMPORTED = re.compile(r'^(?:import|export)\b[^;"]*?\bfrom\s*"(\.{1,2}/[^"]+)"', re.MULTILINE)


def needed(paths: list[str]) -> set[str]:
    """Return `paths` and every module they import, recursively."""
    found, todo = set(), list(paths)
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found.add(path)
        if path.endswith(".js"):
            source = (STATIC / path.removeprefix("/static/")).read_text(encoding="utf-8")
            folder = posixpath.dirname(path)
            todo += [
                posixpath.normpath(posixpath.join(folder, r)) for r in IMPORTED.findall(source)
            ]
    return found


def test_the_service_worker_keeps_every_file_of_the_scan_page_and_its_imports(client, auth):
    auth.login("watch")
    page = client.get("/watch/").get_data(as_text=True)
    head = client.get("/watch/sw.js").get_data(as_text=True).split("\n", 1)[0]
    kept = set(json.loads(head.removeprefix("const GANGWAY_SW = ").removesuffix(";"))["assets"])
    wanted = needed(REFERENCED.findall(page))
    # The walk follows imports: zxing-exported.js is named by the ponyfill's import only.
    assert {"/static/js/code-reader.js", "/static/vendor/barcode-detector/zxing-exported.js"} <= (
        wanted
    )
    assert wanted - kept == set()
