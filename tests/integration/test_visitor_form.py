"""The SSO's visitor form: errors at their fields, the photo kept across an error, one kind."""

from __future__ import annotations

import inspect
import io
import os
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from gangway.db.models import AuditEntry, Badge, Person, WatchListEntry
from gangway.extensions import db
from gangway.imaging import held_photos
from gangway.imaging.held_photos import HOLD_DIR, HOLD_SECONDS
from gangway.services.accounts.accounts import create_user
from gangway.services.people import people
from gangway.web.pages.people import person_form
from gangway.web.pages.people.person_form import GROUP_FIELDS, VISITOR_FIELDS, form_errors
from tests.conftest import FAST_HASH, PASSWORD
from tests.integration.test_visitors import VISITOR, jpeg
from tests.support.html_tree import parse_html

TOKEN = re.compile(r'name="photo_token" value="([^"]+)"')
CONTRACTOR = {"kind": "contractor", "work_order": "WO-1"}

# Every error the form can come back with: what was sent, the field it names, and its words.
ERRORS = [
    ({"kind": "crew"}, "kind", "Register a visitor, a contractor or an authority."),
    ({"family_name": ""}, "family_name", "Family name is required."),
    ({"family_name": "X" * 121}, "family_name", "Family name is too long"),
    ({"given_names": "x" * 121}, "given_names", "Given names is too long"),
    ({"company": "x" * 121}, "company", "Company is too long"),
    ({"nationality": "Germania"}, "nationality", "'Germania' is not a country"),
    ({"document_type": "x" * 33}, "document_type", "Document type is too long"),
    ({"document_number": "9" * 65}, "document_number", "Document number is too long"),
    ({"document_issuing_state": "D1E"}, "document_issuing_state", "'D1E' is not a country"),
    ({"photo": (io.BytesIO(b"%PDF-1.4"), "x.pdf")}, "photo", "The upload is not an image"),
    ({"purpose": ""}, "purpose", "State the purpose of the visit."),
    ({"purpose_other": "x" * 201}, "purpose_other", "The other purpose is too long"),
    ({"host": "x" * 121}, "host", "Host is too long"),
    ({"valid_from": "soon"}, "valid_from", "Dates are written 2026-11-22T16:00."),
    ({"valid_until": "tomorrow"}, "valid_until", "Dates are written 2026-11-22T16:00."),
    (
        {"valid_from": "2026-01-02T10:00", "valid_until": "2026-01-01T10:00"},
        "valid_until",
        "The badge must end after it starts.",
    ),
    ({"valid_until": "2200-01-01T00:00"}, "valid_until", "between 1970 and 2106"),
    ({"notes": "x" * 1001}, "notes", "Notes is too long"),
    ({"kind": "contractor"}, "work_order", "A contractor needs a work order number."),
    ({**CONTRACTOR, "work_order": "W" * 65}, "work_order", "Work order is too long"),
    (CONTRACTOR, "work_order_valid_until", "Give the date and time the work order ends."),
    (
        {**CONTRACTOR, "work_order_valid_until": "next week"},
        "work_order_valid_until",
        "Dates are written",
    ),
    ({**CONTRACTOR, "work_order_valid_from": "x"}, "work_order_valid_from", "Dates are written"),
    ({"kind": "authority"}, "authority_role", "Choose which authority the person represents."),
    (
        {"kind": "authority", "authority_role": "pilot", "document_number": ""},
        "document_number",
        "Record the number of the official's own ID card.",
    ),
]


def post(client, url="/sso/visitors/new", **changes):
    data = {**VISITOR, **changes}
    return client.post(url, data=data, content_type="multipart/form-data")


def written(app) -> tuple[int, int, int, list[str]]:
    """Count what a registration writes: people, badges, audit entries, stored photos."""
    with app.app_context():
        counts = [db.session.scalar(select(func.count()).select_from(m)) for m in (Person, Badge)]
        audit = db.session.scalar(select(func.count()).select_from(AuditEntry))
    photos = Path(app.instance_path) / "photos"
    return (*counts, audit, sorted(os.listdir(photos)) if photos.exists() else [])


def held_files(app) -> list[str]:
    folder = Path(app.instance_path) / HOLD_DIR
    return sorted(os.listdir(folder)) if folder.exists() else []


def portrait() -> tuple[io.BytesIO, str]:
    return io.BytesIO(jpeg(colour=(200, 40, 40))), "me.jpg"


