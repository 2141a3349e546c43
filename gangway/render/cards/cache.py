"""Card files under BADGES_DIR/cards, served only when they are this badge's card as it is now.

The folder may be shared: two instances on one host, a backup restored beside a newer one, a
copy brought from another ship. So a card is named by the SHA-256 of its badge's signed code,
never by the badge id alone (ids repeat across databases; a signed code does not), and a seal
beside it records the SHA-256 of what the card shows (every field and the photo) and of each
file's bytes, under an HMAC keyed by this instance's secret. A card whose seal is missing, made
by another instance or for other data, or whose bytes differ from it, is drawn again and
written over; what is served is always bytes just checked or just drawn.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, fields
from pathlib import Path

from gangway.db.atomic_files import write_atomically

SEAL_VERSION = 1


@dataclass(frozen=True)
class CardFiles:
    """Where one badge's card lies: the PDF, the PNG and the seal that vouches for both."""

    pdf: Path
    png: Path
    seal: Path


def code_sha256(code: str) -> str:
    """Return the SHA-256 hex of a badge's signed code: the name its card is filed under."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def card_files(badges_dir: Path, badge_id: int, code: str) -> CardFiles:
    """Return the paths of a badge's card under `badges_dir`/cards, keyed by its signed code."""
    stem = Path(badges_dir) / "cards" / f"badge-{badge_id:06d}-{code_sha256(code)}"
    return CardFiles(stem.with_suffix(".pdf"), stem.with_suffix(".png"), stem.with_suffix(".seal"))


def card_sha256(card) -> str:
    """Return the SHA-256 of everything a card shows (fields and photo), in one fixed form."""
    shown = {}
    for field in fields(card):
        value = getattr(card, field.name)
        if field.name == "photo":
            value = hashlib.sha256(value).hexdigest() if value is not None else None
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        shown[field.name] = value
    text = json.dumps(shown, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def read_sealed(files: CardFiles, card, mac_key: bytes) -> tuple[bytes, bytes] | None:
    """Return the (pdf, png) bytes if the seal is ours and both files are this card; else None."""
    try:
        seal = json.loads(files.seal.read_bytes())
        pdf, png = files.pdf.read_bytes(), files.png.read_bytes()
    except (OSError, ValueError):  # missing, unreadable or not JSON: not vouched for
        return None
    expected = _seal(card, pdf, png, mac_key)
    if not isinstance(seal, dict) or not hmac.compare_digest(
        str(seal.get("mac", "")), expected["mac"]
    ):
        return None
    return pdf, png


def write_sealed(files: CardFiles, card, pdf: bytes, png: bytes, mac_key: bytes) -> None:
    """Write both files and then their seal, each atomically (a reader sees old or new, whole)."""
    files.pdf.parent.mkdir(parents=True, exist_ok=True)
    # 0644: the web server and the printer spool read the cards.
    write_atomically(files.pdf, pdf, mode=0o644)
    write_atomically(files.png, png, mode=0o644)
    seal = json.dumps(_seal(card, pdf, png, mac_key), sort_keys=True, indent=1)
    write_atomically(files.seal, seal.encode("ascii"), mode=0o644)


def _seal(card, pdf: bytes, png: bytes, mac_key: bytes) -> dict:
    """Return the seal of a card's files: what it shows, the bytes' hashes, and their HMAC."""
    body = {
        "version": SEAL_VERSION,
        "badge_id": card.badge_id,
        "code_sha256": code_sha256(card.code),
        "card_sha256": card_sha256(card),
        "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
        "png_sha256": hashlib.sha256(png).hexdigest(),
    }
    message = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("ascii")
    return {**body, "mac": hmac.new(mac_key, message, hashlib.sha256).hexdigest()}
