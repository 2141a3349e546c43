"""One spelling per badge: the printed text verifies, no other spelling of it does.

The rule (README, "Badge codes"): exactly ``GW1:`` and 124 characters of ``A-Z2-7``; only ASCII
space, Tab, CR and LF are taken off the ends, because scanners add them. Letter case, Unicode
spaces, invisible characters and look-alikes that fold to ASCII (upper case, case folding, NFKC)
make another text, refused as altered (``forged``) and still recognised as a badge (never read as a
booking reference). ISPS Code B/9.11: one badge, one identity, as the records show it.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from gangway.domain.codes.badges import InvalidBadge, encode_badge, is_badge_text, verify_badge
from gangway.domain.scan import reasons
from gangway.domain.scan.types import BadgeClaims

PROPERTIES = settings(max_examples=400, deadline=None, derandomize=True, database=None)
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
KEYS = {1: KEY.public_key()}
SCANNER_ENDS = " \t\r\n"
CODE_CHARACTERS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567GW1:")


def _folds(char: str) -> set[str]:
    """Return what lenient readers might turn a character into (case, case folding, NFKC)."""
    nfkc = unicodedata.normalize("NFKC", char)
    forms = {char.upper(), char.casefold().upper(), nfkc, nfkc.upper(), nfkc.casefold().upper()}
    return {form for form in forms if form}


def _look_alikes() -> dict[str, list[str]]:
    """Map each text of code characters to the non-ASCII characters some fold turns into it."""
    table: dict[str, set[str]] = {}
    for point in range(0x80, 0x20000):
        char = chr(point)
        for form in _folds(char):
            if form.isascii() and set(form) <= CODE_CHARACTERS:
                table.setdefault(form, set()).add(char)
    return {target: sorted(chars) for target, chars in table.items()}


LOOK_ALIKES = _look_alikes()
BMP = [chr(point) for point in range(0x10000) if not 0xD800 <= point <= 0xDFFF]
SPACES = [c for c in BMP if c.isspace() or unicodedata.category(c) in ("Zs", "Zl", "Zp")]
INVISIBLES = [c for c in BMP if unicodedata.category(c) in ("Cf", "Cc")]

seconds = st.integers(0, 2**32 - 1).map(lambda s: datetime.fromtimestamp(s, UTC))
codes = st.builds(
    BadgeClaims,
    badge_id=st.integers(0, 2**32 - 1),
    valid_from=seconds,
    valid_until=seconds,
    key_id=st.just(1),
).map(lambda claims: encode_badge(claims, KEY))


def refusal(text: str) -> str:
    """Verify a text that must not pass and return its reason code."""
    with pytest.raises(InvalidBadge) as refused:
        verify_badge(text, KEYS)
    return refused.value.reason.code


@st.composite
def case_change(draw, code: str) -> str:
    letters = [i for i, c in enumerate(code) if c.isalpha()]
    chosen = draw(st.sets(st.sampled_from(letters), min_size=1, max_size=len(letters)))
    return "".join(c.lower() if i in chosen else c for i, c in enumerate(code))


@st.composite
def inserted(draw, code: str, pool: list[str]) -> str:
    at = draw(st.integers(0, len(code)), label="at")
    at_an_end = at in (0, len(code))
    char = draw(st.sampled_from(pool).filter(lambda c: not (at_an_end and c in SCANNER_ENDS)))
    return code[:at] + char + code[at:]


@st.composite
def look_alike(draw, code: str) -> str:
    places = [
        (at, target)
        for target in LOOK_ALIKES
        for at in range(len(code))
        if code.startswith(target, at)
    ]
    at, target = draw(st.sampled_from(places), label="place")
    char = draw(st.sampled_from(LOOK_ALIKES[target]), label="look-alike")
    return code[:at] + char + code[at + len(target) :]


def respelled(code: str) -> st.SearchStrategy[str]:
    """One change of spelling that a lenient reader would undo."""
    return st.one_of(
        case_change(code),
        inserted(code, SPACES),
        inserted(code, INVISIBLES),
        look_alike(code),
    )


@PROPERTIES
@given(codes, st.data())
def test_no_other_spelling_of_a_genuine_badge_verifies(code, data):
    text = code
    for _ in range(data.draw(st.integers(1, 3), label="changes")):
        text = data.draw(respelled(text), label="respelled")
    assert text.strip(SCANNER_ENDS) != code
    assert is_badge_text(text)  # read as a badge, not looked up as a booking reference
    assert refusal(text) == "forged"


@PROPERTIES
@given(codes, st.text(SCANNER_ENDS, max_size=4), st.text(SCANNER_ENDS, max_size=4))
def test_the_printed_text_verifies_with_what_a_scanner_adds_at_its_ends(code, before, after):
    assert verify_badge(before + code + after, KEYS) == verify_badge(code, KEYS)


def test_the_tables_hold_the_named_look_alikes():
    assert {"ı", "İ"} & set(LOOK_ALIKES["I"])
    assert "ß" in LOOK_ALIKES["SS"]
    assert "ẞ" in LOOK_ALIKES["SS"]
    assert "ﬁ" in LOOK_ALIKES["FI"]
    assert "\u212a" in LOOK_ALIKES["K"]  # KELVIN SIGN
    assert "\uff27" in LOOK_ALIKES["G"]  # FULLWIDTH G
    assert {"\u00a0", "\u3000", "\u2028", "\u000b", "\u0085"} <= set(SPACES)
    assert {"\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u0000"} <= set(INVISIBLES)


def _code_with(*parts: str) -> str:
    """Return a genuine code that contains every one of `parts` (found by trying badge ids)."""
    for badge_id in range(1, 5000):
        claims = BadgeClaims(
            badge_id, datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
        )
        code = encode_badge(claims, KEY)
        if all(part in code[4:] for part in parts):
            return code
    raise AssertionError(f"no code holds {parts}")


NAMED = _code_with("SS", "FI", "I", "K", "A")
_AT = {part: NAMED.index(part, 4) for part in ("SS", "FI", "I", "K", "A")}


def _replace(part: str, by: str) -> str:
    return NAMED[: _AT[part]] + by + NAMED[_AT[part] + len(part) :]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(NAMED.lower(), id="lower case"),
        pytest.param("gw1:" + NAMED[4:], id="lower-case prefix"),
        pytest.param(NAMED[:-1] + NAMED[-1].lower(), id="last letter lower case"),
        pytest.param(NAMED + "\u00a0", id="NBSP after"),
        pytest.param("\u00a0" + NAMED, id="NBSP before"),
        pytest.param(NAMED[:40] + "\u00a0" + NAMED[40:], id="NBSP inside"),
        pytest.param(NAMED[:40] + " " + NAMED[40:], id="space inside"),
        pytest.param(NAMED + "\u000b", id="vertical tab after"),
        pytest.param(NAMED + "\u3000", id="ideographic space after"),
        pytest.param("\ufeff" + NAMED, id="byte order mark before"),
        pytest.param(NAMED[:9] + "\u200b" + NAMED[9:], id="zero-width space inside"),
        pytest.param(NAMED[:9] + "\u00ad" + NAMED[9:], id="soft hyphen inside"),
        pytest.param(_replace("I", "ı"), id="dotless i for I"),
        pytest.param(_replace("SS", "ß"), id="sharp s for SS"),
        pytest.param(_replace("SS", "ẞ"), id="capital sharp s for SS"),
        pytest.param(_replace("FI", "ﬁ"), id="fi ligature for FI"),
        pytest.param(_replace("K", "\u212a"), id="Kelvin sign for K"),
        pytest.param(_replace("A", "\uff21"), id="full-width A"),
        pytest.param("\uff27W1:" + NAMED[4:], id="full-width G in the prefix"),
        pytest.param("GW1\uff1a" + NAMED[4:], id="full-width colon"),
        pytest.param(_replace("A", "\U0001d400"), id="mathematical bold A"),
    ],
)
def test_named_respellings_of_a_genuine_badge_are_refused_as_altered(text):
    assert verify_badge(NAMED, KEYS).badge_id > 0
    assert is_badge_text(text)
    assert refusal(text) == "forged"
    assert reasons.label("forged") == "Altered or forged badge"  # what the watch reads
