"""The fleet watch list as the ship takes it (services/shore_link/fleet_watch.py): the shore's
answer applied in one transaction, a whole list lifting what it no longer names, and an answer
that cannot be read taken not at all."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gangway.db.models import WatchListEntry
from gangway.extensions import db
from gangway.services.errors import BadInput
from gangway.services.shore_link.fleet_watch import held_version, take_changes
from tests.conftest import NOW


def entry(entry_id: int, removed: bool = False, **fields) -> dict:
    return {"id": entry_id, "family_name": None, "given_names": None, "date_of_birth": None,
            "document_number": f"DOC{entry_id:05d}", "reason": "Fraud", "removed": removed,
            **fields}  # fmt: skip


def in_force(app) -> list[int]:
    with app.app_context():
        return sorted(
            db.session.scalars(
                select(WatchListEntry.fleet_entry_id).where(
                    WatchListEntry.source == "fleet", WatchListEntry.removed_at.is_(None)
                )
            )
        )


def test_changes_are_taken_a_whole_list_lifts_the_rest_and_a_bad_answer_takes_nothing(app):
    with app.app_context():
        first = {"version": 2, "full": True, "entries": [entry(1), entry(2)]}
        assert take_changes(db.session, first, NOW).added == 2
        later = {"version": 4, "full": False, "entries": [entry(2, removed=True), entry(3)]}
        assert (take_changes(db.session, later, NOW).removed, held_version(db.session)) == (1, 4)
    assert in_force(app) == [1, 3]
    with app.app_context():
        bad = [
            {"version": 5, "full": False, "entries": [entry(4), entry(5, document_number=None)]},
            {"version": 5, "full": False, "entries": [entry(4, date_of_birth="30/04/1980")]},
            {"version": "5", "entries": []},
            {"version": 5, "full": False, "entries": [entry(4, reason="x" * 300)]},
        ]
        for answer in bad:
            with pytest.raises(BadInput):
                take_changes(db.session, answer, NOW)
        assert held_version(db.session) == 4  # asked again at the next round
    assert in_force(app) == [1, 3]
    with app.app_context():  # the shore's whole list (a new shore, or since=0): only 3 stays
        whole = {"version": 1, "full": True, "entries": [entry(3)]}
        assert take_changes(db.session, whole, NOW).removed == 1
    assert in_force(app) == [3]
