"""Typed models: data only, no rules (those live in gangway.domain)."""

from .accounts import ROLES, ApiToken, User
from .audit import AuditEntry, AuditFieldSet
from .people import Badge, Person, WatchListEntry
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
    "LevelChange",
    "Movement",
    "Person",
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
