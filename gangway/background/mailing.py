"""Mail the signed end-of-port-call report PDF to the CSO and the port facility's PFSO."""

from __future__ import annotations

import re

from gangway.background import mail
from gangway.render.reports.text import call_line
from gangway.services.reports.port_call_report import Report

_ADDRESS = re.compile(r"[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"']+")


def report_recipients(config, report: Report) -> list[str]:
    """Return MAIL_CSO and the PFSO contact when it is an e-mail address, without repeats."""
    found = []
    for value in (config.get("MAIL_CSO"), report.call.pfso_contact):
        if value and _ADDRESS.fullmatch(value.strip()) and value.strip() not in found:
            found.append(value.strip())
    return found


def email_report(config, report: Report, pdf: bytes, *, replaces=None) -> list[str]:
    """Send the PDF to the recipients now and return them (empty: nobody to send to).

    :param replaces: the copy mailed before (a ReportSnapshot), which this one replaces: the
        mail says so.

    :raises RuntimeError: mail is not configured (MAIL_SERVER is not set).
    :raises OSError: the SMTP server could not be reached or refused the message.
    """
    if not mail.is_enabled(config):
        raise RuntimeError("Mail is off: MAIL_SERVER is not set, so nothing was sent.")
    to = report_recipients(config, report)
    if not to:
        return []
    call = report.call
    title = "Revised port call report" if replaces else "Port call report"
    revision = ""
    if replaces:
        revision = (
            f"\nThis revision replaces the report generated "
            f"{replaces.generated_at:%Y-%m-%d %H:%M} UTC (records hash {replaces.content_hash}):"
            f" records reached the port call after it was closed (a tablet that was offline).\n"
        )
    head = report.chain_head
    anchor = (
        f"Audit chain head: {head.short}\nAudit chain head (SHA-256): {head.entry_hash}\n"
        "Keep this mail: `gangway verify-log --anchor` with that head shows whether any record "
        "was changed since.\n"
        if head
        else ""
    )
    message = mail.compose(
        config,
        to,
        " ".join(f"{title}: {call.ship_name} at {call.port_name}".split()),
        f"End-of-port-call security report of {call.ship_name}.\n\n{call_line(call)}\n"
        f"Records hash (SHA-256): {report.content_hash}\n{anchor}{revision}\n"
        f"The report is attached as a PDF.\n",
    )
    message.add_attachment(
        pdf, maintype="application", subtype="pdf", filename=f"port-call-{call.id}-report.pdf"
    )
    mail.send_now(config, message)
    return to
