"""Small request-to-service glue shared by the HTML views and the JSON API."""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

from gangway import keys
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services.offline.late_scans import Caller, Device, caller_device
from gangway.services.scan.pass_rules import pass_rules


def scan_context() -> dict:
    """Return who scans, when, from where, and the keys that verify badges (service arguments)."""
    return {
        "user": current_user,
        "now": utcnow(),
        "public_keys": keys.public_keys(),
        "caller": Caller(_bearer()),
        "passes": pass_rules(current_app.config),
    }


def caller_device_now() -> Device:
    """Return the device sending the request (a token costs a query)."""
    return caller_device(db.session, current_user.id, _bearer())


def _bearer() -> str | None:
    """Return the API token the request carries, as auth.py reads it (None: a browser session)."""
    header = request.headers.get("Authorization", "")
    by_token = header.startswith("Bearer ") and request.path.startswith("/api/")  # as auth.py
    return header.removeprefix("Bearer ").strip() if by_token else None


def upload_limits() -> dict:
    """Return the configured upload limits for photo scans."""
    cfg = current_app.config
    return {"max_bytes": cfg["MAX_UPLOAD_BYTES"], "max_pixels": cfg["MAX_IMAGE_PIXELS"]}


def photo_pool_timeout() -> float | None:
    """Return the photo decode's timeout in its process pool (None: decode in the request,
    PHOTO_DECODE = "inline", the default under TESTING)."""
    cfg = current_app.config
    mode = cfg.get("PHOTO_DECODE") or ("inline" if current_app.testing else "process")
    return None if mode == "inline" else float(cfg.get("PHOTO_DECODE_TIMEOUT", 10))


def signing() -> dict:
    """Return the signing key arguments for services that issue badges."""
    return {"private_key": keys.signing_key(), "key_id": keys.KEY_ID}


def follow_up_fields(form) -> dict:
    """Read the watch's answers to a waiting check: purpose, escort, search, override."""
    escort_id = form.get("escort_person_id", "")
    return {
        "escort": form.get("escort") if (form.get("escort") or "").strip() else None,
        "escort_person_id": int(escort_id) if escort_id.isdigit() and len(escort_id) < 10 else None,
        "escort_declined": form.get("escort_declined") == "1",
        "purpose_declined": form.get("purpose_declined") == "1",
        "search": form.get("search") or None,
        "override_reason": (form.get("override_reason") or "").strip() or None,
    }
