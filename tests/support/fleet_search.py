"""The fleet search's test fleet (issue 17 point 4): ships that sent, as their senders do, the
records of a person refused on one ship who then boarded another, and of a namesake."""

from __future__ import annotations

from datetime import timedelta

from gangway.domain.records.audit_chain import digest, next_entry
from tests.support.shore import AT, _wire, add_test_ship, batch, send

DOC = "P1234567"


def records(*rows: tuple[str, int, dict]) -> list[dict]:
    """Return a ship's chain from genesis carrying these (table, id, content) records."""
    out, head = [], None
    for seq, (table, record_id, content) in enumerate(rows, 1):
        fields = sorted(content)
        value = digest({f: content[f] for f in fields})
        e = next_entry(
            head, f"{table}.recorded", table, record_id, value, AT + timedelta(seconds=seq)
        )
        out.append(_wire(e) | {"payload": None, "fields": fields, "content": content})
        head = (e.seq, e.entry_hash)
    return out


def at(days: int) -> str:
    return (AT + timedelta(days=days)).isoformat(timespec="microseconds")


def call(port: str, unlocode: str, arrived: int) -> dict:
    return {"port_name": port, "unlocode": unlocode, "facility_name": "Terminal 1",
            "arrived_at": at(arrived), "timezone": "Europe/Berlin"}  # fmt: skip


def person(family: str, given: str, document: str, created: int, kind: str = "visitor") -> dict:
    return {"kind": kind, "family_name": family, "given_names": given,
            "document_number": document, "created_at": at(created)}  # fmt: skip


def crossing(table: str, person_id, family, given, document, day: int, call_id: int, **more):
    return {"person_id": person_id, "person_family_name": family, "person_given_names": given,
            "person_document_number": document, "person_kind": "visitor", "direction": "board",
            "occurred_at": at(day), "port_call_id": call_id, **more}  # fmt: skip


def send_fleet(app) -> dict[str, str]:
    """Add three ships and send their chains; return their IMO numbers by name.

    Aurora refused Müller-Lüdenscheidt (no person on record, the document typed); Borealis
    registered him from his passport's zone two days later and he boarded; Caledonia has a
    namesake with another passport, seen before the refusal.
    """
    client, ships = app.test_client(), {}
    refused = crossing("refusal", None, "Müller-Lüdenscheidt", "Hans Peter", "P 123 4567", 1,
                       40, reason_code="watch_listed")  # fmt: skip
    name = "MUELLER LUEDENSCHEIDT", "HANS PETER"  # as a passport's zone writes it
    chains = {
        "MV Aurora": [("port_call", 40, call("Rotterdam", "NLRTM", 0)), ("refusal", 1, refused)],
        "MV Borealis": [
            ("port_call", 7, call("Hamburg", "DEHAM", 2)),
            ("person", 9, person(*name, DOC, 3, "contractor")),
            ("movement", 3, crossing("movement", 9, *name, DOC, 4, 7)),
        ],
        "MV Caledonia": [
            ("person", 2, person("Muller", "Hans", "C9876543", 0)),
            ("movement", 5, crossing("movement", 2, "Muller", "Hans", "C9876543", 0, None)),
        ],
    }  # fmt: skip
    for ship, rows in chains.items():
        imo, token = add_test_ship(app, ship)
        answer = send(client, token, batch(imo, records(*rows)))
        assert answer.status_code == 200, answer.get_data(as_text=True)
        ships[ship] = imo
    return ships
