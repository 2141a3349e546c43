"""The port call's records as a zip of CSV files, every text cell neutralised for spreadsheets.

Movements are streamed a batch at a time from the driver's cursor into their zip member: no
list of 100,000 rows, no row object. Their lines are f-strings: every cell is either ours
(numbers, times, codes) or text quoted by the csv module once per distinct value, so the bytes
are the csv writer's at a fraction of the cost. The small files use the csv writer.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from datetime import datetime
from typing import IO, TYPE_CHECKING

from gangway.domain.lists.list_columns import neutralise
from gangway.domain.reporting.port_call_report import (
    DeclarationRow,
    FollowUpRow,
    LevelRow,
    RefusalRow,
)

if TYPE_CHECKING:  # the shape only: services build it, this module writes it
    from gangway.services.reports.movement_rows import RawMovements

MOVEMENT_HEADER = ("id", "occurred_at", "direction", "kind", "person_id", "person", "purpose",
                   "access_point", "method", "searched", "escorted")  # fmt: skip
REFUSAL_HEADER = ("id", "occurred_at", "direction", "reason_code", "reason_codes", "reason",
                  "person_id", "purpose", "method")  # fmt: skip
FOLLOW_UP_HEADER = ("id", "refusal_id", "acknowledged_at", "description", "response",
                    "reported_to_cso_at", "reported_to_pfso_at",
                    "reported_to_authorities_at")  # fmt: skip
LEVEL_HEADER = ("id", "level", "reason", "ordered_by", "notified_at", "complied_at")
DECLARATION_HEADER = ("id", "level", "ship_party", "port_party", "reason", "valid_from",
                      "valid_until", "signed_at")  # fmt: skip
COMPRESS_LEVEL = 1  # level 6 halves nothing that matters here and costs ~3x the time


def write_csv_zip(
    out: IO[bytes],
    movements: RawMovements,
    refusals: Iterable[RefusalRow],
    follow_ups: Iterable[FollowUpRow],
    levels: Iterable[LevelRow],
    declarations: Iterable[DeclarationRow],
) -> None:
    """Write movements.csv, refusals.csv, follow_ups.csv, level_changes.csv and declarations.csv.

    follow_ups.csv holds the SSO's acknowledgements of the refusals (refusal_id links them).
    """
    files = {
        "refusals.csv": (REFUSAL_HEADER, _cells(
            (r.id, r.occurred_at, r.direction, r.reason_code, r.reason_codes, r.reason_message,
             r.person_id, r.purpose, r.method) for r in refusals)),
        "follow_ups.csv": (FOLLOW_UP_HEADER, _cells(
            (f.id, f.refusal_id, f.acknowledged_at, f.description, f.response,
             f.reported_to_cso_at, f.reported_to_pfso_at, f.reported_to_authorities_at)
            for f in follow_ups)),
        "level_changes.csv": (LEVEL_HEADER, _cells(
            (lc.id, lc.level, lc.reason, lc.ordered_by, lc.notified_at, lc.complied_at)
            for lc in levels)),
        "declarations.csv": (DECLARATION_HEADER, _cells(
            (d.id, d.level, d.ship_party_name, d.port_party_name, d.reason, d.valid_from,
             d.valid_until, d.signed_at) for d in declarations)),
    }  # fmt: skip
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as archive:
        with archive.open("movements.csv", "w") as member:
            _write_movements(member, movements)
        for name, (header, rows) in files.items():
            with (
                archive.open(name, "w") as member,
                io.TextIOWrapper(member, encoding="utf-8", newline="") as text,
            ):
                writer = csv.writer(text, lineterminator="\r\n")
                writer.writerow(header)
                writer.writerows(rows)


class _Cells(dict):
    """CSV cells by value, quoted as the csv module would, each distinct value done once."""

    def __init__(self, *, neutral: bool):
        super().__init__()
        self.neutral = neutral

    def __missing__(self, key: str | None) -> str:
        value = key or ""
        if self.neutral:
            value = neutralise(value)
        if value:
            out = io.StringIO()
            csv.writer(out, lineterminator="\r\n").writerow([value])  # as the other files
            value = out.getvalue()[:-2]
        self[key] = value
        return value


_YES_NO = {True: "yes", False: "no"}  # SQLite's 1 and 0 find these too


def _write_movements(member: IO[bytes], raw: RawMovements) -> None:
    """Write movements.csv from the cursor's tuples; only free text is neutralised."""
    ours, text, yes, iso = _Cells(neutral=False), _Cells(neutral=True), _YES_NO, raw.iso
    # kind,person_id,person once per person as the movements recorded them; the access
    # point's name once per point
    person = _People(lambda key: _person_cells(raw, ours, text, *key))
    point = {a: text[name] for a, name in raw.points.items()}
    member.write((",".join(MOVEMENT_HEADER) + "\r\n").encode())
    for batch in raw.batches():
        lines = [
            f"{i},{iso(at)},{ours[d]},{person[p, k, f, g]},{text[pu]},{point[ap]},{ours[me]},"
            f"{yes[s]},{yes[e is not None]}\r\n"
            for i, at, d, p, pu, s, e, me, ap, k, f, g in batch
        ]
        member.write("".join(lines).encode())


class _People(dict):
    """The person cells by (person id, recorded kind, family, given names), each made once."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key: tuple) -> str:
        value = self[key] = self.make(key)
        return value


def _person_cells(raw: RawMovements, ours, text, person_id, kind, family, given) -> str:
    kind, name = raw.who(person_id, kind, family, given)
    return f"{ours[kind]},{person_id},{text[name]}"


def _cells(rows):
    return ([_cell(v) for v in row] for row in rows)


def _cell(value) -> str:
    """Write times as ISO 8601, booleans as yes/no, None as empty and text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)
