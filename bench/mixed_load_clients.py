"""The office's loads of the mixed load benchmark, each run back to back by one SSO client.

Every load uses the app's own URLs: the HTML downloads with a cookie session opened through the
real login form (CSRF token included), the list import and the photo scan with bearer tokens.
Long downloads follow the protocol of issue 14: `200` with the file at once (today), or `202
Accepted` with `Location` and `Retry-After`, then the Location is polled (waiting Retry-After, at
most 1 s) until `200` with the file. An import may answer `202` with the `Location` of a status
(JSON), polled until it no longer says it is queued or running.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

import requests
from mixed_load_data import PASSWORD, passenger_csv

PENDING = {"queued", "pending", "running", "started", "working", "waiting"}
FAILED = {"failed", "error"}
ROWS = 5000  # passengers per imported list
CARDS = 50  # crew cards on one A4 sheet request
TIMEOUT = 600


class LoadError(Exception):
    """A load operation got an answer it should not have."""


def sso_session(base: str) -> requests.Session:
    """Log the SSO in through the login form, CSRF token included; return the cookie session."""
    http = requests.Session()
    page = http.get(f"{base}/login", timeout=TIMEOUT).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    form = {"username": "sso", "password": PASSWORD, "csrf_token": token and token.group(1)}
    answer = http.post(f"{base}/login", data=form, allow_redirects=False, timeout=TIMEOUT)
    if answer.status_code != 302:
        raise LoadError(f"login answered {answer.status_code}")
    return http


def _wait(answer: requests.Response) -> None:
    try:
        time.sleep(min(float(answer.headers.get("Retry-After", "1")), 1.0))
    except ValueError:
        time.sleep(1.0)


def download(http: requests.Session, url: str) -> int:
    """GET a long download, following 202 + Location until 200; return the file's size."""
    answer = http.get(url, timeout=TIMEOUT, allow_redirects=False)
    while answer.status_code == 202:
        url = urljoin(url, answer.headers.get("Location", url))
        _wait(answer)
        answer = http.get(url, timeout=TIMEOUT, allow_redirects=False)
    if answer.status_code != 200:
        raise LoadError(f"GET {url} answered {answer.status_code}")
    return len(answer.content)


def _state(answer: requests.Response) -> str:
    """Return the state (or status) a JSON answer gives, lower case, or ""."""
    try:
        body = answer.json()
    except ValueError:
        return ""
    state = body.get("state", body.get("status")) if isinstance(body, dict) else None
    return state.lower() if isinstance(state, str) else ""


def _still_running(answer: requests.Response) -> bool:
    return answer.status_code == 202 or _state(answer) in PENDING


def import_list(http: requests.Session, url: str, data: bytes) -> int:
    """POST a list; if it answers 202, poll the status at Location until done; return status."""
    answer = http.post(url, data=data, headers={"Content-Type": "text/csv"}, timeout=TIMEOUT)
    if answer.status_code == 202:
        status_url = urljoin(url, answer.headers["Location"])
        while True:
            _wait(answer)
            answer = http.get(status_url, timeout=TIMEOUT, headers={"Accept": "application/json"})
            if not _still_running(answer):
                break
    if answer.status_code >= 400 or _state(answer) in FAILED:
        raise LoadError(f"import answered {answer.status_code}: {answer.text[:200]}")
    return answer.status_code


def import_on_pages(http: requests.Session, base: str, data: bytes) -> int:
    """Check a list on the SSO's page, wait for the check, confirm it, wait for the list page."""
    lists = f"{base}/sso/lists/passengers"
    token = re.search(r'name="csrf_token" value="([^"]+)"', http.get(lists, timeout=TIMEOUT).text)
    form = {"csrf_token": token.group(1)}
    files = {"file": ("passengers.csv", data, "text/csv")}
    page = http.post(f"{lists}/preview", data=form, files=files, timeout=TIMEOUT)
    while (check := re.search(r'name="check" value="(\d+)"', page.text)) is None:
        if "Checking the list" not in page.text:
            raise LoadError(f"check answered {page.status_code}: {page.text[-300:]}")
        time.sleep(1.0)  # what the page's htmx poll waits
        page = http.get(page.url, timeout=TIMEOUT)
    page = http.post(f"{lists}/import", data={**form, "check": check.group(1)}, timeout=TIMEOUT)
    while "List imported" not in page.text:
        if "Importing the list" not in page.text:
            raise LoadError(f"import answered {page.status_code}: {page.text[-300:]}")
        time.sleep(1.0)
        page = http.get(page.url, timeout=TIMEOUT)
    return page.status_code


def bearer(token: str) -> requests.Session:
    """Return an HTTP session sending a bearer token."""
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    return http


def make_load(name: str, base: str, facts: dict, folder: Path):
    """Return (one operation, pace in seconds or 0 for back to back) for the load named."""
    call = facts["closed_call"]
    if name in ("report-pdf", "report-html", "report-csv", "pfso-csv", "card-sheet"):
        http = sso_session(base)
        ids = ",".join(str(i) for i in facts["badge_ids"][:CARDS])
        url = {
            "report-pdf": f"/reports/port-calls/{call}.pdf",
            "report-html": f"/reports/port-calls/{call}",
            "report-csv": f"/reports/port-calls/{call}.csv.zip",
            "pfso-csv": f"/pfso/log.csv?port_call={call}",
            "card-sheet": f"/sso/badges/sheet.pdf?ids={ids}",
        }[name]
        return (lambda i: download(http, base + url)), 0.0
    if name == "import":
        http = bearer(facts["sso_token"])
        url = f"{base}/api/v1/imports/passengers"
        return (lambda i: import_list(http, url, passenger_csv(i, ROWS))), 0.0
    if name == "import-page":
        http = sso_session(base)
        return (lambda i: import_on_pages(http, base, passenger_csv(1000 + i, ROWS))), 0.0
    if name == "photo":
        return _photo(base, facts, folder), 1.0
    if name == "backup":
        return _backup(folder), 0.0
    raise SystemExit(f"unknown load {name!r}")


def _photo(base: str, facts: dict, folder: Path):
    http = bearer(facts["token"])
    photos = [(folder / p).read_bytes() for p in facts["photos"]]

    def scan(i: int) -> int:
        fields = {"access_point": "GW", "direction": ("board", "depart")[i % 2]}
        files = {"image": ("photo.jpg", photos[i % len(photos)], "image/jpeg")}
        answer = http.post(f"{base}/api/v1/scans/image", data=fields, files=files, timeout=60)
        if answer.status_code != 201:
            raise LoadError(f"photo scan answered {answer.status_code}: {answer.text[:200]}")
        return answer.status_code

    return scan


def _backup(folder: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GANGWAY_")}
    env["GANGWAY_INSTANCE_PATH"] = str(folder)
    target = folder / "backup.sqlite"
    cmd = [sys.executable, "-c", "from gangway.cli import main; main()", "backup", str(target)]

    def backup(i: int) -> int:
        done = subprocess.run([*cmd, "--force"], env=env, capture_output=True, cwd=REPO)
        if done.returncode:
            raise LoadError(f"gangway backup failed: {done.stderr.decode()[-300:]}")
        return 0

    return backup


REPO = Path(__file__).resolve().parents[1]
