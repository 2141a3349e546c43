"""What a watch tablet keeps to check badges while the network is down.

The badge signature proves a code was issued by the ship (ISPS B/9.11); the roster says whose it
is and the revocation list which badges no longer count. No photos and no document numbers leave
the ship's server: the tablet only needs to name the holder and apply the plan's basic rules.
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import Badge, Person, PortCall
from gangway.domain.scan.identity import find_watch_list_match
from gangway.domain.scan.types import PersonKind
from gangway.services.offline.late_scans import Device, issue_pack
from gangway.services.scan.credentials import active_watch_list
from gangway.services.scan.facts import point_facts
from gangway.services.scan.replay import CLOCK_SKEW, MAX_OFFLINE_AGE
from gangway.services.ship.ship import current_policy, list_access_points

LAPSED_KEPT = timedelta(days=30)  # lapsed badges stay listed: leaving on one is allowed, warned


def issue_offline_pack(
    session: Session, device: Device, *, now: datetime, public_keys: dict[int, Ed25519PublicKey]
) -> dict:
    """Record a pack issued to this device (chained) and return it with its id and issue time.

    The tablet sends the id back with each scan it queues: a late scan is judged with what this
    pack held (services/late_scans.py).
    """
    pack = build_offline_pack(session, now=now, public_keys=public_keys)
    issued = issue_pack(session, device, now)
    session.commit()
    return {**pack, "pack_id": issued.pack_key, "issued_at": issued.issued_at.isoformat()}


def build_offline_pack(
    session: Session, *, now: datetime, public_keys: dict[int, Ed25519PublicKey]
) -> dict:
    """Return the keys, roster, revoked badge ids and plan basics for offline checks."""
    policy = current_policy(session)
    watch_list = active_watch_list(session)
    stmt = (
        select(Badge, Person, PortCall.departed_at)
        .join(Person, Badge.person_id == Person.id)
        .outerjoin(PortCall, Badge.port_call_id == PortCall.id)
        # Signed-off crew stay listed: they are refused boarding but may still walk off.
        .where(
            Badge.valid_until > now - LAPSED_KEPT,
            Person.is_enabled | (Person.kind == PersonKind.CREW.value),
        )
        .order_by(Badge.id)
    )
    badges, revoked = [], []
    for badge, person, call_ended_at in session.execute(stmt):
        if badge.revoked_at is not None:  # listed too: the holder's name shows as they leave
            revoked.append(badge.id)
        entry = find_watch_list_match(
            person.family_name, person.given_names, person.document_number, watch_list
        )
        badges.append(
            {
                "badge_id": badge.id,
                "valid_from": badge.valid_from.isoformat(),
                # A visitor's badge ends with its port call: the tablet sees it as expired then.
                "valid_until": min(
                    badge.valid_until, call_ended_at or badge.valid_until
                ).isoformat(),
                "person": _person(person, _watch_reason(entry)),
            }
        )
    points = [point_facts(p) for p in list_access_points(session)]
    return {
        "generated_at": now.isoformat(),
        "max_age_hours": int(MAX_OFFLINE_AGE.total_seconds() // 3600),
        "clock_skew_seconds": int(CLOCK_SKEW.total_seconds()),
        "keys": [
            {"key_id": key_id, "alg": "Ed25519", "public_key": _raw_b64(key)}
            for key_id, key in sorted(public_keys.items())
        ],
        "policy": {
            "level": int(policy.level),
            "embarkation_suspended": policy.embarkation_suspended,
            "disembarkation_suspended": policy.disembarkation_suspended,
            "escorted_kinds": sorted(k.value for k in policy.escorted_kinds),
            "purpose_required_for": sorted(k.value for k in policy.purpose_required_for),
            "crew_board_at_level_3": policy.crew_board_at_level_3,
            # Anti-passback per kind: the same verdict offline as online (domain/access.py).
            "passback_refuse_board": sorted(k.value for k in policy.passback_refuse_board),
            "passback_refuse_depart": sorted(k.value for k in policy.passback_refuse_depart),
            "access_points": [
                {
                    "code": p.code,
                    "name": p.name,
                    "open_levels": sorted(p.open_levels),
                    "one_way": p.one_way.value if p.one_way else None,
                }
                for p in points
            ],
        },
        "badges": badges,
        "revoked": revoked,
    }


def _watch_reason(entry) -> str | None:
    """Return the reason the tablet shows offline, naming the fleet list where it is its."""
    if entry is None:
        return None
    fleet = entry.source == "fleet"
    return f"{entry.reason} (fleet watch list, CSO ashore)" if fleet else entry.reason


def _person(person: Person, watch_reason: str | None) -> dict:
    """Return what the watch needs to recognise and check the holder, nothing more."""
    wo_from, wo_until = person.work_order_valid_from, person.work_order_valid_until
    return {
        "id": person.id,
        "name": person.display_name,
        "kind": person.kind,
        "rank": person.rank,
        "company": person.company,
        "is_responder": person.is_responder,
        "signed_off": not person.is_enabled,  # crew only: the others are not listed then
        "aboard": person.aboard_movement_id is not None,  # across: aboard leaves, ashore boards
        "purpose": person.purpose,
        "work_order_valid_from": wo_from.isoformat() if wo_from else None,
        "work_order_valid_until": wo_until.isoformat() if wo_until else None,
        "watch_listed": watch_reason,
    }


def _raw_b64(key: Ed25519PublicKey) -> str:
    """Return the 32-byte public key, base64url without padding (WebCrypto imports it raw)."""
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
