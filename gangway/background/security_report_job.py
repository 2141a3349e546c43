"""Make the Security Report's PDF in a worker process: the gangway never waits for it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from gangway.db.atomic_files import write_atomically
from gangway.db.models import User
from gangway.db.types import utcnow
from gangway.render.security_report import render_security_report_pdf
from gangway.services.reports.security_report import make_security_report


def security_report_pdf(session, params: dict, folder: Path) -> tuple[str, str]:
    """Write the Security Report for the next port, signed by the user who asked, as a PDF."""
    args = {**params["args"], "eta": datetime.fromisoformat(params["args"]["eta"])}
    user = session.get(User, params["user_id"])
    report = make_security_report(session, **args, user=user, now=utcnow())
    name = f"security-report-{args['unlocode'].upper()}-{args['eta']:%Y%m%d}.pdf"
    write_atomically(folder / name, render_security_report_pdf(report))
    return name, "application/pdf"
