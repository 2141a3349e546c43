"""Crew and passenger list imports through the SSO's pages and the JSON API."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from gangway.db.models import Badge, Person, PortCall
from gangway.extensions import db
from gangway.services.people.badges import PERMANENT_VALIDITY
from tests.conftest import NOW

CREW_HEADER = (
    "family_name,given_names,rank_or_rating,nationality,date_of_birth,place_of_birth,gender,"
    "document_type,document_number,document_issuing_state,document_expiry"
)
PAX_HEADER = (
    "family_name,given_names,nationality,date_of_birth,place_of_birth,gender,document_type,"
    "document_number,document_issuing_state,document_expiry,port_of_embarkation,"
    "port_of_disembarkation,booking_reference,ticket_number,cabin"
)
HANSEN = "Hansen,Erik,Master,NOR,1970-01-02,Bergen,M,Passport,NO123456,NOR,2030-05-31"
SANTOS = "Santos,Maria Luisa,AB,PHL,1988-11-30,Cebu,F,Seafarer ID,PH998877,PHL,"
SHEVCHENKO = "Шевченко,Тарас,Bosun,UKR,1979-03-09,Київ,M,Passport,FA123456,UKR,2039-01-01"
CREW_FILE = "\r\n".join([CREW_HEADER, HANSEN, SANTOS, SHEVCHENKO]) + "\r\n"
PAX_FILE = (
    "\r\n".join(
        [
            PAX_HEADER,
            "Müller,Jürgen,DEU,1955-07-14,Köln,M,Passport,C01X00T47,DEU,2031-02-01,"
            "NLRTM,NOOSL,ABC123,,7012",
            "王,小明,CHN,1990-01-01,,M,Passport,E12345678,CHN,,NLRTM,,,7812345678901,8120",
        ]
    )
    + "\r\n"
)
BAD_CREW_FILE = "\r\n".join(
    [
        CREW_HEADER,
        HANSEN,
        SANTOS.replace("1988-11-30", "30/11/1988"),
        SHEVCHENKO.replace("Шевченко", '"=HYPERLINK(""http://x"",""y"")"'),
    ]
)


def counts(app) -> dict[str, int]:
    """Count persons by kind and badges."""
    with app.app_context():
        rows = db.session.execute(select(Person.kind, func.count()).group_by(Person.kind))
        found = {str(kind): n for kind, n in rows}
        found["badges"] = db.session.scalar(select(func.count()).select_from(Badge))
        return found


def preview(client, kind: str, text: str | bytes, **headers):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        f"/sso/lists/{kind}/preview",
        data={"file": (io.BytesIO(data), f"{kind}.csv")},
        content_type="multipart/form-data",
        headers=headers,
        follow_redirects=True,  # to the check's page (redirect-after-POST)
    )


def apply(client, kind: str, text: str, follow_redirects=False, **headers):
    """Check the list, then confirm that check as the import button does."""
    checked = preview(client, kind, text).request.path
    check = checked.rsplit("/", 1)[1] if "/jobs/" in checked else ""
    return client.post(
        f"/sso/lists/{kind}/import",
        data={"check": check},
        headers=headers,
        follow_redirects=follow_redirects,
    )


def shown(response, testid: str) -> int:
    match = re.search(rf'data-testid="{testid}">(\d+)<', response.get_data(as_text=True))
    assert match, f"{testid} not shown"
    return int(match.group(1))


def crew_by_name(app, family_name: str) -> Person:
    with app.app_context():
        stmt = select(Person).where(Person.family_name == family_name)
        person = db.session.scalars(stmt).one()
        db.session.expunge(person)
        return person


@pytest.fixture
def sso(auth):
    auth.login("sso")


def test_list_page_shows_the_upload_form_the_template_link_and_the_count(client, sso, make_person):
    make_person(kind="crew")
    page = client.get("/sso/lists/crew").get_data(as_text=True)
    assert 'type="file" name="file" accept=".csv' in page
    assert 'hx-encoding="multipart/form-data"' in page
    assert 'name="csrf_token"' in page
    assert "/sso/lists/crew/template.csv" in page
    assert 'data-testid="list-count">1<' in page


@pytest.mark.usefixtures("sso")
def test_preview_shows_counts_and_writes_nothing(app, client, make_person):
    make_person(family="Hansen", rank="Chief Officer", document_number="NO 123 456")
    before = counts(app)
    response = preview(client, "crew", CREW_FILE)
    assert response.status_code == 200
    assert (shown(response, "creates"), shown(response, "updates")) == (2, 1)
    page = response.get_data(as_text=True)
    assert "rank_or_rating: Chief Officer → Master" in page
    assert re.search(r'name="check" value="\d+"', page)
    assert counts(app) == before


@pytest.mark.usefixtures("sso")
def test_preview_for_htmx_is_the_fragment(client):
    response = preview(client, "crew", CREW_FILE, **{"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "<html" not in body
    assert body.startswith('<section id="lists-preview"')
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.usefixtures("sso")
def test_import_creates_crew_with_permanent_badges_valid_to_the_document_expiry(app, client):
    response = apply(client, "crew", CREW_FILE)
    assert response.status_code == 303
    assert response.location.endswith("/sso/lists/crew")
    assert "3 added, 0 updated, 0 unchanged" in client.get(response.location).get_data(True)
    assert counts(app) == {"crew": 3, "badges": 3}
    hansen = crew_by_name(app, "Hansen")
    assert (hansen.rank, hansen.nationality, hansen.document_expires_on.isoformat()) == (
        "Master",
        "NOR",
        "2030-05-31",
    )
    with app.app_context():
        badges = {b.person.family_name: b for b in db.session.scalars(select(Badge))}
        assert all(b.is_permanent for b in badges.values())
        assert badges["Hansen"].valid_until == datetime(2030, 5, 31, 23, 59, 59, tzinfo=UTC)
        santos_until = badges["Santos"].valid_until  # no expiry given: the permanent validity
        assert abs(santos_until - (datetime.now(UTC) + PERMANENT_VALIDITY)) < timedelta(minutes=5)


@pytest.mark.usefixtures("sso")
def test_htmx_confirm_redirects_the_whole_page(client):
    response = apply(client, "crew", CREW_FILE, **{"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == "/sso/lists/crew"


@pytest.mark.usefixtures("sso")
def test_reimporting_the_same_file_changes_nothing(app, client):
    apply(client, "crew", CREW_FILE)
    before, rank = counts(app), crew_by_name(app, "Santos").rank
    assert shown(preview(client, "crew", CREW_FILE), "unchanged") == 3
    response = apply(client, "crew", CREW_FILE)
    assert "0 added, 0 updated, 3 unchanged" in client.get(response.location).get_data(True)
    assert counts(app) == before
    assert crew_by_name(app, "Santos").rank == rank == "AB"


@pytest.mark.usefixtures("sso")
def test_an_updated_rank_is_updated_without_a_new_badge(app, client):
    apply(client, "crew", CREW_FILE)
    promoted = CREW_FILE.replace("Maria Luisa,AB,", "Maria Luisa,Bosun,")
    assert shown(preview(client, "crew", promoted), "updates") == 1
    apply(client, "crew", promoted)
    assert crew_by_name(app, "Santos").rank == "Bosun"
    assert counts(app) == {"crew": 3, "badges": 3}


@pytest.mark.usefixtures("sso")
def test_crew_missing_from_a_new_list_stay_enabled(app, client):
    apply(client, "crew", CREW_FILE)
    apply(client, "crew", "\r\n".join([CREW_HEADER, HANSEN]))
    with app.app_context():
        crew = db.session.scalars(select(Person).where(Person.kind == "crew")).all()
        assert [p.is_enabled for p in crew] == [True, True, True]


@pytest.mark.usefixtures("sso")
@pytest.mark.parametrize("step", ["preview", "import"])
def test_a_bad_file_is_refused_whole_with_problems_by_line_and_column(app, client, step):
    if step == "preview":
        response = preview(client, "crew", BAD_CREW_FILE)
    else:
        response = apply(client, "crew", BAD_CREW_FILE, follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Nothing imported: the list has 2 problems" in page
    assert '<tr data-line="3" data-column="date_of_birth">' in page
    assert '<tr data-line="4" data-column="family_name">' in page
    assert "YYYY-MM-DD" in page
    assert "Cell A4 starts with &#39;=&#39;" in page
    assert 'name="check"' not in page  # no confirm button for a refused list
    assert counts(app) == {"badges": 0}


@pytest.mark.usefixtures("sso")
def test_preview_without_a_file_asks_for_one(client):
    response = client.post("/sso/lists/crew/preview", data={}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "Choose a CSV or Excel (.xlsx) file to check." in response.get_data(as_text=True)


@pytest.mark.usefixtures("sso")
def test_a_list_over_two_megabytes_is_refused(app, client):
    huge = CREW_FILE + "x" * (2 * 1024 * 1024)
    # Encoded here: the test client would spool a large body to a file it never closes.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(huge.encode()), "crew.csv")})
    page = client.post(
        "/sso/lists/crew/preview",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    ).get_data(as_text=True)
    assert "The file is larger than 2 MB: split the list." in page
    response = client.post("/api/v1/imports/crew", data=huge, content_type="text/csv")
    assert (response.status_code, response.get_json()["error"]) == (413, "too_large")
    assert counts(app) == {"badges": 0}


@pytest.mark.usefixtures("sso")
def test_passengers_go_to_the_current_port_call_without_badges(app, client):
    apply(client, "passengers", PAX_FILE)
    with app.app_context():
        port_call = db.session.scalars(select(PortCall)).one()
        pax = db.session.scalars(select(Person).order_by(Person.id)).all()
        assert [(p.kind, p.port_call_id) for p in pax] == [("passenger", port_call.id)] * 2
        assert (pax[0].booking_reference, pax[0].cabin, pax[1].ticket_number) == (
            "ABC123",
            "7012",
            "7812345678901",
        )
    assert counts(app)["badges"] == 0
    assert 'data-testid="list-count">2<' in client.get("/sso/lists/passengers").get_data(True)


@pytest.mark.usefixtures("sso")
def test_passenger_list_needs_an_open_port_call(app, client):
    with app.app_context():
        db.session.scalars(select(PortCall)).one().departed_at = NOW
        db.session.commit()
    page = preview(client, "passengers", PAX_FILE).get_data(as_text=True)
    assert "Open a port call before importing a passenger list." in page
    assert counts(app) == {"badges": 0}


@pytest.mark.usefixtures("sso")
def test_api_dry_run_returns_the_preview_and_writes_nothing(app, client):
    response = client.post(
        "/api/v1/imports/crew?dry_run=1", data=CREW_FILE, content_type="text/csv"
    )
    assert response.status_code == 200
    assert response.get_json() == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "warnings": [],
        "dry_run": True,
        "sheet": None,  # a CSV file
    }
    assert counts(app) == {"badges": 0}


@pytest.mark.usefixtures("sso")
def test_api_imports_a_multipart_file_and_reports_warnings(app, client):
    expired = CREW_FILE.replace("2030-05-31", "2020-05-31")
    response = client.post(
        "/api/v1/imports/crew",
        data={"file": (io.BytesIO(expired.encode()), "crew.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    body = response.get_json()
    assert (body["created"], body["dry_run"]) == (3, False)
    assert body["warnings"] == [
        {
            "line": 2,
            "column": "document_expiry",
            "message": "Document expired on 2020-05-31.",
            "sheet": None,
        }
    ]
    assert counts(app) == {"crew": 3, "badges": 3}


@pytest.mark.usefixtures("sso")
@pytest.mark.parametrize("dry_run", ["", "?dry_run=1"])
def test_api_refuses_a_bad_list_with_every_problem(app, client, dry_run):
    response = client.post(
        f"/api/v1/imports/crew{dry_run}", data=BAD_CREW_FILE, content_type="text/csv"
    )
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "invalid_list"
    assert [(p["line"], p["column"]) for p in body["problems"]] == [
        (3, "date_of_birth"),
        (4, "family_name"),
    ]
    assert all(set(p) == {"line", "column", "message", "sheet"} for p in body["problems"])
    assert counts(app) == {"badges": 0}


@pytest.mark.usefixtures("sso")
@pytest.mark.parametrize(
    ("path", "header"),
    [
        ("/sso/lists/crew/template.csv", CREW_HEADER),
        ("/sso/lists/passengers/template.csv", PAX_HEADER),
        ("/api/v1/imports/crew/template.csv", CREW_HEADER),
        ("/api/v1/imports/passengers/template.csv", PAX_HEADER),
    ],
)
def test_template_download_is_exactly_the_header(client, path, header):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.get_data(as_text=True) == header + "\r\n"


@pytest.mark.usefixtures("sso")
def test_export_round_trips_through_import_unchanged(app, client):
    apply(client, "crew", CREW_FILE)
    before = counts(app)
    exported = client.get("/sso/lists/crew/export.csv")
    assert exported.headers["Content-Disposition"].startswith('attachment; filename="crew-list-')
    assert "Шевченко,Тарас,Bosun" in exported.get_data(as_text=True)
    checked = preview(client, "crew", exported.data)
    assert (shown(checked, "creates"), shown(checked, "updates")) == (0, 0)
    assert shown(checked, "unchanged") == 3
    apply(client, "crew", exported.get_data(as_text=True))
    assert counts(app) == before


LIST_ROUTES = [
    ("GET", "/sso/lists/crew"),
    ("POST", "/sso/lists/crew/preview"),
    ("POST", "/sso/lists/passengers/import"),
    ("GET", "/sso/lists/crew/export.csv"),
    ("POST", "/api/v1/imports/crew"),
    ("GET", "/api/v1/imports/passengers/template.csv"),
]


@pytest.mark.parametrize("role", ["watch", "pfso"])
@pytest.mark.parametrize(("method", "path"), LIST_ROUTES)
def test_watch_and_pfso_may_not_touch_the_lists(app, auth, client, role, method, path):
    auth.login(role)
    response = client.open(path, method=method, data=CREW_FILE, content_type="text/csv")
    assert response.status_code == 403
    assert counts(app) == {"badges": 0}


def test_openapi_path_items_describe_every_list_api_route(app):
    from gangway.web.openapi.lists import PATHS

    routes = {
        rule.rule.removeprefix("/api/v1")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api_lists.")
    }
    assert routes == set(PATHS)
    responses = PATHS["/imports/crew"]["post"]["responses"]
    assert {"200", "422"} <= set(responses)


def csrf_token_in(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"')[0]


def test_with_csrf_on_forms_carry_the_token_and_session_api_calls_need_it(tmp_path):
    from gangway.db.models import User
    from gangway.services.accounts.accounts import create_token, create_user
    from tests.conftest import FAST_HASH, PASSWORD, build_app, dispose

    app = build_app(tmp_path / "csrf", WTF_CSRF_ENABLED=True)
    try:
        with app.app_context():
            create_user(db.session, "s", "sso", PASSWORD, "SSO", hash_method=FAST_HASH)
            db.session.commit()
        client = app.test_client()
        token = csrf_token_in(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"username": "s", "password": PASSWORD, "csrf_token": token})
        token = csrf_token_in(client.get("/sso/lists/crew").get_data(as_text=True))
        api = client.post("/api/v1/imports/crew", data=CREW_FILE, content_type="text/csv")
        assert (api.status_code, api.get_json()["error"]) == (400, "csrf")
        upload = {"file": (io.BytesIO(CREW_FILE.encode()), "crew.csv")}
        assert client.post("/sso/lists/crew/preview", data=upload).status_code == 400
        upload = {"file": (io.BytesIO(CREW_FILE.encode()), "crew.csv"), "csrf_token": token}
        checked = client.post("/sso/lists/crew/preview", data=upload, follow_redirects=True)
        confirm_form = checked.get_data(as_text=True).split('action="/sso/lists/crew/import"')[1]
        check = re.search(r'name="check" value="(\d+)"', confirm_form).group(1)
        confirm = {"check": check, "csrf_token": csrf_token_in(confirm_form)}
        assert client.post("/sso/lists/crew/import", data=confirm).status_code == 303
        assert counts(app) == {"crew": 3, "badges": 3}
        with app.app_context():
            user = db.session.scalars(select(User).where(User.username == "s")).one()
            bearer = create_token(db.session, user, "lists")
            db.session.commit()
        by_token = app.test_client().post(
            "/api/v1/imports/crew",
            data=CREW_FILE,
            content_type="text/csv",
            headers={"Authorization": f"Bearer {bearer}"},
        )
        assert by_token.get_json()["unchanged"] == 3
    finally:
        dispose(app)


def test_a_long_list_is_written_in_batches_and_an_import_cut_short_completes_when_run_again(
    app, client, auth, monkeypatch
):
    """Batches keep the write lock short for the gangway's scans; a worker killed mid-list
    leaves whole rows only, and the same list run again writes the rest and nothing twice."""
    from gangway.services.lists import imports

    rows = [
        f"PAX{i:04d},Anna,DEU,1980-01-01,,F,Passport,D{i:08d},DEU,2031-01-01,NLRTM,,B{i:05d},,{i}"
        for i in range(2 * imports.WRITE_BATCH + 50)
    ]
    text = "\r\n".join([PAX_HEADER, *rows]) + "\r\n"
    made, real_create = [], imports._create

    def dies_in_the_third_batch(*args):
        if len(made) == 2 * imports.WRITE_BATCH + 10:
            raise SystemExit("worker killed")
        made.append(1)
        return real_create(*args)

    monkeypatch.setattr(imports, "_create", dies_in_the_third_batch)
    with app.app_context(), pytest.raises(SystemExit):
        imports.apply_import(
            db.session, "passengers", text, user=None, now=NOW, private_key=None, key_id=0
        )
    with app.app_context():
        db.session.rollback()
    assert counts(app).get("passenger") == 2 * imports.WRITE_BATCH  # two whole batches
    monkeypatch.undo()
    auth.login("sso")
    assert apply(client, "passengers", text).status_code == 303
    assert counts(app)["passenger"] == len(rows)
    again = preview(client, "passengers", text)
    assert (shown(again, "creates"), shown(again, "unchanged")) == (0, len(rows))
