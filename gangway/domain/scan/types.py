"""Values shared by the decision core: enums, facts and decisions.

Vocabulary follows the ISPS Code Part B section 9 (ship security plan, access control).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pass_validity imports this module
    from gangway.domain.scan.pass_validity import PassFacts


class SecurityLevel(enum.IntEnum):
    """ISPS security level in force on the ship (SOLAS XI-2/1.1.9-11)."""

    LEVEL_1 = 1
    LEVEL_2 = 2
    LEVEL_3 = 3


class PersonKind(enum.StrEnum):
    """Who a person is to the ship; B/9.11 gives crew permanent and visitors temporary IDs."""

    CREW = "crew"
    PASSENGER = "passenger"
    VISITOR = "visitor"
    CONTRACTOR = "contractor"
    AUTHORITY = "authority"


class Direction(enum.StrEnum):
    """Which way a person crosses the gangway."""

    BOARD = "board"
    DEPART = "depart"


class Verdict(enum.StrEnum):
    """What the gangway watch is told to do."""

    ALLOWED = "allowed"
    REFUSED = "refused"
    ESCORT_NEEDED = "escort_needed"  # level 2: not yet a movement until an escort is assigned
    PURPOSE_NEEDED = "purpose_needed"  # no purpose on record: the watch asks, then it is decided


class Method(enum.StrEnum):
    """How the credential reached the app."""

    SCAN = "scan"  # hardware scanner typing into the page (keyboard wedge)
    PHOTO = "photo"  # photo taken with the tablet and decoded on the server
    CAMERA = "camera"  # live camera scanning in the browser
    MANUAL = "manual"  # identity document inspected by hand
    DOCUMENT = "document"  # identity document read from a photo (Check ID)


class Credential(enum.StrEnum):
    """What the person presented (B/9.14.1: badges, boarding passes, identity documents)."""

    BADGE = "badge"
    BOARDING_PASS = "boarding_pass"
    ID_DOCUMENT = "id_document"


class Severity(enum.StrEnum):
    """A refusal reason blocks; a warning is shown and recorded but lets the movement happen."""

    REFUSAL = "refusal"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Reason:
    """A stable machine code plus the words the watch reads."""

    code: str
    message: str
    severity: Severity = Severity.REFUSAL
    ref: int | None = None  # the record the reason points to (a watch list entry)


@dataclass(frozen=True, slots=True)
class BadgeClaims:
    """What a verified badge code says, signed by the ship."""

    badge_id: int
    valid_from: datetime
    valid_until: datetime
    key_id: int = 1


@dataclass(frozen=True, slots=True)
class BadgeFacts:
    """The ship's own record of a badge (the database is the source of truth)."""

    badge_id: int
    valid_from: datetime
    valid_until: datetime
    revoked_at: datetime | None = None
    revoked_reason: str | None = None
    # A visitor's temporary badge (B/9.11) ends with the port call it was issued for: when
    # that call was closed, and where it was (None: no call, or the call is still open).
    call_ended_at: datetime | None = None
    call_port: str | None = None


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """The person presenting the credential, as far as a decision needs."""

    person_id: int
    kind: PersonKind
    family_name: str
    given_names: str = ""
    document_number: str | None = None
    document_type: str | None = None  # as stored: a DOCUMENT_TYPES code, or words
    is_active: bool = True
    work_order_valid_from: datetime | None = None
    work_order_valid_until: datetime | None = None
    is_responder: bool = False  # level 3: responding to the incident (B/9.17)
    escorting: int = 0  # visitors aboard under this person's escort


