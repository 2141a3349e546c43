"""The SSO registers visitors, contractors and authorities; badges are issued, printed, revoked."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from gangway.db.models import Badge, Person, Refusal, WatchListEntry
from gangway.extensions import db
from gangway.imaging.decode import decode_image
from tests.conftest import NOW

VISITOR = {
    "kind": "visitor",
    "family_name": "Müller",
    "given_names": "José",
    "company": "Harbour Marine Repairs",
    "nationality": "deu",
    "document_type": "passport",
    "document_number": "C01X00T47",
    "purpose": "Ship's agent",
    "host": "Chief Officer",
}


def jpeg(size=(300, 400), colour=(90, 120, 160)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def register(client, **changes):
    return client.post(
        "/sso/visitors/new", data={**VISITOR, **changes}, content_type="multipart/form-data"
    )


def only_badge(app) -> Badge:
    with app.app_context():
        badge = db.session.scalars(select(Badge)).one()
        db.session.expunge_all()
        return badge


def test_sso_registers_a_visitor_with_a_photo_and_gets_the_badge_page(app, auth, client):
    auth.login("sso")
    response = register(client, photo=(io.BytesIO(jpeg()), "me.jpg"))
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "MÜLLER, José" in page
    assert "ACTIVE" in page
    with app.app_context():
        person = db.session.scalars(select(Person)).one()
        assert person.nationality == "DEU"
        assert person.photo_path.startswith("photos/")
        assert (app.instance_path + "/" + person.photo_path).endswith(".jpg")


def test_printed_card_decodes_back_to_exactly_the_issued_code(app, auth, client):
    auth.login("sso")
    register(client)
    badge = only_badge(app)
    png = client.get(f"/sso/badges/{badge.id}/card.png")
    assert png.status_code == 200
    assert decode_image(png.data) == [badge.code]
    pdf = client.get(f"/sso/badges/{badge.id}/card.pdf")
    assert pdf.data.startswith(b"%PDF")


def test_visitor_badge_is_allowed_at_the_gangway_with_the_registered_purpose(app, auth, client):
    auth.login("sso")
    register(client)
    code = only_badge(app).code
    html = client.post(
        "/watch/scan", data={"code": code, "direction": "board"}, headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert 'data-verdict="allowed"' in html
    assert "Purpose: Ship&#39;s agent" in html


def test_validity_defaults_to_the_end_of_the_port_call(app, auth, client):
    with app.app_context():
        from gangway.db.models import PortCall

        db.session.scalars(select(PortCall)).one().departs_at = NOW + timedelta(days=2)
        db.session.commit()
    auth.login("sso")
    register(client)
    assert only_badge(app).valid_until == NOW + timedelta(days=2)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"family_name": ""}, "family_name"),
        ({"purpose": ""}, "purpose"),
        ({"kind": "crew"}, "kind"),
        ({"nationality": "Germania"}, "nationality"),
        ({"kind": "contractor"}, "work_order"),
        ({"kind": "authority"}, "authority_role"),
        ({"valid_from": "2026-01-02T10:00", "valid_until": "2026-01-01T10:00"}, "valid_until"),
        ({"valid_until": "tomorrow"}, "valid_until"),
        ({"photo": (io.BytesIO(b"%PDF-1.4"), "x.pdf")}, "photo"),
    ],
)
def test_incomplete_or_bad_registration_is_refused_and_writes_nothing(
    app, auth, client, changes, field
):
    auth.login("sso")
    response = register(client, **changes)
    assert response.status_code == 400
    assert f'data-field="{field}"' in response.get_data(as_text=True)
    assert count(app, Person) == count(app, Badge) == 0


def test_oversized_photo_is_refused_with_a_message(app, auth, client):
    auth.login("sso")
    app.config["MAX_UPLOAD_BYTES"] = 1000
    response = register(client, photo=(io.BytesIO(jpeg((800, 800))), "big.jpg"))
    assert response.status_code == 400
    assert "MB limit" in response.get_data(as_text=True)
    assert count(app, Person) == 0


def test_contractor_needs_a_work_order_and_is_refused_after_it_ends(app, auth, client):
    auth.login("sso")
    end = (NOW + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")
    register(client, kind="contractor", work_order="WO-77", work_order_valid_until=end)
    with app.app_context():
        person = db.session.scalars(select(Person)).one()
        person.work_order_valid_until = NOW - timedelta(hours=1)
        db.session.commit()
    client.post("/watch/scan", data={"code": only_badge(app).code, "direction": "board"})
    with app.app_context():
        assert db.session.scalars(select(Refusal.reason_code)).one() == "work_order_expired"


def test_authority_is_registered_with_their_own_id_card(app, auth, client):
    auth.login("sso")
    response = register(
        client, kind="authority", authority_role="pilot", company="Rotterdam Pilots"
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Person.authority_role)).one() == "pilot"


def test_revoked_badge_is_refused_at_the_gangway(app, auth, client):
    auth.login("sso")
    register(client)
    badge = only_badge(app)
    client.post(f"/sso/badges/{badge.id}/revoke", data={"reason": "lost"})
    html = client.post(
        "/watch/scan",
        data={"code": badge.code, "direction": "board"},
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    assert 'data-code="revoked"' in html
    assert "REVOKED (lost)" in client.get(f"/sso/badges/{badge.id}").get_data(as_text=True)


def test_revoke_needs_a_reason(app, auth, client):
    auth.login("sso")
    register(client)
    badge = only_badge(app)
    client.post(f"/sso/badges/{badge.id}/revoke", data={"reason": " "})
    assert only_badge(app).revoked_at is None


def test_reissue_revokes_the_old_badge_and_the_new_one_works(app, auth, client):
    auth.login("sso")
    register(client)
    old = only_badge(app)
    response = client.post(f"/sso/badges/{old.id}/reissue")
    with app.app_context():
        badges = list(db.session.scalars(select(Badge).order_by(Badge.id)))
        assert badges[0].revoked_reason == "reissued"
        assert badges[1].replaces_id == old.id
        new_code = badges[1].code
    assert response.location.endswith(f"/sso/badges/{old.id + 1}")
    client.post("/watch/scan", data={"code": new_code, "direction": "board"})
    client.post("/watch/scan", data={"code": old.code, "direction": "board"})
    with app.app_context():
        assert db.session.scalars(select(Refusal.reason_code)).one() == "revoked"


def test_group_issue_creates_every_badge_or_none(app, auth, client):
    auth.login("sso")
    members = "BERG, Ole ; passport ; N1\nLARSEN, Pia ; passport ; N2\n\nHOLM, Kai ; passport ; N3"
    data = {
        "kind": "contractor",
        "company": "Yard",
        "purpose": "Repair / contractor",
        "work_order": "WO-1",
        "work_order_valid_until": "2099-01-01T00:00",
        "members": members,
    }
    response = client.post("/sso/visitors/group", data=data)
    assert response.status_code == 302
    assert count(app, Badge) == 3
    sheet = client.get(response.location).get_data(as_text=True)
    assert "Print all cards" in sheet
    bad = client.post("/sso/visitors/group", data={**data, "members": "A, B\n ; x ; y"})
    assert bad.status_code == 400
    assert count(app, Badge) == 3


def test_a4_sheet_holds_the_cards_listed(app, auth, client):
    auth.login("sso")
    register(client)
    register(client, family_name="Иванов", document_number="X2")
    response = client.get("/sso/badges/sheet.pdf?ids=1,2")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert client.get("/sso/badges/sheet.pdf?ids=99").status_code == 404


def test_watch_listed_person_cannot_be_registered(app, auth, client):
    with app.app_context():
        db.session.add(WatchListEntry(document_number="C01X00T47", reason="forged papers"))
        db.session.commit()
    auth.login("sso")
    response = register(client)
    assert response.status_code == 400
    assert "forged papers" in response.get_data(as_text=True)
    assert count(app, Badge) == 0


def test_badge_overview_lists_overstaying_visitors(app, auth, client, make_person, make_badge):
    auth.login("sso")
    person = make_person(kind="visitor", family="OVERSTAY", purpose="Ship's agent")
    code = make_badge(
        person, valid_from=NOW - timedelta(hours=3), valid_until=NOW + timedelta(hours=1)
    )
    client.post("/watch/scan", data={"code": code, "direction": "board"})
    with app.app_context():
        db.session.scalars(select(Badge)).one().valid_until = NOW - timedelta(minutes=1)
        db.session.commit()
    page = client.get("/sso/badges/").get_data(as_text=True)
    overstaying = page.split('id="badges-overstaying"')[1].split("</section>")[0]
    assert "OVERSTAY" in overstaying


def test_watch_and_pfso_cannot_register_visitors(app, auth, client):
    auth.login("watch")
    assert register(client).status_code == 403
    assert count(app, Person) == 0


def test_api_creates_a_visitor_and_returns_code_and_card_urls(app, client, make_user):
    from gangway.db.models import User
    from gangway.services.accounts.accounts import create_token

    user = make_user("sso")
    with app.app_context():
        token = create_token(db.session, db.session.get(User, user.id), "t")
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    response = client.post("/api/v1/visitors", json=VISITOR, headers=headers)
    assert response.status_code == 201
    body = response.get_json()
    assert body["code"].startswith("GW1:")
    assert body["person"]["name"] == "MÜLLER, José"
    card = client.get(body["card_png_url"], headers=headers)
    assert decode_image(card.data) == [body["code"]]
    revoked = client.post(
        f"/api/v1/badges/{body['badge_id']}/revoke", json={"reason": "left"}, headers=headers
    )
    assert revoked.get_json()["revoked_at"]
    bad = client.post("/api/v1/visitors", json={**VISITOR, "family_name": 7}, headers=headers)
    assert bad.status_code == 400
    assert client.get("/api/v1/badges/99999999999/card.png", headers=headers).status_code == 404


def test_crew_cards_print_on_a4_sheets(app, auth, client, make_person, make_badge):
    auth.login("sso")
    assert client.get("/sso/badges/crew.pdf").status_code == 404  # no crew yet
    with app.app_context():
        from gangway.keys import KEY_ID, signing_key
        from gangway.services.people.badges import issue_badge

        person = Person(kind="crew", family_name="HANSEN", given_names="Erik", rank="Master")
        issue_badge(
            db.session,
            person,
            valid_from=NOW,
            valid_until=NOW + timedelta(days=400),
            private_key=signing_key(),
            key_id=KEY_ID,
            now=NOW,
            permanent=True,
        )
        db.session.commit()
    response = client.get("/sso/badges/crew.pdf")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")


GROUP = {"kind": "visitor", "company": "Class NK", "purpose": "Surveyor / class"}


def test_group_badges_can_come_from_a_csv_file(app, auth, client):
    auth.login("sso")
    csv_text = (
        "family_name;given_names;document_type;document_number\n"
        "TANAKA;Yui;passport;TK1\n山田;太郎;passport;TK2\n"
    )
    response = client.post(
        "/sso/visitors/group",
        data={**GROUP, "members_csv": (io.BytesIO(csv_text.encode()), "g.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        assert sorted(db.session.scalars(select(Person.family_name))) == ["TANAKA", "山田"]


def test_group_csv_with_a_formula_is_refused_whole(app, auth, client):
    auth.login("sso")
    csv_text = 'family_name,given_names,document_type,document_number\nA,B,passport,1\n=HYPERLINK("http://x"),C,passport,2\n'
    response = client.post(
        "/sso/visitors/group",
        data={**GROUP, "members_csv": (io.BytesIO(csv_text.encode()), "g.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "formula" in response.get_data(as_text=True)
    assert count(app, Badge) == 0
