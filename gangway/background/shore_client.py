"""The shore's two endpoints over HTTPS, as the sender calls them (protocol v1).

The standard library's client: certificates are checked against the system's CAs (or
SSL_CERT_FILE), and nothing here keeps a connection open between rounds.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from gangway.services.shore_link.settings import Link

TIMEOUT = 120  # seconds per request: 500 entries take ~10 s at 64 kbit/s


class ShoreError(Exception):
    """The shore could not be reached, or answered something other than what was asked."""

    def __init__(self, message: str, status: int | None = None, body: dict | None = None):
        super().__init__(message)
        self.message, self.status, self.body = message, status, body or {}


def request_shore(
    link: Link, method: str, path: str, body: bytes | None = None, headers: dict | None = None
) -> dict:
    """Send one request to the shore; return its JSON answer or raise ShoreError."""
    sent = {"Authorization": f"Bearer {link.token}", "Accept": "application/json"}
    if body is not None:  # a batch, unless the caller says what the body is (a photo)
        sent |= headers or {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    headers = sent
    request = urllib.request.Request(link.url + path, body, headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            raw, status = response.read(), response.status
    except urllib.error.HTTPError as exc:
        with exc:
            answer = _json(exc.read())
        why = answer.get("message") or answer.get("error") or exc.reason
        raise ShoreError(f"The shore answered {exc.code}: {why}", exc.code, answer) from None
    except (OSError, ValueError) as exc:  # refused, unreachable, timed out, TLS
        raise ShoreError(f"The shore could not be reached: {exc}") from None
    answer = _json(raw)
    if not answer:  # a port's Wi-Fi login page, a proxy's error: not the shore
        raise ShoreError(f"The answer ({status}) is not the shore's JSON.", status)
    return answer


def _json(raw: bytes) -> dict:
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
