"""The fleet search's keys and its grouping per person (pure): what a typed name finds, and who
is one person across ships."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gangway.domain.shore.name_keys import name_key, parse_query, person_key
from gangway.domain.shore.sightings import MOVED, REFUSED, Sighting, gather

AT = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def finds(typed: str, family: str, given: str) -> bool:
    """Tell whether the query finds the name, as PostgreSQL reads the tsquery on the tsvector."""
    stored = set((name_key(family, given) or "").split())
    return all(
        w.whole & stored or (w.parts and all(p & stored for p in w.parts))
        for w in parse_query(typed).words
    )


@pytest.mark.parametrize(
    ("typed", "family", "given", "found"),
    [
        ("Müller Hans", "MUELLER", "HANS", True),  # a passport's zone spells it so
        ("mueller", "Müller", "Hans", True),
        ("muller", "MUELLER", "Hans", True),  # the accent not typed
        ("HANS PETER", "Schmidt", "hans-peter", True),
        ("hanspeter", "Schmidt", "Hans-Peter", True),
        ("o'brien", "OBRIEN", "Sean", True),
        ("obrien seán", "O'Brien", "Sean", True),
        ("peter hans schmidt", "SCHMIDT", "Hans Peter", True),  # any order
        ("hans maria", "Schmidt", "Hans Peter", False),  # every word typed must be there
        ("ØRSTED", "Oersted", "Anders", True),
    ],
)
def test_a_typed_name_finds_the_record_in_any_order_case_and_spelling(typed, family, given, found):
    assert finds(typed, family, given) is found


def seen(ship: int, record: str, days: int, **fields) -> Sighting:
    defaults = {"person_id": None, "document": None, "person_key": person_key("Dias", "Ana")}
    return Sighting(
        ship_id=ship, record=record, record_id=days, at=AT + timedelta(days=days),
        name="DIAS, Ana", **(defaults | fields),
    )  # fmt: skip


def test_a_refusal_without_document_joins_the_one_documented_person_of_that_name():
    refusal = seen(1, REFUSED, 0, reason_code="watch_listed")
    boarded = seen(2, MOVED, 1, person_id=7, document="P1", direction="board")
    (person,) = gather([refusal, boarded])
    ((refused, then, _),) = person.refused_then_seen
    assert (refused.ship_id, then.ship_id) == (1, 2)
    assert [line.after_refusal_on for line in person.lines] == [1, None]


def test_namesakes_with_different_documents_stay_apart_and_are_not_marked():
    refusal = seen(1, REFUSED, 0, document="P1")
    namesake = seen(2, MOVED, 1, person_id=7, document="P2", direction="board")
    undocumented = seen(3, MOVED, 2, person_id=3, direction="board")  # which of them? neither
    persons = gather([refusal, namesake, undocumented])
    assert len(persons) == 3
    assert all(not p.refused_then_seen for p in persons)


def test_seen_on_another_ship_before_the_refusal_is_not_the_case():
    before = seen(2, MOVED, 0, document="P1", direction="board")
    refusal = seen(1, REFUSED, 1, document="P1")
    (person,) = gather([before, refusal])
    assert person.refused_then_seen == []
