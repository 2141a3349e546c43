"""How a row of the access log is shown: record id, UTC and port-local time, masked documents."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from gangway.db.models import PortCall
from gangway.domain.lists.list_columns import neutralise
from gangway.domain.reporting.access_log import is_masked, local_time, mask_document

CSV_HEADER = (
    "record_id",
    "occurred_at_utc",
    "occurred_at_local",
    "time_zone",
    "outcome",
    "direction",
    "kind",
    "name",
    "company",
    "purpose",
    "access_point",
    "method",
    "escort",
    "reason",
    "document_number",
    "port_call_id",
)


def present_row(row, calls: dict[int, PortCall], role: str | None, *, mask: bool = False) -> dict:
    """Return a log row as the reader may see it (document masked for the PFSO unless shared,
    and always with `mask`: the port state control officer, who holds no role)."""
    call = calls.get(row.port_call_id)
    zone = call.timezone if call else "UTC"
    masked = mask or is_masked(role, call.share_documents if call else False)
    document = row.document_number or ""
    return {
        "record_id": f"{'m' if row.outcome == 'allowed' else 'r'}-{row.id}",
        "occurred_at": row.occurred_at,
        "local_at": local_time(row.occurred_at, zone),
        "time_zone": zone,
        "outcome": row.outcome,
        "direction": row.direction,
        "kind": row.kind,
        "name": row.name or "Unknown",
        "company": row.company,
        "purpose": row.purpose,
        "access_point": row.access_point,
        "access_point_code": row.access_point_code,
        "method": row.method,
        "escort": row.escort,
        "reason": row.reason,
        "document_number": mask_document(document) if masked else document,
        "port_call_id": row.port_call_id,
    }


def row_json(item: dict) -> dict:
    """Return a presented row for the JSON API (times as ISO 8601)."""
    return {
        **item,
        "occurred_at": item["occurred_at"].isoformat(),
        "local_at": item["local_at"].isoformat(),
    }


def csv_lines(items: Iterable[dict]) -> Iterator[str]:
    """Yield the CSV export line by line: a BOM, the header, then neutralised cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    yield "\ufeff" + _take(buffer)
    for item in items:
        item = {**item, "occurred_at": item["occurred_at"].isoformat(timespec="seconds")}
        item["occurred_at_utc"] = item["occurred_at"]
        item["occurred_at_local"] = item["local_at"].isoformat(timespec="seconds")
        writer.writerow([neutralise(str(item.get(name) or "")) for name in CSV_HEADER])
        yield _take(buffer)


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate(0)
    return text
