"""`gangway serve` starts the production server (granian), with a self-signed certificate."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography import x509

from gangway.cli.serve import self_signed_certificate

pytestmark = pytest.mark.sqlite_only  # its own SQLite database (or none), whatever the test one

GANGWAY = str(Path(sys.executable).parent / "gangway")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_self_signed_certificate_names_localhost_and_is_made_once(tmp_path):
    cert_path, key_path = self_signed_certificate(tmp_path / "tls")
    cert = x509.load_pem_x509_certificate(Path(cert_path).read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert Path(key_path).stat().st_mode & 0o777 == 0o600
    before = Path(cert_path).read_bytes()
    assert self_signed_certificate(tmp_path / "tls") == (cert_path, key_path)
    assert Path(cert_path).read_bytes() == before


def get_login_page(port: int, cert: Path) -> str:
    context = ssl.create_default_context(cafile=str(cert))
    context.check_hostname = (
        False  # the certificate names this host and localhost, not 127.0.0.1's PTR
    )
    with urllib.request.urlopen(f"https://127.0.0.1:{port}/login", context=context) as response:
        assert response.headers["X-Frame-Options"] == "DENY"
        return response.read().decode()


def test_serve_answers_over_https_with_granian(tmp_path):
    env = {
        **os.environ,
        "GANGWAY_INSTANCE_PATH": str(tmp_path),
        "GANGWAY_BADGES_DIR": str(tmp_path / "b"),
    }
    env.pop("GANGWAY_TEST_DATABASE_URL", None)
    subprocess.run([GANGWAY, "init-db"], env=env, check=True, capture_output=True)
    port = free_port()
    args = [
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--tls-self-signed",
    ]
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log_file:  # a file, read while the server runs
        server = subprocess.Popen([GANGWAY, *args], env=env, stdout=log_file, stderr=log_file)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                body = get_login_page(port, tmp_path / "tls" / "cert.pem")
                break
            except OSError:  # not listening yet (or the certificate not written yet)
                assert server.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, "server did not answer within 30 s"
                time.sleep(0.2)
        assert "Log in" in body
        # The access log names each request; its line is written just after the answer.
        while '"GET /login' not in log_path.read_text() and time.monotonic() < deadline + 10:
            time.sleep(0.1)
        assert '"GET /login' in log_path.read_text()
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert "Starting granian" in log_path.read_text()
