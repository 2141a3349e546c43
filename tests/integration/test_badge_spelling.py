"""One spelling per badge at the gangway: the tablet, the API and the escort field.

A badge scanned in any other spelling (lower case, a no-break space, a look-alike letter) is
refused as altered, recorded as a refusal like any edited code, and the watch reads plain words.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gangway.db.models import Movement, Refusal, User
from gangway.domain.scan import reasons
from gangway.extensions import db
from gangway.services.accounts.accounts import create_token
from tests.integration.test_api import scan as api_scan
from tests.integration.test_level_checks import count, scan, set_ship
from tests.support.html_tree import parse_html

FORGED_WORDS = reasons.FORGED.message


def respellings(code: str) -> list[str]:
    """Return spellings of a genuine code that a lenient reader would accept."""
    at = next(i for i, c in enumerate(code) if c == "I" and i > 3) if "I" in code[4:] else None
    texts = [code.lower(), code + "\u00a0", "\u200b" + code, "\uff27" + code[1:]]
    if at is not None:
        texts.append(code[:at] + "ı" + code[at + 1 :])
    return texts


def test_a_badge_in_another_spelling_is_refused_at_the_tablet_in_plain_words(
    app, auth, client, make_badge
):
    code = make_badge()
    auth.login("watch")
    for text in respellings(code):
        html = scan(client, code=text).get_data(as_text=True)
        assert 'data-verdict="refused"' in html
        shown = parse_html(html).by_id("watch-result").text()
        assert FORGED_WORDS in shown
        assert "forged" not in shown.replace(FORGED_WORDS, "")  # no bare reason code
    with app.app_context():
        refusals = list(db.session.scalars(select(Refusal)))
        assert {r.reason_code for r in refusals} == {"forged"}
        assert refusals[0].scanned_text == code.lower()  # recorded as it was scanned
    assert count(app, Movement) == 0

    html = scan(client, code=f" {code}\r\n").get_data(as_text=True)  # what scanners add
    assert 'data-verdict="allowed"' in html


def test_a_badge_in_another_spelling_is_refused_by_the_api(client, app, make_user, make_badge):
    user = make_user("watch", username="api-watch")
    with app.app_context():
        value = create_token(db.session, db.session.get(User, user.id), "test")
        db.session.commit()
    headers = {"Authorization": f"Bearer {value}"}
    code = make_badge()
    for text in respellings(code):
        body = api_scan(client, headers, text).get_json()
        assert body["verdict"] == "refused"
        assert [r["code"] for r in body["reasons"]] == ["forged"]
        assert body["reasons"][0]["message"] == FORGED_WORDS
    assert api_scan(client, headers, code + "\n").get_json()["verdict"] == "allowed"


@pytest.mark.parametrize("spelling", ["lower", "nbsp"])
def test_an_escorts_badge_in_another_spelling_is_not_taken(
    app, auth, client, make_person, make_badge, spelling
):
    escort = make_badge(make_person(kind="crew", family="SANTOS", given="Maria"))
    auth.login("watch")
    assert 'data-verdict="allowed"' in scan(client, code=escort).get_data(as_text=True)
    set_ship(app, security_level=2)
    visitor = make_badge(kind="visitor")
    text = escort.lower() if spelling == "lower" else "\u00a0" + escort + "\u00a0"

    html = scan(client, code=visitor, purpose="Pilot", escort=text).get_data(as_text=True)

    assert "escort" in html.lower()
    assert 'data-verdict="allowed"' not in html
    html = scan(client, code=visitor, purpose="Pilot", escort=escort).get_data(as_text=True)
    assert 'data-verdict="allowed"' in html
