"""A port call as JSON: the one shape the API documents, whose part the ship sends ashore."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from gangway.db.models import PortCall


def iso_time(at: datetime | None) -> str | None:
    """Return a time as the API writes it (ISO 8601 with its offset), None as None."""
    return at.isoformat() if at else None


def port_call_json(
    call: PortCall, time: Callable[[datetime | None], str | None] = iso_time
) -> dict:
    """Return a port call as the API documents it, its times written by `time`."""
    return {
        "id": call.id,
        "port_name": call.port_name,
        "unlocode": call.unlocode,
        "facility_name": call.facility_name,
        "berth": call.berth,
        "pfso_name": call.pfso_name,
        "pfso_contact": call.pfso_contact,
        "arrived_at": time(call.arrived_at),
        "departs_at": time(call.departs_at),
        "departed_at": time(call.departed_at),
        "port_security_level": call.port_security_level,
        "timezone": call.timezone,
        "share_documents": call.share_documents,
        "is_open": call.departed_at is None,
    }
