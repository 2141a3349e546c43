"""Typed models: data only, no rules (those live in gangway.domain)."""

from gangway.models.accounts import ROLES, ApiToken, LoginSession, User
from gangway.models.audit import AuditEntry, AuditFieldSet
from gangway.models.jobs import Job
from gangway.models.offline import OfflinePack
from gangway.models.people import Badge, Person, PersonRename, WatchListEntry
from gangway.models.records import Movement, Refusal
from gangway.models.reports import ReportSnapshot
from gangway.models.security import Declaration, RefusalFollowUp, ReportSignOff
from gangway.models.ship import AccessPoint, LevelChange, PlanRevision, PortCall, Ship, Voyage

__all__ = [
    "ROLES",
    "AccessPoint",
    "ApiToken",
    "AuditEntry",
    "AuditFieldSet",
    "Badge",
    "Declaration",
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
    "User",
    "Voyage",
    "WatchListEntry",
]
