"""What a record showed stays what it showed: a crew list renaming HANSEN to SMITH after a call.

The call's log and report (page, PDF, CSV) keep HANSEN for what HANSEN did; where the person is
shown as they are now (the crew page, who is aboard, the muster list) the rename shows, with
the old name. The rename is a chained record of its own.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta

from sqlalchemy import select

from gangway.db.models import AuditEntry, Badge, Movement, Person, PersonRename, Refusal
from gangway.extensions import db
from tests.conftest import NOW
from tests.integration.test_audit_log import problems, seq_of, sql, verify
from tests.integration.test_imports import CREW_FILE, HANSEN
from tests.support.pdf_checks import pdf_text

RENAMED_FILE = CREW_FILE.replace(HANSEN, HANSEN.replace("Hansen,Erik", "Smith,Erik"))
TODAY = f"{NOW:%Y-%m-%d}"


def import_crew(client, text: str) -> None:
    response = client.post("/api/v1/imports/crew", data=text, content_type="text/csv")
    assert response.status_code == 200, response.get_data(as_text=True)


def hansen(app, document: str = "NO123456") -> tuple[int, str]:
    """Return Erik's (or another's) person id and the code of the badge the import issued."""
    with app.app_context():
        person = db.session.scalars(select(Person).where(Person.document_number == document)).one()
        code = db.session.scalars(select(Badge.code).where(Badge.person_id == person.id)).one()
        return person.id, code


def escorted_visitor(app, escort_id: int) -> int:
    """Record a visitor boarding with this escort (through the ORM, as an import tool would)."""
    with app.app_context():
        visitor = Person(kind="visitor", family_name="DOE", given_names="Jane", company="ACME")
        db.session.add(visitor)
        db.session.flush()
        boarding = Movement(person_id=visitor.id, direction="board", occurred_at=NOW,
                            access_point_id=1, port_call_id=1, method="scan",
                            escort_id=escort_id, recorded_by_id=1)  # fmt: skip
        db.session.add(boarding)
        db.session.flush()
        visitor.aboard_movement_id = boarding.id  # aboard, as its movement says
        db.session.commit()
        return visitor.id


def scan(client, code: str, direction: str) -> None:
    response = client.post("/watch/scan", data={"code": code, "direction": direction})
    assert response.status_code == 302, response.get_data(as_text=True)  # to the verdict


def test_a_rename_after_a_closed_call_leaves_the_calls_log_and_report_as_they_were(
    app, client, auth, runner, make_badge, tmp_path
):
    auth.login("sso")
    import_crew(client, CREW_FILE)
    person_id, code = hansen(app)
    expired = make_badge(
        person_id, valid_from=NOW - timedelta(days=9), valid_until=NOW - timedelta(days=1)
    )
    auth.login("watch")
    scan(client, code, "board")
    scan(client, code, "depart")
    scan(client, expired, "board")  # refused: the badge expired
    scan(client, hansen(app, "PH998877")[1], "board")  # Santos
    visitor = escorted_visitor(app, escort_id=person_id)
    auth.login("sso")
    closing = {"departed_at": "", "aboard": [visitor]}  # the SSO confirms the visitor aboard
    assert client.post("/sso/port-calls/1/close", data=closing).status_code == 302
    import_crew(client, RENAMED_FILE)  # weeks later, the crew list spells him Smith

    log = client.get("/pfso/log?port_call=1").get_data(as_text=True)
    assert log.count("Hansen, Erik") == 4  # his three records, and as the visitor's escort
    assert "Smith" not in log
    by_name = client.get("/pfso/log?port_call=1&sort=name").get_data(as_text=True)
    assert by_name.index("Hansen, Erik") < by_name.index("Santos, Maria Luisa")  # not as Smith
    found = client.get("/pfso/log?port_call=1&q=hansen").get_data(as_text=True)
    assert found.count("Hansen, Erik") == 3  # the name the records show finds them
    report = client.get("/reports/port-calls/1").get_data(as_text=True)
    assert "HANSEN, Erik" in report
    assert "SMITH" not in report
    pdf = pdf_text(client.get("/reports/port-calls/1.pdf").data, tmp_path)
    assert "HANSEN, Erik" in pdf
    assert "SMITH" not in pdf
    archive = zipfile.ZipFile(io.BytesIO(client.get("/reports/port-calls/1.csv.zip").data))
    rows = list(csv.DictReader(io.TextIOWrapper(archive.open("movements.csv"), "utf-8")))
    assert {row["person"] for row in rows if row["person_id"] == str(person_id)} == {"HANSEN, Erik"}
    exported = client.get("/pfso/log.csv?port_call=1").get_data(as_text=True)
    assert "Hansen, Erik" in exported
    assert "Smith" not in exported

    refusals = client.get("/sso/refusals/").get_data(as_text=True)
    assert "HANSEN, Erik" in refusals
    assert "SMITH" not in refusals
    [refused] = client.get("/api/v1/refusals").get_json()["refusals"]
    assert (refused["person"]["id"], refused["person"]["name"]) == (person_id, "HANSEN, Erik")
    incident = pdf_text(client.get("/sso/refusals/1/incident.pdf").data, tmp_path)
    assert "HANSEN, Erik" in incident

    crew = client.get("/sso/crew/?q=Smith").get_data(as_text=True)
    assert (
        f'SMITH, Erik <small class="renamed" data-testid="renamed">(was HANSEN, Erik until {TODAY})'
        in crew
    )

    with app.app_context():
        kinds = db.session.scalars(
            select(AuditEntry.kind).where(AuditEntry.record_id == person_id)
        ).all()
        rename = db.session.scalars(select(PersonRename)).one()
        records = [
            (r.person_family_name, r.person_kind, r.person_document_number)
            for model in (Movement, Refusal)
            for r in db.session.scalars(select(model))
        ]
    assert "person.renamed" in kinds
    assert (rename.family_name_before, rename.family_name, rename.source) == (
        "Hansen",
        "Smith",
        "crew list",
    )
    assert records[:2] + records[-1:] == [("Hansen", "crew", "NO123456")] * 3
    assert records[3] == ("DOE", "visitor", None)
    assert "OK" in verify(runner, ok=True)


def test_who_is_aboard_and_the_muster_list_show_a_rename_since_boarding(
    app, client, auth, runner, tmp_path
):
    auth.login("sso")
    import_crew(client, CREW_FILE)
    _, code = hansen(app)
    auth.login("watch")
    scan(client, code, "board")
    auth.login("sso")
    import_crew(client, RENAMED_FILE)
    note = f"(was HANSEN, Erik until {TODAY})"
    for url in ("/sso/onboard", "/sso/muster"):
        page = client.get(url).get_data(as_text=True)
        assert f'SMITH, Erik <small class="renamed" data-testid="renamed">{note}' in page, url
    [aboard] = client.get("/api/v1/onboard").get_json()["persons"]
    assert (aboard["name"], aboard["renamed"]) == ("SMITH, Erik", note[1:-1])
    muster = " ".join(pdf_text(client.get("/sso/muster.pdf").data, tmp_path).split())
    assert f"SMITH, Erik {note}" in muster
    auth.login("watch")
    hx = {"HX-Request": "true"}
    leaving = client.post("/watch/scan", data={"code": code, "direction": "depart"}, headers=hx)
    verdict = leaving.get_data(as_text=True)  # his card may still say HANSEN
    assert 'data-person-name="SMITH, Erik"' in verdict
    assert "Renamed since last seen as HANSEN, Erik on " in verdict
    again = client.post("/watch/scan", data={"code": code, "direction": "board"}, headers=hx)
    assert "Renamed" not in again.get_data(as_text=True)  # last seen as Smith now
    auth.login("sso")
    assert "renamed" not in client.get("/sso/onboard").get_data(as_text=True)
    verify(runner, ok=True)


def test_a_records_copy_of_its_person_edited_in_the_database_is_named(
    app, client, auth, runner, make_badge
):
    auth.login("watch")
    scan(client, make_badge(), "board")
    with app.app_context():
        movement = db.session.scalar(select(Movement.id))
    sql(app, "UPDATE movement SET person_family_name = 'SMITH' WHERE id = :i", i=movement)
    seq = seq_of(app, "movement", movement)
    assert problems(verify(runner)) == [
        ("row_altered", f"movement {movement} was changed after chain entry #{seq} "
         "(movement.recorded)")
    ]  # fmt: skip


def test_a_rename_record_edited_in_the_database_is_named(app, client, auth, runner):
    auth.login("sso")
    import_crew(client, CREW_FILE)
    import_crew(client, RENAMED_FILE)
    sql(app, "UPDATE person_rename SET family_name_before = 'JONES'")
    seq = seq_of(app, "person_rename", 1)
    assert problems(verify(runner)) == [
        ("row_altered", f"person_rename 1 was changed after chain entry #{seq} "
         "(person_rename.recorded)")
    ]  # fmt: skip
