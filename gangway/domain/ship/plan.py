"""Checks on the ship security plan's gangway settings (ISPS Code Part B).

- B/9.9-9.10: the plan names every means of access and which are open.
- B/9.16.1: fewer access points at level 2; B/9.17: one single controlled access point at level 3.
- B/9.13-9.16: the share of people searched per level and the escort ratio are plan settings.
- B/9.14.5: embarking and disembarking may be segregated: a point may serve one direction only,
  as long as at every level someone can still both board and leave.
- B/9.11, 9.14.1: anti-passback: one badge (or pass) brings one person aboard; the plan says per
  kind of person whether boarding twice, or leaving twice, is refused or only flagged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gangway.domain.scan.types import PersonKind

#: Means of access a ship has (B/9.9): the values an access point's kind may take.
# The ship's columns that hold the plan's measures: what every scan reads beside the level. Kept
# in each plan revision (services/plan_history.py) and chained with the ship
# (records/chained_tables.py).
MEASURES = (
    "embarkation_suspended",
    "disembarkation_suspended",
    "search_percent_1",
    "search_percent_2",
    "search_percent_3",
    "search_crew",
    "escort_ratio",
    "escorted_kinds",
    "crew_board_at_level_3",  # B/9.17.2
    "passback_refuse_board",  # B/9.11: one badge, one person aboard
    "passback_refuse_depart",
)
POINT_KINDS = ("gangway", "accommodation_ladder", "pilot_ladder", "ramp", "stores_door", "other")
#: What a point serves: both ways (None), or boarding or leaving only (B/9.14.5).
POINT_USES = {None: "Both ways", "board": "Boarding only", "depart": "Leaving only"}
_WAYS = {"board": "board", "depart": "leave"}
NONE_AT_LEVEL_1 = "No access point is open at security level 1."
NONE_AT_LEVEL_3 = "No access point is designated for security level 3: choose exactly one."
MAX_ESCORT_RATIO = 50
LEVELS = (1, 2, 3)
#: The access point's columns, one per level (the model's, the plan revision's and the chain's).
OPEN_COLUMNS = tuple(f"open_at_{n}" for n in LEVELS)


class OpenLevels(frozenset[int]):
    """The security levels at which the plan keeps an access point open (B/9.16.1, B/9.17).

    The one form every layer passes around. Its stored and exchanged forms are read and written
    here only: the model's columns (open_at_1..3), the plan revision's text ("101": open at
    levels 1 and 3) and the API's {"1": true, "2": false, "3": true}.
    """

    __slots__ = ()

    def __new__(cls, levels: Iterable[int] = ()) -> OpenLevels:
        chosen = frozenset(levels)
        if not chosen <= set(LEVELS):
            raise ValueError(f"security levels are 1, 2 and 3, not {sorted(chosen - set(LEVELS))}")
        return super().__new__(cls, chosen)

    def __repr__(self) -> str:
        return f"OpenLevels({sorted(self)})"

    @classmethod
    def from_flags(cls, flags: Iterable[Any]) -> OpenLevels:
        """Return the levels from one flag per level, 1 to 3 (None, an unset column: closed)."""
        return cls(n for n, is_open in zip(LEVELS, flags, strict=True) if is_open)

    @classmethod
    def from_columns(cls, row: Any) -> OpenLevels:
        """Return the levels of an access point entity or row (its open_at_1..3 columns)."""
        return cls.from_flags(getattr(row, name) for name in OPEN_COLUMNS)

    @classmethod
    def from_text(cls, text: str) -> OpenLevels:
        """Return the levels from their stored text: one "1" (open) or "0" per level."""
        return cls.from_flags(mark == "1" for mark in text)

    @classmethod
    def from_by_level(cls, by_level: Mapping[str, bool]) -> OpenLevels:
        """Return the levels from the API's form: "1", "2" and "3" mapped to true or false."""
        return cls.from_flags(by_level[str(n)] for n in LEVELS)

    def columns(self) -> dict[str, bool]:
        """Return the access point's column values: open_at_1..3."""
        return {name: n in self for n, name in zip(LEVELS, OPEN_COLUMNS, strict=True)}

    def text(self) -> str:
        """Return the stored text: "1" (open) or "0" per level, e.g. "110"."""
        return "".join("1" if n in self else "0" for n in LEVELS)

    def by_level(self) -> dict[str, bool]:
        """Return the API's form: {"1": true, "2": true, "3": false}."""
        return {str(n): n in self for n in LEVELS}


