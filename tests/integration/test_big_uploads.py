"""Over-size bodies get a 413 with a message through the real server, not a connection reset."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_only  # its own SQLite database (or none), whatever the test one

PASSWORD = "correct horse battery"
ROOT = Path(__file__).resolve().parents[2]
BIG = 50 * 1024 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`gangway serve` (granian, one worker) on a fresh instance; yields its port."""
    folder = tmp_path_factory.mktemp("served")
    env = {**os.environ, "GANGWAY_INSTANCE_PATH": str(folder), "GANGWAY_BADGES_DIR": str(folder)}
    env.pop("GANGWAY_TEST_DATABASE_URL", None)
    cli = [sys.executable, "-c", "from gangway.cli import main; main()"]

    def run(*args, stdin=""):
        done = subprocess.run(
            [*cli, *args],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            input=stdin,
            text=True,
        )
        return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""

    run("init-db")
    run("create-user", "watch", "--role", "watch", "--password-stdin", stdin=PASSWORD + "\n")
    token = run("create-token", "watch")
    port = free_port()
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    log_path = folder / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen([*cli, *args], env=env, cwd=ROOT, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, "server did not answer within 30 s"
                time.sleep(0.2)
        yield port, token
    finally:
        server.terminate()
        server.wait(timeout=20)


def post_big(port: int, path: str, headers: dict) -> tuple[int, str]:
    """POST a 50 MB multipart body; return the answer's status and text."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    boundary = "gangwayboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="big.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    body = head + b"\xff" * BIG + f"\r\n--{boundary}--\r\n".encode()
    content_type = f"multipart/form-data; boundary={boundary}"
    try:
        connection.request(
            "POST", path, body=body, headers={"Content-Type": content_type, **headers}
        )
        answer = connection.getresponse()
        return answer.status, answer.read().decode()
    finally:
        connection.close()


def test_a_50_mb_upload_to_the_api_gets_a_413_with_a_message(served):
    port, token = served
    status, text = post_big(port, "/api/v1/scans/image", {"Authorization": f"Bearer {token}"})
    assert status == 413
    assert '"error":"too_large"' in text
    assert "The upload is too large" in text


def test_a_50_mb_body_no_one_reads_gets_its_answer_not_a_reset(served):
    # Not a form nor JSON: refused (401) before anything reads it, then read and dropped.
    headers = {"Authorization": "Bearer gw_x", "Content-Type": "application/octet-stream"}
    status, _ = post_big(served[0], "/api/v1/scans/image", headers)
    assert status == 401


def test_a_50_mb_body_to_a_page_gets_a_413_page(served):
    status, text = post_big(served[0], "/login", {})  # a page that reads its form
    assert status == 413
    assert "The upload is too large" in text
