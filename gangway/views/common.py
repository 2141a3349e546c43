"""Small request-to-service glue shared by the HTML views and the JSON API."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user

from .. import keys
from ..dbtypes import utcnow


def scan_context() -> dict:
    """Return who scans, when, and the keys that verify badges (service keyword arguments)."""
    return {"user": current_user, "now": utcnow(), "public_keys": keys.public_keys()}


def upload_limits() -> dict:
    """Return the configured upload limits for photo scans."""
    cfg = current_app.config
    return {"max_bytes": cfg["MAX_UPLOAD_BYTES"], "max_pixels": cfg["MAX_IMAGE_PIXELS"]}


def signing() -> dict:
    """Return the signing key arguments for services that issue badges."""
    return {"private_key": keys.signing_key(), "key_id": keys.KEY_ID}
