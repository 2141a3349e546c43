"""What is chained: the record tables of the audit chain and the kind of entry each change makes.

Rule source: ISPS Code A/10.1 (which records are kept: security incidents, changes in security
level, breaches, ...) and A/10.3 (kept so that they cannot be amended unseen). A row of these
tables gets an entry when it is added and when a column that is the record changes; the hashing
is gangway.domain.records.audit_chain.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gangway.domain.ship.plan import MEASURES


@dataclass(frozen=True)
class Chained:
    """How one table's rows are chained: the kind of entry when a row is added or changed."""

    created: str
    changes: tuple[tuple[str, str], ...] = ()  # (column, kind): first one that changed names it
    ignored: frozenset[str] = frozenset()  # bookkeeping columns that are not the record
    append_only: bool = False  # never edited nor deleted: a correction is a new row


# What is chained (table name -> kinds). The records of ISPS A/10.1 and who may act on them.
CHAINED: dict[str, Chained] = {
    "movement": Chained("movement.recorded", append_only=True),
    "refusal": Chained("refusal.recorded", append_only=True),
    "refusal_follow_up": Chained("refusal.acknowledged", append_only=True),
    "level_change": Chained("level.changed", append_only=True),
    "plan_revision": Chained("plan.changed", append_only=True),
    "declaration": Chained("declaration.recorded", append_only=True),
    "report_sign_off": Chained("report.signed_off", append_only=True),
    "badge": Chained("badge.issued", (("revoked_at", "badge.revoked"),)),
    "port_call": Chained(
        "port_call.opened",
        (
            ("departed_at", "port_call.closed"),
            ("archived_at", "port_call.archived"),
            ("share_documents", "port_call.document_sharing_changed"),
        ),
    ),
    "voyage": Chained("voyage.started", (("ended_at", "voyage.ended"),)),
    "user": Chained(
        "user.created",
        (
            ("role", "user.role_changed"),
            ("is_enabled", "user.enabled_changed"),
            ("password_hash", "user.password_changed"),
            ("facility_name", "user.facility_changed"),
            ("facility_unlocode", "user.facility_changed"),
        ),
        # Counted on every login attempt; the failures themselves are "login.failed" entries.
        frozenset({"failed_logins", "locked_until"}),
    ),
    "api_token": Chained(
        "api_token.created",
        (("revoked_at", "api_token.revoked"), ("is_device", "api_token.device_changed")),
    ),
    # Late scans are judged against the pack the tablet held: its issue time is evidence.
    "offline_pack": Chained("offline_pack.issued", append_only=True),
    "watch_list_entry": Chained("watch_list.added", (("removed_at", "watch_list.removed"),)),
    # Ashore: the CSO's fleet watch list (issue 17 point 6), every ship takes it at its contact.
    "fleet_watch_entry": Chained("fleet_watch.added", (("removed_at", "fleet_watch.removed"),)),
    # Who crosses: who is aboard and the crew page show these; each record keeps its own copy.
    "person": Chained(
        "person.registered",
        (
            ("is_enabled", "person.enabled_changed"),
            ("family_name", "person.renamed"),
            ("given_names", "person.renamed"),
        ),
        # Presence: every scan moves it (services/scan_writes.py, outside the ORM), so it is
        # not in the digest; it is a function of the chained movements (domain/presence_log.py)
        # and verify-log and every scan recompute it from them instead.
        frozenset({"aboard_movement_id"}),
    ),
    # A document photo the SSO kept (issue 18): its SHA-256 chained, the image beside it.
    # Its kind must not end in ".deleted": the row stays, with who deleted the image when.
    "document_photo": Chained("document_photo.kept", (("deleted_at", "document_photo.removed"),)),
    # The name a person had before a rename (the records keep theirs: movement.person_*).
    "person_rename": Chained("person_rename.recorded", append_only=True),
    # The level and the plan's measures in force: what every scan reads (B/9.13-9.17).
    "ship": Chained(
        "ship.registered",
        (
            ("security_level", "ship.level_set"),
            *((c, "ship.plan_changed") for c in MEASURES),
        ),
    ),
    # A stored copy of a report: its files' hashes are chained once the copy is written (the
    # job's status, its error and the mailing are bookkeeping, claimed with a bulk UPDATE).
    "report_snapshot": Chained(
        "report.requested",
        (("html_sha256", "report.stored"), ("pdf_sha256", "report.stored")),
        frozenset({"status", "error", "mailed_to", "mail_error"}),
    ),
    # The Security Report's particulars and certificate, and ship-to-ship activities (issue 19).
    "ship_particulars": Chained("ship_particulars.recorded", append_only=True),
    "sts_activity": Chained("sts_activity.recorded", append_only=True),
    # A port state control officer's access (issue 19); each page they open is an
    # "inspection.viewed" event (gangway.services.inspections.pages).
    "inspection_access": Chained(
        "inspection.issued",
        (("revoked_at", "inspection.revoked"), ("link_used_at", "inspection.opened")),
    ),
    "access_point": Chained(
        "access_point.added",
        tuple(
            (c, "access_point.plan_changed")
            for c in ("open_at_1", "open_at_2", "open_at_3", "one_way")
        ),
    ),
}
# Chained by a later version: a database upgraded across `CHAINED_LATER[table]` (an Alembic
# revision) adopts that table's rows once, at `gangway init-db` (cli.py).
CHAINED_LATER = {
    "person": "d5e0c4a1b209",
    "access_point": "d5e0c4a1b209",
    "plan_revision": "d6f1a2b3c410",  # created then, with the plan as it stood
    "ship": "b8c4e2f1a710",
    "report_snapshot": "b8c4e2f1a710",
    "voyage": "f3b1c2d4e5a6",  # created then, for the stretches at sea between past calls
}


def change_kind(table: str, changed: Iterable[str]) -> str:
    """Name the entry for a change of a chained row, from the columns that changed."""
    changed = set(changed)
    kind = next((k for column, k in CHAINED[table].changes if column in changed), None)
    return kind or f"{table}.changed"
