"""Typed models: data only, no rules (those live in gangway.domain)."""

from gangway.db.models.accounts import ROLES, ApiToken, LoginSession, User
from gangway.db.models.audit import AuditEntry, AuditFieldSet
from gangway.db.models.fleet_watch import FleetWatchEntry
from gangway.db.models.inspections import InspectionAccess
from gangway.db.models.jobs import Job
from gangway.db.models.offline import OfflinePack
from gangway.db.models.particulars import ShipParticulars, StsActivity
from gangway.db.models.people import (
    Badge,
    DocumentPhoto,
    DocumentPhotoImage,
    Person,
    PersonRename,
    WatchListEntry,
)
from gangway.db.models.records import Movement, Refusal
from gangway.db.models.reports import ReportSnapshot
from gangway.db.models.security import Declaration, RefusalFollowUp, ReportSignOff
from gangway.db.models.ship import AccessPoint, LevelChange, PlanRevision, PortCall, Ship, Voyage
from gangway.db.models.shore import ShoreEntry, ShorePhoto, ShoreQuarantine, ShoreShip
from gangway.db.models.shore_link import ShoreLink
from gangway.db.models.shore_records import ShoreRecord

__all__ = [
    "ROLES",
    "AccessPoint",
    "ApiToken",
    "AuditEntry",
    "AuditFieldSet",
    "Badge",
    "Declaration",
    "DocumentPhoto",
    "DocumentPhotoImage",
    "FleetWatchEntry",
    "InspectionAccess",
    "Job",
    "LevelChange",
    "LoginSession",
    "Movement",
    "OfflinePack",
    "Person",
    "PersonRename",
    "PlanRevision",
    "PortCall",
    "Refusal",
    "RefusalFollowUp",
    "ReportSignOff",
    "ReportSnapshot",
    "Ship",
    "ShipParticulars",
    "ShoreEntry",
    "ShorePhoto",
    "ShoreQuarantine",
    "ShoreRecord",
    "ShoreShip",
    "ShoreLink",
    "StsActivity",
    "User",
    "Voyage",
    "WatchListEntry",
]
