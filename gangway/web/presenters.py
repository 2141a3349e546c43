"""Turn service outcomes into plain dicts: one shape for the JSON API and the templates."""

from __future__ import annotations

from datetime import datetime

from flask import url_for

from gangway.db.models import Person
from gangway.domain.reporting.access_log import local_time
from gangway.services.scan.rows import PersonRow
from gangway.services.scan.scanning import ScanOutcome


def person_summary(person: Person | PersonRow | None) -> dict | None:
    """Return what the gangway needs to recognise a person."""
    if person is None:
        return None
    return {
        "id": person.id,
        "name": person.display_name,
        "kind": person.kind,
        "company": person.company,
        "rank": person.rank,
        "photo_url": url_for("watch.photo", person_id=person.id) if person.photo_path else None,
    }


def recorded_person(record) -> dict | None:
    """Return a movement's or refusal's person as the record stored them (name, kind, company)."""
    summary = person_summary(record.person)
    if summary is None or record.person_family_name is None:
        return summary
    recorded = {"name": record.recorded_name, "kind": record.person_kind}
    return summary | recorded | {"company": record.person_company}


def scan_result(outcome: ScanOutcome) -> dict:
    """Return the verdict, every reason and the record written, as the API documents it."""
    decision = outcome.decision
    record = outcome.record
    return {
        "verdict": decision.verdict.value,
        "direction": decision.direction.value,
        "reasons": [
            {"code": r.code, "message": r.message, "severity": r.severity.value}
            for r in decision.reasons
        ],
        "person": _scanned_person(outcome),
        "access_point": outcome.access_point.code,
        "purpose": outcome.purpose,
        "credential": record.credential if record else None,
        "search_required": decision.search_required,
        "escort": person_summary(outcome.escort),
        "record_id": outcome.record_id,
    }


def _scanned_person(outcome: ScanOutcome) -> dict | None:
    """Return the person scanned, with the name their last crossing recorded if renamed since."""
    summary = person_summary(outcome.person)
    if summary is not None and outcome.last_seen_as:
        summary["last_seen_as"] = outcome.last_seen_as
    return summary


def utc_and_local(at: datetime, zone: str | None) -> str:
    """Return a time as people read it: 24-hour ISO in UTC, and in port time when one is known."""
    text = f"{at:%Y-%m-%d %H:%M} UTC"
    if not zone or zone == "UTC":
        return text
    local = local_time(at, zone)
    shown = f"{local:%H:%M}" if local.date() == at.date() else f"{local:%Y-%m-%d %H:%M}"
    return f"{text} ({shown} {zone})"
