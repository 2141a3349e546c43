"""Badge codes: what is printed in the QR, signed by the ship with Ed25519.

ISPS Code B/9.11 asks for an identification system with permanent and temporary IDs; a signature
makes a photocopied card with another number, or any edited character, fail verification. The
public key alone verifies, so a tablet can check badges offline.

Text layout: ``GW1:`` + RFC 4648 base32 (no padding) of
``key_id:u8 | badge_id:u32 | valid_from:u32 | valid_until:u32 | signature:64``, times in Unix
seconds. Base32 in capitals keeps QR alphanumeric mode (a small symbol).

One spelling verifies: exactly the printed text, ``GW1:`` and 124 characters of ``A-Z2-7``, with
nothing taken off but ASCII space, Tab, CR and LF at either end (what scanners add). Any other
spelling (letter case, Unicode spaces, invisible characters, look-alikes that fold to ASCII) is
refused as altered (``forged``): one badge, one text, as the log and reports show it.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
import unicodedata
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gangway.domain.scan import reasons
from gangway.domain.scan.types import BadgeClaims, Reason

PREFIX = "GW1:"
MAX_CODE_LENGTH = 512  # any scanner text above this is junk, not a badge
_BODY = struct.Struct(">BIII")
_SIG_LEN = 64
_TEXT_LEN = -(-(_BODY.size + _SIG_LEN) * 8 // 5)  # base32 characters without padding
_CONTEXT = b"gangway-badge-v1"  # domain separation: this key signs nothing else
_LOOKS_OURS = re.compile(r"^GW\d+:", re.IGNORECASE)
SCANNER_ENDS = " \t\r\n"  # the only characters taken off, and only at the ends
_SPELLING = re.compile(rf"{PREFIX}[A-Z2-7]{{{_TEXT_LEN}}}")
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})  # controls, zero-width, spaces


class InvalidBadge(ValueError):
    """Raised when a text cannot be read as a trustworthy badge; carries the reason."""

    def __init__(self, reason: Reason):
        super().__init__(reason.message)
        self.reason = reason


def encode_badge(claims: BadgeClaims, private_key: Ed25519PrivateKey) -> str:
    """Sign the claims and return the text to print in the QR code."""
    body = _BODY.pack(
        claims.key_id,
        claims.badge_id,
        int(claims.valid_from.timestamp()),
        int(claims.valid_until.timestamp()),
    )
    signature = private_key.sign(_CONTEXT + body)
    return PREFIX + base64.b32encode(body + signature).decode("ascii").rstrip("=")


def scanned_text(text: str) -> str:
    """Return a scanned text without what scanners add at its ends (ASCII space, Tab, CR, LF)."""
    return text.strip(SCANNER_ENDS)


def is_badge_text(text: str) -> bool:
    """Tell whether a scanned text claims to be one of our badges (any version, any spelling)."""
    if _LOOKS_OURS.match(scanned_text(text)):
        return True  # the usual case, without the Unicode folding below
    return bool(_LOOKS_OURS.match(_loose(text[: MAX_CODE_LENGTH * 2])))


def verify_badge(text: str, public_keys: dict[int, Ed25519PublicKey]) -> BadgeClaims:
    """Return the claims of a genuine badge text.

    :raises InvalidBadge: malformed text, unknown signing key, or a signature that does not match.
    """
    raw = _decode_body(text)
    body, signature = raw[: _BODY.size], raw[_BODY.size :]
    key_id, badge_id, valid_from, valid_until = _BODY.unpack(body)
    key = public_keys.get(key_id)
    if key is None:
        raise InvalidBadge(reasons.FORGED)
    try:
        key.verify(signature, _CONTEXT + body)
    except InvalidSignature:
        raise InvalidBadge(reasons.FORGED) from None
    return BadgeClaims(
        badge_id=badge_id,
        valid_from=datetime.fromtimestamp(valid_from, UTC),
        valid_until=datetime.fromtimestamp(valid_until, UTC),
        key_id=key_id,
    )


def _decode_body(text: str) -> bytes:
    """Turn badge text into its signed bytes, or raise InvalidBadge (malformed or forged)."""
    text = scanned_text(text)
    if len(text) > MAX_CODE_LENGTH:
        raise InvalidBadge(reasons.MALFORMED_CODE)
    if not _SPELLING.fullmatch(text):
        # A badge's shape in another spelling, or an edited character: altered, not misread.
        raise InvalidBadge(reasons.FORGED if _badge_shaped(text) else reasons.MALFORMED_CODE)
    b32 = text[len(PREFIX) :]
    try:
        raw = base64.b32decode(b32 + "=" * (-len(b32) % 8))
    except (binascii.Error, ValueError):
        raise InvalidBadge(reasons.FORGED) from None
    if base64.b32encode(raw).decode("ascii").rstrip("=") != b32:
        raise InvalidBadge(reasons.FORGED)  # non-canonical trailing bits would dodge the signature
    return raw


def _badge_shaped(text: str) -> bool:
    """Tell whether a text not in the one spelling is a badge's length, as typed or read loosely."""
    full = len(PREFIX) + _TEXT_LEN
    if len(text) == full and text[: len(PREFIX)].upper() == PREFIX:
        return True
    loose = _loose(text)
    return len(loose) == full and loose.startswith(PREFIX)


def _loose(text: str) -> str:
    """Return the text as a lenient reader would: NFKC case-folded, upper case, no spaces or
    invisibles (so "ß", "ẞ", "ſ", "ı", "ﬁ", full-width and other look-alikes read as ASCII)."""
    compatible = unicodedata.normalize("NFKC", text)
    folded = unicodedata.normalize("NFKC", compatible.casefold()).upper()
    return "".join(c for c in folded if unicodedata.category(c) not in _INVISIBLE)