@pytest.mark.parametrize(("changes", "field", "message"), ERRORS)
def test_each_error_shows_at_its_field_and_nothing_is_written(
    app, auth, client, changes, field, message
):
    auth.login("sso")
    before = written(app)
    response = post(client, **changes)
    assert response.status_code == 400
    page = parse_html(response.get_data(as_text=True))
    error = page.by_id(f"f-{field}-error")
    assert error is not None, f"no message at {field}"
    assert message in error.text()
    control = page.by_id(f"f-{field}")
    assert f"f-{field}-error" in control.attrs["aria-describedby"].split()
    box = "kinds" if field == "kind" else "field"
    assert error.closest(box) is control.closest(box) is not None  # next to it, in its box
    assert "has-error" in control.closest(box).classes()
    focused = [n for n in page.walk() if "autofocus" in n.attrs]
    assert len(focused) == 1
    assert focused[0] is control or focused[0].closest("kinds") is control
    links = [n.attrs.get("href") for n in page.by_id("form-errors").walk() if n.tag == "a"]
    assert links == [f"#f-{field}"]  # the summary at the top links to it
    assert written(app) == before


def test_every_field_the_service_and_the_form_name_is_on_the_form():
    sources = [inspect.getsource(f) for f in (people.add_person, people.check_new_person)]
    named = {m for src in sources for m in re.findall(r'BadInput\(\s*"(\w+)"', src)}
    named |= set(person_form.TEXT_FIELDS) | {"purpose", "purpose_other", "valid_from"}
    named |= {name for fields in person_form.KIND_TEXT_FIELDS.values() for name in fields}
    named |= {"work_order_valid_from", "work_order_valid_until"}
    assert named <= set(VISITOR_FIELDS)
    assert named - set(GROUP_FIELDS) <= set(person_form.GROUP_ALIASES)


def test_an_error_naming_no_field_of_the_form_shows_at_the_top():
    from gangway.services import BadInput

    errors = form_errors([BadInput("badge", "Something else.")], VISITOR_FIELDS)
    assert errors.at_top == ("Something else.",)
    assert not errors.at_fields


def test_the_form_shows_its_attributes_quoted_once(auth, client):
    auth.login("sso")
    html = client.get("/sso/visitors/new").get_data(as_text=True)
    assert 'maxlength="64"' in html
    assert "&quot;" not in html
    assert "&#34;" not in html
    page = parse_html(html)
    assert page.by_id("f-nationality").attrs["maxlength"] == "64"
    assert page.by_id("f-family_name").attrs["autocomplete"] == "off"


def test_the_photo_is_kept_across_an_error_and_ends_on_the_person(app, auth, client):
    auth.login("sso")
    before = written(app)
    first = post(client, purpose="", photo=portrait())
    assert first.status_code == 400
    html = first.get_data(as_text=True)
    token = TOKEN.search(html).group(1)
    assert 'src="data:image/jpeg;base64,' in html  # the preview of the kept photo
    assert held_files(app) == [f"{token}.jpg"]
    assert written(app) == before

    second = post(client, photo_token=token)
    assert second.status_code == 302
    assert held_files(app) == []  # used, so gone
    with app.app_context():
        person = db.session.scalars(select(Person)).one()
        stored = Image.open(Path(app.instance_path) / person.photo_path).convert("RGB")
    red, green, blue = stored.resize((1, 1)).getpixel((0, 0))
    assert (red > 150, green < 90, blue < 90) == (True, True, True)  # the first try's photo


def test_a_new_photo_replaces_the_kept_one_and_a_rejected_one_keeps_it(app, auth, client):
    auth.login("sso")
    token = TOKEN.search(post(client, purpose="", photo=portrait()).get_data(as_text=True))[1]
    bad = post(client, purpose="", photo_token=token, photo=(io.BytesIO(b"no"), "x.jpg"))
    assert TOKEN.search(bad.get_data(as_text=True))[1] == token
    assert "not an image" in bad.get_data(as_text=True)
    new = post(client, purpose="", photo_token=token, photo=portrait())
    new_token = TOKEN.search(new.get_data(as_text=True))[1]
    assert new_token != token
    assert held_files(app) == [f"{new_token}.jpg"]


def test_the_kept_photo_can_be_left_out(app, auth, client):
    auth.login("sso")
    token = TOKEN.search(post(client, purpose="", photo=portrait()).get_data(as_text=True))[1]
    assert post(client, photo_token=token, photo_drop="1").status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Person.photo_path)).one() is None
    assert held_files(app) == []


def test_another_sessions_photo_token_is_refused(app, auth, client):
    auth.login("sso")
    token = TOKEN.search(post(client, purpose="", photo=portrait()).get_data(as_text=True))[1]
    with app.app_context():
        create_user(db.session, "sso2", "sso", PASSWORD, "Other SSO", hash_method=FAST_HASH)
        db.session.commit()
    for username in ("sso", "sso2"):  # the same user in another browser, and another user
        other = app.test_client()
        other.post("/login", data={"username": username, "password": PASSWORD})
        before = written(app)
        response = post(other, photo_token=token)
        assert response.status_code == 400
        error = parse_html(response.get_data(as_text=True)).by_id("f-photo-error")
        assert "another session" in error.text()
        assert written(app) == before
    assert held_files(app) == [f"{token}.jpg"]  # still the first session's