@dataclass(frozen=True, slots=True)
class Policy:
    """The ship security plan's access rules in force (B/9.11-9.17).

    Anti-passback, per kind of person: `passback_refuse_board` are refused boarding while
    recorded aboard (one badge, one person: B/9.11, B/9.14.1), `passback_refuse_depart` refused
    leaving while not recorded aboard; the other kinds cross with a warning. `search_rate` is the
    share of boardings searched at this level.
    """

    level: SecurityLevel = SecurityLevel.LEVEL_1
    purpose_required_for: frozenset[PersonKind] = frozenset(
        {PersonKind.VISITOR, PersonKind.CONTRACTOR, PersonKind.AUTHORITY}
    )
    passback_refuse_board: frozenset[PersonKind] = frozenset(PersonKind)
    passback_refuse_depart: frozenset[PersonKind] = frozenset()
    embarkation_suspended: bool = False
    disembarkation_suspended: bool = False
    escorted_kinds: frozenset[PersonKind] = frozenset({PersonKind.VISITOR, PersonKind.CONTRACTOR})
    escort_ratio: int = 5
    search_rate: float = 0.0
    search_crew: bool = False
    crew_board_at_level_3: bool = True  # B/9.17.2: the crew are part of the response


@dataclass(frozen=True, slots=True)
class AccessPointFacts:
    """Where the check happens and at which security levels the plan keeps it open."""

    code: str
    name: str
    open_levels: frozenset[int] = frozenset({1, 2, 3})
    one_way: Direction | None = None  # B/9.14.5: a point for embarking (or disembarking) only


@dataclass(frozen=True, slots=True)
class EscortFacts:
    """The crew member proposed as escort (B/9.16.6), and how many they escort already."""

    person_id: int
    kind: PersonKind
    display_name: str
    is_aboard: bool
    is_active: bool = True
    escorting: int = 0


@dataclass(frozen=True, slots=True)
class ScanFacts:
    """Everything the core needs to decide one scan, gathered by the service layer.

    `code_problem` is set when the presented text could not be read as a credential at all.
    `watch_list` holds the active entries (a short list); the core does the matching.
    """

    direction: Direction
    credential: Credential = Credential.BADGE
    claims: BadgeClaims | None = None
    code_problem: Reason | None = None
    badge: BadgeFacts | None = None
    person: PersonFacts | None = None
    is_aboard: bool = False
    purpose: str | None = None
    inspected_document: str | None = None  # ID_DOCUMENT: the number read off the document
    inspected_document_type: str | None = None  # ID_DOCUMENT: its type, as the watch chose it
    watch_list: tuple = ()  # of identity.WatchEntry
    access_point: AccessPointFacts | None = None
    escort: EscortFacts | None = None
    escort_declined: bool = False
    purpose_declined: bool = False  # the watch asked: no purpose could be given
    search_roll: float = 1.0  # uniform in [0, 1) from a cryptographic source; 1.0 never selects
    search: str | None = None  # the watch's answer to SEARCH REQUIRED: "done" or "declined"
    override_reason: str | None = None  # the master's, for one disembarkation while suspended
    boarding_pass: PassFacts | None = None  # a pass matched to the manifest, and the call's days


@dataclass(frozen=True, slots=True)
class Decision:
    """The verdict with every reason behind it; refusals first, then warnings."""

    verdict: Verdict
    direction: Direction
    reasons: tuple[Reason, ...] = field(default_factory=tuple)
    search_required: bool = False  # allowed, once searched: nothing is recorded until then
    escort_id: int | None = None

    @property
    def is_final(self) -> bool:
        """Tell whether the check ends here (a record is written) or waits for the watch."""
        return self.verdict is Verdict.REFUSED or (
            self.verdict is Verdict.ALLOWED and not self.search_required
        )

    @property
    def is_allowed(self) -> bool:
        """Tell whether the person may cross."""
        return self.verdict is Verdict.ALLOWED

    @property
    def refusal(self) -> Reason | None:
        """Return the first blocking reason, the one recorded as the refusal code."""
        return next((r for r in self.reasons if r.severity is Severity.REFUSAL), None)

    @property
    def warnings(self) -> tuple[Reason, ...]:
        """Return reasons that were recorded but did not block."""
        return tuple(r for r in self.reasons if r.severity is Severity.WARNING)
