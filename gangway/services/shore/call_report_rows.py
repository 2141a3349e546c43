"""A shore record's content as a row of the port-call report's core (issue 17 point 4): the
converters services/shore/call_report.py feeds the core with, one per kind of record."""

from __future__ import annotations

from gangway.domain.reporting import port_call_report as core
from gangway.services.shore.facility import record_time


def full_name(family: str | None, given: str | None) -> str | None:
    return f"{family.upper()}, {given or ''}".rstrip(", ") if family is not None else None


def who(c: dict, people: dict) -> tuple[str | None, str | None, str | None]:
    """Return (kind, 'FAMILY, Given', company) as the record stored them, else as now."""
    if c.get("person_family_name") is not None:
        name = full_name(c["person_family_name"], c.get("person_given_names"))
        return c.get("person_kind"), name, c.get("person_company")
    p = people.get(c.get("person_id")) or {}
    return p.get("kind"), full_name(p.get("family_name"), p.get("given_names")), p.get("company")


def movement_row(c: dict, points: dict, people: dict) -> core.MovementRow:
    kind, name, _ = who(c, people)
    return core.MovementRow(
        c["id"], record_time(c.get("occurred_at")), c.get("direction"), kind, c.get("person_id"),
        c.get("purpose"), bool(c.get("searched")), c.get("escort_id") is not None,
        c.get("method"), name or "", points.get(c.get("access_point_id"), ""),
    )  # fmt: skip


def refusal_row(c: dict) -> core.RefusalRow:
    return core.RefusalRow(
        c["id"], record_time(c.get("occurred_at")), c.get("reason_code"), c.get("reason_codes"),
        c.get("reason_message"), c.get("direction"), c.get("person_id"), c.get("purpose"),
        c.get("method"),
    )  # fmt: skip


def refusal_party(c: dict, points: dict, people: dict) -> core.RefusalParty:
    kind, name, company = who(c, people)
    return core.RefusalParty(c["id"], name, kind, company, points.get(c.get("access_point_id"), ""))


def level_row(c: dict) -> core.LevelRow:
    return core.LevelRow(
        c["id"], c.get("level"), c.get("reason"), c.get("ordered_by"),
        record_time(c.get("notified_at")), record_time(c.get("complied_at"), None),
    )  # fmt: skip


def declaration_row(c: dict) -> core.DeclarationRow:
    t = record_time
    return core.DeclarationRow(
        c["id"], c.get("level"), c.get("ship_party_name"), c.get("port_party_name"),
        c.get("reason"), t(c.get("valid_from")), t(c.get("valid_until")), t(c.get("signed_at")),
    )  # fmt: skip