def test_the_same_user_after_logging_out_and_in_again_cannot_use_it_as_another(app, auth, client):
    auth.login("sso")
    token = TOKEN.search(post(client, purpose="", photo=portrait()).get_data(as_text=True))[1]
    auth.logout()
    with app.app_context():
        create_user(db.session, "sso2", "sso", PASSWORD, "Other SSO", hash_method=FAST_HASH)
        db.session.commit()
    client.post("/login", data={"username": "sso2", "password": PASSWORD})
    assert post(client, photo_token=token).status_code == 400  # the cookie outlived the user


def test_an_old_kept_photo_has_expired_and_is_cleaned_up(app, auth, client):
    auth.login("sso")
    token = TOKEN.search(post(client, purpose="", photo=portrait()).get_data(as_text=True))[1]
    path = Path(app.instance_path) / HOLD_DIR / f"{token}.jpg"
    old = time.time() - HOLD_SECONDS - 60
    os.utime(path, (old, old))
    response = post(client, photo_token=token)
    assert response.status_code == 400
    assert "expired" in parse_html(response.get_data(as_text=True)).by_id("f-photo-error").text()
    assert not path.exists()
    stray = Path(app.instance_path) / HOLD_DIR / ("A" * 32 + ".jpg")
    stray.write_bytes(b"x")
    os.utime(stray, (old, old))
    post(client, purpose="", photo=portrait())  # holding a photo sweeps the old ones
    assert not stray.exists()


@pytest.mark.parametrize("token", ["../../t.sqlite", "A" * 31, ""])
def test_a_made_up_token_is_refused_or_ignored(app, auth, client, token):
    auth.login("sso")
    response = post(client, photo_token=token)
    assert response.status_code == (302 if token == "" else 400)


def test_the_fields_of_other_kinds_are_ignored(app, auth, client):
    auth.login("sso")
    garbage = {
        "work_order": "W" * 500,
        "work_order_valid_from": "garbage",
        "work_order_valid_until": "garbage",
        "authority_role": "king",
    }
    assert post(client, **garbage).status_code == 302
    contractor = {**garbage, "kind": "contractor", "work_order": "WO-9"}
    contractor.update(work_order_valid_from="", work_order_valid_until="2099-01-01T00:00")
    assert post(client, **contractor, document_number="C2").status_code == 302
    with app.app_context():
        rows = db.session.execute(
            select(Person.kind, Person.work_order, Person.authority_role).order_by(Person.id)
        ).all()
    assert [tuple(r) for r in rows] == [("visitor", None, None), ("contractor", "WO-9", None)]


def test_only_the_chosen_kinds_section_is_marked_for_it(auth, client):
    auth.login("sso")
    page = parse_html(post(client, kind="contractor").get_data(as_text=True))
    sections = {n.attrs["data-kind"]: n for n in page.walk() if "kind-section" in n.classes()}
    assert set(sections) == {"contractor", "authority"}
    assert "Work order number" in sections["contractor"].text()
    checked = [n for n in page.walk() if n.attrs.get("name") == "kind" and "checked" in n.attrs]
    assert [n.attrs["value"] for n in checked] == ["contractor"]


GROUP = {"kind": "visitor", "company": "Class NK", "purpose": "Surveyor / class"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"members": "A, B\n ; x ; y"}, "members"),
        ({"members": "BERG, Ole ; passport ; FORGED1"}, "members"),  # watch-listed document
        ({"members": "X" * 121 + ", Ole"}, "members"),
        ({"members": "BERG, Ole", "purpose": ""}, "purpose"),
        ({"members": "BERG, Ole", "kind": "contractor"}, "work_order"),
        ({"members": "BERG, Ole", "valid_until": "x"}, "valid_until"),
    ],
)
def test_group_form_errors_show_at_their_fields(app, auth, client, changes, field):
    with app.app_context():
        db.session.add(WatchListEntry(document_number="FORGED1", reason="forged papers"))
        db.session.commit()
    auth.login("sso")
    response = client.post("/sso/visitors/group", data={**GROUP, **changes})
    assert response.status_code == 400
    page = parse_html(response.get_data(as_text=True))
    error = page.by_id(f"f-{field}-error")
    assert error.closest("field") is page.by_id(f"f-{field}").closest("field")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Person)) == 0


def test_held_photos_beyond_the_cap_go_oldest_first(tmp_path, monkeypatch):
    monkeypatch.setattr(held_photos, "MAX_HELD", 3)
    folder = tmp_path / HOLD_DIR
    folder.mkdir()
    now = time.time()
    for age in range(5):
        path = folder / f"{chr(65 + age) * 32}.jpg"
        path.write_bytes(b"x")
        os.utime(path, (now - age * 60, now - age * 60))
    assert held_photos.prune_held_photos(tmp_path, datetime.fromtimestamp(now, UTC)) == 2
    assert sorted(p.name[0] for p in folder.iterdir()) == ["A", "B", "C"]  # the newest three
