"""The check by hand proves the watch read the document: the number on record stays hidden until
it is typed, a slip of the finger is read again before anything is recorded, another type of
document is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from gangway.db.models import AuditEntry, Movement, Refusal
from gangway.extensions import db

HX = {"HX-Request": "true"}
MANUAL = "/watch/manual/"
NUMBER = "P1234567"


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def refusals(app) -> list[Refusal]:
    with app.app_context():
        rows = list(db.session.scalars(select(Refusal).order_by(Refusal.id)))
        db.session.expunge_all()
        return rows


@pytest.fixture
def agent(make_person):
    """A ship's agent with a passport on record."""
    return make_person(
        kind="visitor",
        family="MÜLLER",
        given="Sabine",
        document_type="passport",
        document_number=NUMBER,
        purpose="Ship's agent",
    )


@pytest.fixture
def alarms(monkeypatch) -> list[int]:
    """The refusal ids the SSO was alerted about (the hook record_scan calls after a commit)."""
    sent: list[int] = []
    monkeypatch.setattr("gangway.services.scan.after_scan.alert_sso", sent.append)
    return sent


def check(client, person_id: int, headers=HX, **fields):
    data = {"direction": "board", "document_type": "passport", "inspected": "yes", **fields}
    return client.post(f"{MANUAL}{person_id}", data=data, headers=headers)


@pytest.mark.parametrize("typed", ["P1234568", "P12345G7", "PI234567", "P1243567", "P123457"])
def test_a_near_miss_asks_to_look_again_and_records_nothing(
    app, auth, client, agent, alarms, typed
):
    auth.login("watch")
    entries = count(app, AuditEntry)
    response = check(client, agent, document_number=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#manual-form"
    assert response.headers["HX-Reswap"] == "outerHTML"
    assert "HX-Trigger" not in response.headers  # the on-board count has nothing to refresh
    assert html.lstrip().startswith('<form id="manual-form"')
    assert "Look at the document again." in html
    assert f'value="{typed}"' in html  # kept, to correct
    assert 'name="looked_again" value="1"' in html
    assert NUMBER not in html  # the record is not given away as a hint
    assert count(app, Movement) + count(app, Refusal) == 0
    assert count(app, AuditEntry) == entries
    assert alarms == []


def test_after_looking_again_a_corrected_number_is_allowed(app, auth, client, agent, alarms):
    auth.login("watch")
    check(client, agent, document_number="P1234568")
    html = check(client, agent, document_number=NUMBER, looked_again="1").get_data(as_text=True)
    assert 'data-verdict="allowed"' in html
    assert count(app, Movement) == 1
    assert count(app, Refusal) == 0
    assert alarms == []


def test_after_looking_again_a_number_still_off_is_refused_as_a_mismatch(
    app, auth, client, agent, alarms
):
    auth.login("watch")
    check(client, agent, document_number="P1234568")
    response = check(client, agent, document_number="P1234568", looked_again="1")
    html = response.get_data(as_text=True)
    assert 'data-verdict="refused"' in html
    assert 'data-code="document_mismatch"' in html
    [refusal] = refusals(app)
    assert refusal.reason_code == "document_mismatch"
    assert "P1234568" in refusal.scanned_text
    assert alarms == [refusal.id]
    assert count(app, Movement) == 0


def test_a_number_far_off_is_refused_at_once(app, auth, client, agent, alarms):
    auth.login("watch")
    html = check(client, agent, document_number="X9876543").get_data(as_text=True)
    assert 'data-code="document_mismatch"' in html
    assert [r.reason_code for r in refusals(app)] == ["document_mismatch"]
    assert len(alarms) == 1


def test_a_near_miss_without_javascript_comes_back_on_the_page(app, auth, client, agent):
    auth.login("watch")
    response = check(client, agent, headers=None, document_number="P1234568")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" in html
    assert "Look at the document again." in html
    assert 'value="P1234568"' in html
    assert 'name="looked_again" value="1"' in html
    assert NUMBER not in html
    assert count(app, Movement) + count(app, Refusal) == 0


def test_another_type_of_document_is_refused_with_its_reason(app, auth, client, agent, alarms):
    auth.login("watch")
    response = check(client, agent, document_type="national_id", document_number=NUMBER)
    html = response.get_data(as_text=True)
    assert 'data-verdict="refused"' in html
    assert 'data-code="document_type_mismatch"' in html
    assert "not the type of document on record" in html
    [refusal] = refusals(app)
    assert (refusal.reason_code, refusal.reason_codes) == (
        "document_type_mismatch",
        "document_type_mismatch",
    )
    assert refusal.scanned_text == f"manual check: national_id {NUMBER}"
    assert alarms == [refusal.id]
    assert count(app, Movement) == 0


def test_the_number_on_record_shows_beside_the_typed_one_once_checked(app, auth, client, agent):
    auth.login("watch")
    html = check(client, agent, document_number="X9876543").get_data(as_text=True)
    oob = html.split('<dd id="manual-document"')[1]
    assert oob.startswith(' data-testid="document-on-record" hx-swap-oob="true"')
    assert f'data-testid="number-on-record">{NUMBER}<' in oob
    assert "typed: Passport X9876543" in oob


@pytest.mark.parametrize("fields", [{"document_number": ""}, {"inspected": ""}])
def test_nothing_typed_never_reveals_the_number_on_record(app, auth, client, agent, fields):
    auth.login("watch")
    html = check(client, agent, **{"document_number": NUMBER, **fields}).get_data(as_text=True)
    assert NUMBER not in html
    assert "manual-document" not in html


def test_the_search_shows_the_last_characters_and_never_the_number(auth, client, agent):
    auth.login("watch")
    for q in ("sabine", "P1234567", "1234"):
        html = client.get(f"{MANUAL}search", query_string={"q": q}, headers=HX).get_data(
            as_text=True
        )
        assert "MÜLLER, Sabine" in html
        assert "Passport, number ends" in html
        assert '<span class="hit-hint">567</span>' in html
        assert NUMBER not in html


def test_a_short_number_gets_no_hint_in_the_search(auth, client, make_person):
    make_person(
        kind="authority", family="DE JONG", document_type="authority_id", document_number="4711"
    )
    auth.login("watch")
    html = client.get(f"{MANUAL}search", query_string={"q": "jong"}, headers=HX).get_data(
        as_text=True
    )
    assert "Authority ID card" in html
    assert "4711" not in html
