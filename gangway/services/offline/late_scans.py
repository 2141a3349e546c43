"""Late scans: a check made offline is judged with the offline pack the tablet held.

Rule source: ISPS Code B/9.11 (the identification system is "regularly updated", so a badge
revoked, a level raised or an expiry passed reaches every tablet with its next pack) and A/10.1
(every check made is recorded). A scan claiming a past time must name the pack it was checked
with: it cannot claim a time before that pack was issued (the tablet knew of everything the pack
held), and only a device that fetched packs (a tablet's session, or a token the admin marked as
a device) can claim a past time at all.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import ApiToken, AuditEntry, OfflinePack
from gangway.services.accounts.accounts import hash_token
from gangway.services.audit.content import chained_fields, content_digest, row_content
from gangway.services.errors import LateScanRefused
from gangway.services.scan.input import LIVE_SCAN
from gangway.services.scan.replay import CLOCK_SKEW

MAX_PACK_KEY = 36


@dataclass(frozen=True)
class Device:
    """Who sends a scan: a browser session (token None) or an API token, marked a device or not."""

    user_id: int
    token_id: int | None = None
    is_device: bool = True  # a browser session is the tablet itself


@dataclass(frozen=True)
class Caller:
    """A request from outside the app: the bearer token it carries (None: a browser session)."""

    bearer: str | None = None


def caller_device(session: Session, user_id: int, bearer: str | None) -> Device:
    """Return the device behind a request: the bearer token when it is the caller's, else the
    browser session."""
    if bearer:
        stmt = select(ApiToken).where(
            ApiToken.token_hash == hash_token(bearer), ApiToken.revoked_at.is_(None)
        )
        token = session.scalars(stmt).first()
        if token is not None and token.user_id == user_id:
            return Device(user_id, token.id, token.is_device)
    return Device(user_id)


def issue_pack(session: Session, device: Device, now: datetime) -> OfflinePack:
    """Record a pack handed to a device (chained, offline_pack.issued); the caller commits."""
    pack = OfflinePack(
        pack_key=str(uuid.uuid4()), issued_at=now, user_id=device.user_id,
        api_token_id=device.token_id,
    )  # fmt: skip
    session.add(pack)
    session.flush()
    return pack


def held_pack(
    session: Session, pack_key: str | None, scanned_at: datetime, device: Device | None,
    *, skew: timedelta,
) -> OfflinePack:  # fmt: skip
    """Return the pack a late scan was checked with, or refuse the claim.

    :param device: None for a caller inside the app (a service, the CLI): no device check.
    :raises LateScanRefused: not a device (403), no pack, an unknown pack or another device's,
        or a scan time before the pack was issued (beyond the tablet's clock skew).
    """
    if device is not None and not device.is_device:
        raise LateScanRefused(
            "not_a_device", "scanned_at",
            "Only a tablet can send scans made offline: ask the admin to mark this API token "
            "as a device, or send the scan without scanned_at.",
            status=403,
        )  # fmt: skip
    if not pack_key:
        raise LateScanRefused(
            "pack_missing", "pack_id",
            "A scan sent late needs the pack_id of the offline pack it was checked with.",
        )  # fmt: skip
    pack = None
    if len(pack_key) <= MAX_PACK_KEY:
        pack = session.scalars(select(OfflinePack).where(OfflinePack.pack_key == pack_key)).first()
    if pack is None or not _on_chain(session, pack):  # a row made or edited beside the app
        raise LateScanRefused(
            "pack_unknown", "pack_id", "This ship never issued that offline pack."
        )
    if device is not None and (pack.user_id, pack.api_token_id) != (
        device.user_id,
        device.token_id,
    ):
        raise LateScanRefused(
            "pack_other_device", "pack_id", "That offline pack was issued to another device."
        )
    if scanned_at < pack.issued_at - skew:
        raise LateScanRefused(
            "scan_before_pack", "scanned_at",
            "scanned_at is before the offline pack it was checked with was issued: check "
            "the tablet's clock.",
        )  # fmt: skip
    return pack


def _on_chain(session: Session, pack: OfflinePack) -> bool:
    """Tell whether the pack's row is as its chain entry recorded it (issue time, device)."""
    table = OfflinePack.__table__
    row = session.connection().execute(select(table).where(table.c.id == pack.id)).one()
    digest = content_digest(row_content(table, row), chained_fields(table.name))
    stmt = select(AuditEntry.seq).where(
        AuditEntry.record_table == table.name,
        AuditEntry.record_id == pack.id,
        AuditEntry.digest == digest,
    )
    return session.scalars(stmt).first() is not None


def judged_at(scanned_at: datetime, pack: OfflinePack | None) -> datetime:
    """Return the time a late scan's rules are judged at: the later of its time and its pack's.

    Per rule (services/scanning.py): at this time, what the tablet knew or should have: the
    badge's revocation and validity window, the contractor's work order, the security level and
    the plan (suspensions, search rates, escorted kinds, which access points were open). At the
    scan time itself, the facts of the crossing: the port call it is filed under and whether the
    person was aboard. Today's: the watch list and the person's record (as for every scan).

    Why: ISPS Code B/9.11 asks that "the identification systems are regularly updated": the
    tablet's was updated when it fetched the pack, so a revocation, a level change or an expiry
    recorded before the pack's issue was known to it. A scan time a little before the issue (a
    tablet clock behind, within the skew) is accepted, but cannot reach behind what the pack
    held.
    """
    if pack is None:
        return scanned_at
    return max(scanned_at, pack.issued_at)


def sent_late(data, now: datetime) -> bool:
    """Tell whether a scan's device time is over a minute old: the person has long crossed."""
    return data.scanned_at is not None and now - data.scanned_at > LIVE_SCAN


def late_pack(
    session: Session, data, when: datetime, user_id: int, caller: Caller | None
) -> OfflinePack:
    """Return the offline pack a late scan was checked with (caller None: inside the app)."""
    device = caller_device(session, user_id, caller.bearer) if caller else None
    return held_pack(session, data.pack_id, when, device, skew=CLOCK_SKEW)
