"""Properties of badge codes: any text is refused with InvalidBadge, never a crash or a pass.

A scanner can type anything into the scan box; a badge edited in any character must fail its
Ed25519 signature (ISPS Code B/9.11: only valid IDs count).
"""

from __future__ import annotations

import string
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from gangway.domain.codes.badges import (
    PREFIX,
    InvalidBadge,
    encode_badge,
    is_badge_text,
    verify_badge,
)
from gangway.domain.scan.types import BadgeClaims

PROPERTIES = settings(max_examples=300, deadline=None, derandomize=True, database=None)
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
KEYS = {1: KEY.public_key()}
REFUSAL_CODES = {"malformed_code", "forged"}
B32 = string.ascii_uppercase + "234567"

seconds = st.integers(0, 2**32 - 1).map(lambda s: datetime.fromtimestamp(s, UTC))
claims = st.builds(
    BadgeClaims,
    badge_id=st.integers(0, 2**32 - 1),
    valid_from=seconds,
    valid_until=seconds,
    key_id=st.just(1),
)
# Scanner junk: any text, and text that starts like a badge so the parser reads further.
scanner_text = st.text(max_size=200) | st.text(alphabet=B32 + "=:-", max_size=130).map(
    lambda t: PREFIX + t
)


def refusal(text: str) -> str:
    """Verify a text that must not pass and return the reason code it was refused with."""
    with pytest.raises(InvalidBadge) as refused:
        verify_badge(text, KEYS)
    return refused.value.reason.code


@PROPERTIES
@given(claims)
def test_a_genuine_badge_verifies_to_exactly_its_claims(signed):
    code = encode_badge(signed, KEY)
    assert is_badge_text(code)
    assert verify_badge(code, KEYS) == signed
    assert verify_badge(f"  {code}\r\n", KEYS) == signed  # what a scanner adds at the ends


@PROPERTIES
@given(scanner_text)
def test_any_scanned_text_is_refused_with_a_reason_never_a_crash(text):
    is_badge_text(text)  # never raises
    assert refusal(text) in REFUSAL_CODES


@PROPERTIES
@given(claims, st.data())
def test_a_badge_with_any_character_changed_is_refused(signed, data):
    code = encode_badge(signed, KEY)
    at = data.draw(st.integers(len(PREFIX), len(code) - 1), label="position")
    new = data.draw(st.sampled_from(B32 + "01=!é ").filter(lambda c: c != code[at]), label="char")
    assert refusal(code[:at] + new + code[at + 1 :]) in REFUSAL_CODES


@PROPERTIES
@given(claims, st.data())
def test_a_badge_cut_short_or_with_a_character_added_is_refused(signed, data):
    code = encode_badge(signed, KEY)
    at = data.draw(st.integers(len(PREFIX), len(code)), label="position")
    extra = data.draw(st.sampled_from(B32), label="char")
    if at < len(code):  # cut short (at the end, nothing is cut: the code itself)
        assert refusal(code[:at]) == "malformed_code"
    assert refusal(code[:at] + extra + code[at:]) == "malformed_code"


@PROPERTIES
@given(claims, st.integers(0, 255))
def test_a_badge_signed_by_another_key_or_key_id_is_forged(signed, key_id):
    assert refusal(encode_badge(signed, OTHER_KEY)) == "forged"
    if key_id != 1:
        forged_id = BadgeClaims(signed.badge_id, signed.valid_from, signed.valid_until, key_id)
        assert refusal(encode_badge(forged_id, KEY)) == "forged"
