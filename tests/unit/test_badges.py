"""Badge codes: signed, short, read in exactly one spelling, intolerant of any edit."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from gangway.domain.codes.badges import InvalidBadge, encode_badge, is_badge_text, verify_badge
from gangway.domain.scan.types import BadgeClaims

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
KEYS = {1: KEY.public_key()}
CLAIMS = BadgeClaims(
    badge_id=4242,
    valid_from=datetime(2026, 1, 1, tzinfo=UTC),
    valid_until=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=3),
)
CODE = encode_badge(CLAIMS, KEY)
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def test_signed_badge_verifies_back_to_its_claims():
    assert verify_badge(CODE, KEYS) == CLAIMS


def test_badge_text_fits_qr_alphanumeric_mode_and_a_small_symbol():
    assert CODE.startswith("GW1:")
    assert set(CODE) <= set(ALPHABET + "GW1:")
    assert len(CODE) <= 130


def test_spaces_tabs_and_line_ends_a_scanner_adds_around_the_badge_are_taken_off():
    assert verify_badge("  " + CODE + "\r\n", KEYS) == CLAIMS
    assert verify_badge("\t" + CODE + "\n", KEYS) == CLAIMS


def test_a_badge_in_lower_case_is_refused_as_altered():
    with pytest.raises(InvalidBadge) as caught:
        verify_badge(CODE.lower(), KEYS)
    assert caught.value.reason.code == "forged"


@pytest.mark.parametrize("position", range(4, 128, 5))
def test_any_edited_character_is_refused_as_forged(position):
    original = CODE[position]
    replacement = next(c for c in ALPHABET if c != original)
    edited = CODE[:position] + replacement + CODE[position + 1 :]
    with pytest.raises(InvalidBadge) as caught:
        verify_badge(edited, KEYS)
    assert caught.value.reason.code == "forged"


def test_photocopied_layout_with_another_badge_number_is_refused_as_forged():
    raw = bytearray(base64.b32decode(CODE[4:] + "=" * (-len(CODE[4:]) % 8)))
    raw[1:5] = (4243).to_bytes(4, "big")  # same signature, different badge number
    forged = "GW1:" + base64.b32encode(bytes(raw)).decode().rstrip("=")
    with pytest.raises(InvalidBadge) as caught:
        verify_badge(forged, KEYS)
    assert caught.value.reason.code == "forged"


def test_badge_signed_by_another_ship_is_refused_as_forged():
    other = encode_badge(CLAIMS, Ed25519PrivateKey.generate())
    with pytest.raises(InvalidBadge) as caught:
        verify_badge(other, KEYS)
    assert caught.value.reason.code == "forged"


def test_badge_with_an_unknown_key_id_is_refused_as_forged():
    code = encode_badge(BadgeClaims(1, CLAIMS.valid_from, CLAIMS.valid_until, key_id=9), KEY)
    with pytest.raises(InvalidBadge) as caught:
        verify_badge(code, KEYS)
    assert caught.value.reason.code == "forged"


@pytest.mark.parametrize(
    "text", ["GW1:", "GW1:ABC", CODE + "A", CODE[:-1], "GW1:" + "A" * 600, "GW2:" + CODE[4:]]
)
def test_wrong_length_or_version_is_malformed(text):
    with pytest.raises(InvalidBadge) as caught:
        verify_badge(text, KEYS)
    assert caught.value.reason.code == "malformed_code"


@pytest.mark.parametrize(
    ("text", "ours"), [(CODE, True), ("gw9:xyz", True), ("M1DOE/JOHN", False), ("", False)]
)
def test_only_texts_with_our_prefix_claim_to_be_badges(text, ours):
    assert is_badge_text(text) is ours


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_verifies_and_never_crashes(text):
    with pytest.raises(InvalidBadge):
        verify_badge("GW1:" + text, KEYS)