#: Where a new access point is open unless the SSO says otherwise (the columns' defaults too).
NEW_POINT_LEVELS = OpenLevels((1, 2))


@dataclass(frozen=True, slots=True)
class PlanPoint:
    """An access point as the plan sees it: enabled or not, and open at which levels."""

    code: str
    name: str
    is_enabled: bool
    open_levels: OpenLevels
    one_way: str | None = None  # "board" or "depart": the only direction it serves

    def is_open_at(self, level: int) -> bool:
        """Tell whether the point is enabled and open at this security level."""
        return self.is_enabled and level in self.open_levels


def open_codes(points: Iterable[PlanPoint], level: int) -> set[str]:
    """Return the codes of the enabled points open at a security level."""
    return {p.code for p in points if p.is_open_at(level)}


def check_access_plan(points: Sequence[PlanPoint]) -> list[str]:
    """Return what is wrong with the access plan, in words for the SSO (empty when sound)."""
    problems = []
    if not open_codes(points, 1):
        problems.append(NONE_AT_LEVEL_1)
    at_3 = [p for p in points if p.is_open_at(3)]
    if not at_3:
        problems.append(NONE_AT_LEVEL_3)
    elif len(at_3) > 1:
        problems.append(_too_many_at_level_3(at_3))
    return problems + _one_way_problems(points)


def _one_way_problems(points: Sequence[PlanPoint]) -> list[str]:
    """Return, per level, a direction that no open point serves (some point is open)."""
    problems = []
    for level in (1, 2, 3):
        ways = {p.one_way for p in points if p.is_open_at(level)}
        if not ways or None in ways:
            continue
        for way in sorted(set(_WAYS) - ways):
            problems.append(
                f"At security level {level} no open access point lets people {_WAYS[way]}."
            )
    return problems


def refuse_plan_change(before: Sequence[PlanPoint], after: Sequence[PlanPoint]) -> str | None:
    """Return why a change must be refused: it opens another point at level 3 or closes level 1.

    Leaving no point at level 3 is allowed as a step (close one, then open another); it stays a
    problem the plan page shows.
    """
    new_3 = open_codes(after, 3)
    if len(new_3) > 1 and not new_3 <= open_codes(before, 3):
        return _too_many_at_level_3([p for p in after if p.is_open_at(3)])
    if open_codes(before, 1) and not open_codes(after, 1):
        return NONE_AT_LEVEL_1
    new = [p for p in _one_way_problems(after) if p not in _one_way_problems(before)]
    return new[0] if new else None


def check_plan_settings(
    search_percents: Sequence[int], escort_ratio: int, escorted_kinds: Iterable[str]
) -> list[tuple[str, str]]:
    """Return (field, message) for each plan setting out of range (empty when all are valid)."""
    problems = []
    for level, percent in enumerate(search_percents, start=1):
        if not 0 <= percent <= 100:
            problems.append(
                (f"search_percent_{level}", f"Search share at level {level}: 0 to 100 per cent.")
            )
    if not 1 <= escort_ratio <= MAX_ESCORT_RATIO:
        problems.append(
            ("escort_ratio", f"Escort ratio: 1 to {MAX_ESCORT_RATIO} people per crew member.")
        )
    unknown = sorted(set(escorted_kinds) - {k.value for k in PersonKind})
    if unknown:
        problems.append(("escorted_kinds", f"Unknown kind of person: {', '.join(unknown)}."))
    return problems


def check_passback(refuse_board: Iterable[str], refuse_depart: Iterable[str]) -> str | None:
    """Return why an anti-passback setting is wrong (an unknown kind of person), or None."""
    unknown = sorted((set(refuse_board) | set(refuse_depart)) - {k.value for k in PersonKind})
    return f"Unknown kind of person: {', '.join(unknown)}." if unknown else None


def kinds_text(kinds: Iterable[str]) -> str:
    """Return kinds of person as stored: comma-separated, in the enum's order."""
    chosen = set(kinds)
    return ",".join(k.value for k in PersonKind if k.value in chosen)


def _too_many_at_level_3(points: Sequence[PlanPoint]) -> str:
    names = ", ".join(f"{p.name} ({p.code})" for p in sorted(points, key=lambda p: p.code))
    return f"Only one access point may be open at security level 3, not {len(points)}: {names}."
