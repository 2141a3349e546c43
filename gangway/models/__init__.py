"""Typed models: data only, no rules (those live in gangway.domain)."""

from .accounts import ROLES, ApiToken, LoginSession, User
from .audit import AuditEntry, AuditFieldSet
from .jobs import Job
from .offline import OfflinePack
from .people import Badge, Person, PersonRename, WatchListEntry
from .records import Movement, Refusal
from .reports import ReportSnapshot
from .security import Declaration, RefusalFollowUp, ReportSignOff
from .ship import AccessPoint, LevelChange, PlanRevision, PortCall, Ship, Voyage

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
