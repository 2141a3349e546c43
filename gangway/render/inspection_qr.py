"""The QR of an inspection link, as a data: URI the SSO's page shows (nothing is stored)."""

from __future__ import annotations

import base64
import io

from gangway.render.badge_images import qr_image


def qr_data_uri(text: str) -> str:
    """Return a PNG QR symbol of `text` as a data: URI (the page's CSP allows data: images)."""
    buffer = io.BytesIO()
    qr_image(text, box_size=6).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
