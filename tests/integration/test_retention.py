"""Archiving and purging port call records (SOLAS XI-2/9.2.1, 33 CFR 104.235)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gangway.db.models import (
    Declaration,
    LevelChange,
    Movement,
    Person,
    PortCall,
    Refusal,
    RefusalFollowUp,
    ReportSignOff,
)
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.ship.retention import archive_port_call, purge_port_call
from tests.conftest import NOW
from tests.integration.port_call_builders import DAYS, add_old_calls

RECORD_MODELS = (Movement, Refusal, RefusalFollowUp, LevelChange, Declaration, ReportSignOff)
EXPECTED_ROWS = {
    "port_call.json": 1,
    "movements.csv": 2,
    "refusals.csv": 1,
    "follow_ups.csv": 1,
    "level_changes.csv": 1,
    "declarations.csv": 1,
    "sign_offs.csv": 1,
}


@pytest.fixture
def calls(app, make_user, make_person):
    """Twelve port calls: eleven closed long ago (oldest first) and the fixture's open one."""
    user = make_user("admin")
    person = make_person()
    with app.app_context():
        return add_old_calls(db.session, user_id=user.id, person_id=person)


def counts_by_call(app) -> dict[int, dict[str, int]]:
    """Return each port call's number of records of each kind."""
    with app.app_context():
        out = {}
        for call_id in db.session.scalars(select(PortCall.id)):
            refusals = select(Refusal.id).where(Refusal.port_call_id == call_id)
            out[call_id] = {
                model.__name__: db.session.scalar(
                    select(func.count())
                    .select_from(model)
                    .where(
                        model.refusal_id.in_(refusals)
                        if model is RefusalFollowUp
                        else model.port_call_id == call_id
                    )
                )
                for model in RECORD_MODELS
            }
        return out


def archive(app, call_id, path):
    with app.app_context():
        return archive_port_call(db.session, call_id, path, now=NOW)


def purge(app, call_id, retention_days=DAYS):
    with app.app_context():
        return purge_port_call(db.session, call_id, now=NOW, retention_days=retention_days)


def test_archive_writes_a_zip_with_counts_and_checksums_and_marks_the_call(app, calls, tmp_path):
    oldest = calls[0]
    path = archive(app, oldest, tmp_path / "call.zip")
    assert path == tmp_path / "call.zip"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    with zipfile.ZipFile(path) as archive_zip:
        assert archive_zip.testzip() is None
        files = {name: archive_zip.read(name) for name in archive_zip.namelist()}
    manifest = json.loads(files.pop("manifest.json"))
    assert manifest["port_call_id"] == oldest
    assert set(files) == set(EXPECTED_ROWS)
    for name, data in files.items():
        assert manifest["files"][name]["rows"] == EXPECTED_ROWS[name], name
        assert manifest["files"][name]["sha256"] == hashlib.sha256(data).hexdigest(), name
        if name.endswith(".csv"):
            rows = list(csv.DictReader(io.StringIO(data.decode())))
            assert len(rows) == EXPECTED_ROWS[name], name
    call = json.loads(files["port_call.json"])
    assert call["id"] == oldest
    assert call["port_name"] == "Old port"
    levels = list(csv.DictReader(io.StringIO(files["level_changes.csv"].decode())))
    assert levels[0]["reason"] == "=cmd"  # an archive keeps values as stored
    with app.app_context():
        assert db.session.get(PortCall, oldest).archived_at == NOW


def test_archive_into_a_folder_names_the_file_after_the_call(app, calls, tmp_path):
    path = archive(app, calls[0], tmp_path)
    assert path.parent == tmp_path
    assert path.name.startswith(f"port-call-{calls[0]}-")
    assert zipfile.is_zipfile(path)


def test_archive_refuses_an_open_call(app, calls, tmp_path):
    with app.app_context():
        open_call = db.session.scalars(select(PortCall.id).where(PortCall.departed_at.is_(None)))
        open_id = open_call.one()
    with pytest.raises(BadInput, match="still open"):
        archive(app, open_id, tmp_path / "open.zip")
    assert list(tmp_path.glob("*.zip")) == []


@pytest.mark.parametrize(
    ("which", "archived", "retention_days", "why"),
    [
        ("oldest", True, 10_000, "less than 10000 days"),
        ("oldest", False, DAYS, "not been archived"),
        ("tenth", True, DAYS, "last 10"),
        ("open", True, DAYS, "still open"),
    ],
)
def test_purge_refuses_and_deletes_nothing(
    app, calls, tmp_path, which, archived, retention_days, why
):
    with app.app_context():
        open_id = db.session.scalars(
            select(PortCall.id).where(PortCall.departed_at.is_(None))
        ).one()
        if which == "open":
            db.session.get(PortCall, open_id).archived_at = NOW
            db.session.commit()
    call_id = {"oldest": calls[0], "tenth": calls[2], "open": open_id}[which]
    if archived and which != "open":
        archive(app, call_id, tmp_path / "a.zip")
    before = counts_by_call(app)
    with pytest.raises(BadInput, match=why):
        purge(app, call_id, retention_days)
    assert counts_by_call(app) == before


