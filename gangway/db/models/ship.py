"""The ship, its port calls, access points and security level changes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gangway.db.types import UTCDateTime, utcnow
from gangway.domain.ship.plan import OpenLevels
from gangway.extensions import db

PASSBACK_BOARD = "crew,passenger,visitor,contractor,authority"  # the plan's default: all kinds


class Ship(db.Model):
    """The ship this installation serves, and its security level in force."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    imo_number: Mapped[str | None] = mapped_column(String(16))
    flag_state: Mapped[str | None] = mapped_column(String(64))
    security_level: Mapped[int] = mapped_column(default=1)
    # The ship security plan's gangway measures (B/9.13-9.17), set by the SSO.
    embarkation_suspended: Mapped[bool] = mapped_column(default=False)
    disembarkation_suspended: Mapped[bool] = mapped_column(default=False)
    search_percent_1: Mapped[int] = mapped_column(default=10)
    search_percent_2: Mapped[int] = mapped_column(default=25)
    search_percent_3: Mapped[int] = mapped_column(default=100)
    search_crew: Mapped[bool] = mapped_column(default=False)
    escort_ratio: Mapped[int] = mapped_column(default=5)
    escorted_kinds: Mapped[str] = mapped_column(String(100), default="visitor,contractor")
    # B/9.17.2: at level 3 only those responding board; the ship's own crew are part of the
    # response unless the plan says otherwise.
    crew_board_at_level_3: Mapped[bool] = mapped_column(default=True)
    # Anti-passback per kind of person (comma-separated kinds): refused boarding while recorded
    # aboard, refused leaving while not recorded aboard; the other kinds are flagged.
    passback_refuse_board: Mapped[str] = mapped_column(String(100), default=PASSBACK_BOARD)
    passback_refuse_depart: Mapped[str] = mapped_column(String(100), default="")


class PortCall(db.Model):
    """A stay at a port facility; records made during it belong to it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    port_name: Mapped[str] = mapped_column(String(120))
    unlocode: Mapped[str | None] = mapped_column(String(5))
    facility_name: Mapped[str | None] = mapped_column(String(120))
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime)
    departs_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # scheduled (ETD)
    departed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # actual; None while in port
    port_security_level: Mapped[int | None] = mapped_column()  # the port facility's level
    berth: Mapped[str | None] = mapped_column(String(120))
    pfso_name: Mapped[str | None] = mapped_column(String(120))
    pfso_contact: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(
        String(64), default="UTC"
    )  # IANA name, e.g. Europe/Amsterdam
    share_documents: Mapped[bool] = mapped_column(default=False)  # PFSO sees full document numbers
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Voyage(db.Model):
    """The ship at sea between two port calls: records made then belong to it (A/10.1).

    Started when a port call is closed (or, before any call, with the first record at sea),
    ended when the next call is opened; so every movement and refusal has a port call or a
    voyage, and the reports and the log show it.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: at sea now
    from_port_call_id: Mapped[int | None] = mapped_column(ForeignKey("port_call.id"))
    to_port_call_id: Mapped[int | None] = mapped_column(ForeignKey("port_call.id"))


class AccessPoint(db.Model):
    """A means of access to the ship (gangway, accommodation ladder, ...): B/9.9."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(32), default="gangway")
    is_enabled: Mapped[bool] = mapped_column(default=True)
    # The plan per level (B/9.16.1 fewer access points at level 2; one at level 3).
    open_at_1: Mapped[bool] = mapped_column(default=True)
    open_at_2: Mapped[bool] = mapped_column(default=True)
    open_at_3: Mapped[bool] = mapped_column(default=False)
    # B/9.14.5: "board" or "depart" for a point that serves one direction only; None: both.
    one_way: Mapped[str | None] = mapped_column(String(8))

    @property
    def open_levels(self) -> OpenLevels:
        """Return the levels at which the plan keeps this point open."""
        return OpenLevels.from_columns(self)

    @open_levels.setter
    def open_levels(self, levels: OpenLevels) -> None:
        for name, is_open in levels.columns().items():
            setattr(self, name, is_open)


class LevelChange(db.Model):
    """A change of the ship's security level (ISPS A/10.1.4; 33 CFR 104.235)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[int]
    reason: Mapped[str] = mapped_column(String(255))
    ordered_by: Mapped[str] = mapped_column(String(32))  # flag_state, port_state, company, own
    notified_at: Mapped[datetime] = mapped_column(UTCDateTime)
    complied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    port_call_id: Mapped[int | None] = mapped_column(ForeignKey("port_call.id"))


class PlanRevision(db.Model):
    """The gangway measures of the plan as they stood from `recorded_at` until the next revision.

    Written whenever the ship's measures or an access point change (services/plan_history.py),
    so that a check sent late by an offline tablet is judged under the plan in force when it was
    made (B/9.17 suspensions; B/9.9, 9.16 access points), and a suspension is on the record.
    The level has its own history (LevelChange).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    embarkation_suspended: Mapped[bool]
    disembarkation_suspended: Mapped[bool]
    search_percent_1: Mapped[int]
    search_percent_2: Mapped[int]
    search_percent_3: Mapped[int]
    search_crew: Mapped[bool]
    escort_ratio: Mapped[int]
    escorted_kinds: Mapped[str] = mapped_column(String(100))
    crew_board_at_level_3: Mapped[bool] = mapped_column(default=True)
    passback_refuse_board: Mapped[str] = mapped_column(String(100), default=PASSBACK_BOARD)
    passback_refuse_depart: Mapped[str] = mapped_column(String(100), default="")
    # The enabled access points and the levels each is open at: {"GW": "110", ...} as JSON,
    # with "b" or "d" appended for a point that serves boarding or leaving only ("110b").
    open_points: Mapped[str] = mapped_column(Text)
