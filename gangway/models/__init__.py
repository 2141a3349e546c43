"""Typed models: data only, no rules (those live in gangway.domain)."""

from .accounts import ROLES, ApiToken, User
from .people import Badge, Person, WatchListEntry
from .records import Movement, Refusal
from .security import Declaration, RefusalFollowUp, ReportSignOff
from .ship import AccessPoint, LevelChange, PortCall, Ship

__all__ = [
    "ROLES",
    "AccessPoint",
    "ApiToken",
    "Badge",
    "Declaration",
    "LevelChange",
    "Movement",
    "Person",
    "PortCall",
    "Refusal",
    "RefusalFollowUp",
    "ReportSignOff",
    "Ship",
    "User",
    "WatchListEntry",
]
