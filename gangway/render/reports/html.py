"""The end-of-port-call report as an HTML page (printable: see static/css/report.css), and the
standalone copy stored when the call is closed (its stylesheet inlined: it is opened from disk).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app, render_template
from markupsafe import Markup, escape

from gangway.domain.reporting.report_charts import movements_per_hour_svg, on_board_svg
from gangway.render.reports import text

if TYPE_CHECKING:  # the shape only: services build it, this module draws it
    from gangway.services.reports.port_call_report import Report

_MARKS = {(False, False): "-/-", (True, False): "S/-", (False, True): "-/E", (True, True): "S/E"}


def render_report_html(
    report: Report, state, *, can_sign: bool, snapshot=None, links: dict | None = None
) -> str:
    """Render the report page; `state` is signature_state()'s (sign-off, hash now, changed);
    `links` ({"pdf": url, "csv": url or None}) replace the ship's own (ashore)."""
    return render_template(
        "reports/port_call.html",
        can_sign=can_sign,
        snapshot=snapshot,
        report_links=links,
        **_context(report, state),
    )


PARTS = ("header", "chain_head", "body")  # what a worker renders of the report page


def render_report_parts(report: Report, state) -> dict[str, str]:
    """Render the report page's header, chain head and long body alone (in a worker process)."""
    context = _context(report, state)
    return {
        "header": render_template("reports/_report_header.html", **context),
        "chain_head": render_template("reports/_chain_head.html", **context),
        "body": render_template("reports/_report_body.html", **context),
    }


def render_report_page(
    call, parts: dict[str, str], state, *, can_sign: bool, snapshot, links: dict | None = None
) -> str:
    """Render the report page around the parts a worker rendered (render_report_parts)."""
    sign_off, current_hash, changed = state
    return render_template(
        "reports/port_call.html",
        call=call,
        report_links=links,
        parts={k: Markup(v) for k, v in parts.items()},  # noqa: S704 - our templates, escaped
        sign_off=sign_off,
        current_hash=current_hash,
        changed=changed,
        when=text.when,
        can_sign=can_sign,
        snapshot=snapshot,
    )


def render_snapshot_html(report: Report, state, *, generated_at, revises=None) -> str:
    """Render the report as one self-contained HTML document, as stored at the call's close.

    :param revises: the stored copy this one revises (a ReportSnapshot), named in the document.
    """
    css = (Path(current_app.static_folder) / "css" / "report.css").read_text(encoding="utf-8")
    return render_template(
        "reports/snapshot.html",
        generated_at=generated_at,
        revises=revises,
        css=Markup(css.replace("</", "<\\/")),  # noqa: S704 - our own file; cannot close <style>
        **_context(report, state),
    )


def _context(report: Report, state) -> dict:
    sign_off, current_hash, changed = state
    return {
        "report": report,
        "call": report.call,
        "call_line": text.call_line(report.call),
        "summary_tables": text.summary_tables(report),
        "record_tables": text.record_tables(report),
        "refusal_header": text.REFUSAL_HEADER,
        "refusal_rows": text.refusal_rows(report),
        "refusal_note": text.refusal_note(report),
        "log_rows": log_rows(report.movements),
        "log_count": len(report.movements),
        "per_hour_svg": Markup(movements_per_hour_svg(report.per_hour)),  # noqa: S704 - escaped
        "on_board_svg": Markup(on_board_svg(report.on_board, report.call.departed_at)),  # noqa: S704
        "sign_off": sign_off,
        "current_hash": current_hash,
        "changed": changed,
        "when": text.when,
    }


class _Escaped(dict):
    """HTML-escaped text, escaped once per distinct value (names, purposes, points repeat)."""

    def __missing__(self, key: str | None) -> str:
        value = self[key] = str(escape(key or ""))
        return value


def log_rows(movements) -> Markup:
    """Return the movement log's table rows, every text cell escaped.

    One f-string per row with cached escapes: 100,000 rows take ~0.2 s; a Jinja loop ~2 s.
    Same cells as text.log_cells (the PDF's), which the tests hold both forms to.
    """
    e, marks = _Escaped(), _MARKS
    return Markup(  # noqa: S704 - every text cell goes through escape(); times are digits
        "\n".join(
            [
                f"<tr><td>{at.isoformat(' ', 'seconds')[:19]}</td><td>{e[d]}</td><td>{e[k]}"
                f"</td><td>{e[name]}</td><td>{e[pu]}</td><td>{e[ap]}</td><td>{e[me]}</td>"
                f"<td>{marks[s, es]}</td></tr>"
                for _, at, d, k, _, pu, s, es, me, name, ap in movements
            ]
        )
    )
