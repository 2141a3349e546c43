"""A badge's card file (PDF or PNG) as sent to the SSO's page and the API: sealed with a key
derived from the instance's secret, checked or drawn anew, never another badge's file."""

from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path

from flask import current_app, send_file

from gangway.db.models import Badge
from gangway.extensions import db
from gangway.services.people.cards import card_files


def card_mac_key() -> bytes:
    """Return the key that seals this instance's card files (derived from its secret key)."""
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hashlib.sha256(b"gangway-card-seal\0" + secret).digest()


def card_response(badge_id: int, fmt: str):
    """Send a badge's card as PDF or PNG, checked or drawn anew (never another badge's file)."""
    badge = db.get_or_404(Badge, badge_id)
    badges_dir, instance = Path(current_app.config["BADGES_DIR"]), Path(current_app.instance_path)
    pdf, png = card_files(db.session, badge, badges_dir, instance, card_mac_key())
    data = pdf if fmt == "pdf" else png
    mimetype = "application/pdf" if fmt == "pdf" else "image/png"
    return send_file(BytesIO(data), mimetype=mimetype, download_name=f"badge-{badge_id}.{fmt}")