def test_purge_refuses_when_records_were_added_after_the_archive(app, calls, tmp_path):
    archive(app, calls[0], tmp_path / "a.zip")
    with app.app_context():
        refusal = db.session.scalars(select(Refusal).where(Refusal.port_call_id == calls[0])).one()
        db.session.add(
            RefusalFollowUp(
                refusal_id=refusal.id,
                acknowledged_at=NOW + timedelta(1),
                acknowledged_by_id=refusal.recorded_by_id,
            )
        )
        db.session.commit()
    before = counts_by_call(app)
    with pytest.raises(BadInput, match="archive it again"):
        purge(app, calls[0])
    assert counts_by_call(app) == before


def test_purge_deletes_only_the_eligible_calls_records_and_clears_aboard_pointers(
    app, calls, tmp_path, make_person
):
    oldest, other = calls[0], calls[1]
    stale, aboard = make_person(family="STALE"), make_person(family="ABOARD")
    with app.app_context():
        for person_id, call_id in ((stale, oldest), (aboard, other)):
            movement = db.session.scalars(
                select(Movement).where(Movement.port_call_id == call_id).order_by(Movement.id)
            ).first()
            db.session.get(Person, person_id).aboard_movement_id = movement.id
        db.session.commit()
    archive(app, oldest, tmp_path / "a.zip")
    before = counts_by_call(app)

    counts = purge(app, oldest)

    assert counts == {
        "aboard_pointers": 1,
        "follow_ups": 1,
        "movements": 2,
        "refusals": 1,
        "level_changes": 1,
        "declarations": 1,
        "sign_offs": 1,
        "document_photos": 0,
    }
    after = counts_by_call(app)
    assert after[oldest] == dict.fromkeys(before[oldest], 0)
    assert {k: v for k, v in after.items() if k != oldest} == {
        k: v for k, v in before.items() if k != oldest
    }
    with app.app_context():
        call = db.session.get(PortCall, oldest)
        assert call.archived_at == NOW  # the call itself stays listed, marked archived
        assert db.session.get(Person, stale).aboard_movement_id is None
        assert db.session.get(Person, aboard).aboard_movement_id is not None


def test_cli_archives_then_purges_after_confirmation(app, calls, runner, tmp_path):
    oldest = calls[0]
    path = tmp_path / "cli.zip"
    result = runner.invoke(args=["archive-port-call", str(oldest), "--to", str(path)])
    assert result.exit_code == 0, result.output
    assert str(path) in result.output
    assert zipfile.is_zipfile(path)

    declined = runner.invoke(args=["purge-port-call", str(oldest)], input="n\n")
    assert declined.exit_code == 1
    assert "movements: 2" in declined.output
    assert "Delete these records?" in declined.output
    assert counts_by_call(app)[oldest]["Movement"] == 2

    confirmed = runner.invoke(args=["purge-port-call", str(oldest)], input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert "Purged port call" in confirmed.output
    assert counts_by_call(app)[oldest]["Movement"] == 0


def test_cli_purge_with_yes_does_not_ask_and_deletes_the_stored_report(
    app, calls, runner, tmp_path
):
    stored = Path(app.instance_path) / "reports" / f"port-call-{calls[0]}"
    stored.mkdir(parents=True)
    (stored / f"port-call-{calls[0]}-report.pdf").write_bytes(b"%PDF-")
    runner.invoke(args=["archive-port-call", str(calls[0]), "--to", str(tmp_path / "a.zip")])
    result = runner.invoke(args=["purge-port-call", str(calls[0]), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Delete these records?" not in result.output
    assert sum(counts_by_call(app)[calls[0]].values()) == 0
    assert not stored.exists()
    assert "Deleted the stored report" in result.output


def test_cli_refuses_an_unarchived_call_and_an_unknown_one(app, calls, runner):
    result = runner.invoke(args=["purge-port-call", str(calls[0]), "--yes"])
    assert result.exit_code == 1
    assert "not been archived" in result.output
    unknown = runner.invoke(args=["purge-port-call", "9999"])
    assert unknown.exit_code == 1
    assert "No port call 9999" in unknown.output
    assert counts_by_call(app)[calls[0]]["Movement"] == 2
