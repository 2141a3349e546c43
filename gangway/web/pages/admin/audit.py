"""The admin's view of the audit chain: its head, the last verification, and "Verify now".

A verification reads the whole chain and every record, so it runs in the background
(background.verify_job) and chains its result; the page polls until a result newer than the one it
started from appears. Any server process can answer the poll: the result is in the database.
"""

from __future__ import annotations

from flask import current_app, redirect, request, url_for
from flask_login import current_user

from gangway.background.verify_job import start_verification
from gangway.extensions import db, htmx
from gangway.services.audit.verification import chain_head, last_verification
from gangway.web.htmx_support import render_page_or_fragment
from gangway.web.pages.admin.admin import bp
from gangway.web.roles import permission_required

# verify-log's finding codes in plain words (the README's table).
PROBLEM_LABELS = {
    "entry_altered": "Chain entries edited in place",
    "chain_broken": "Chain entries replaced or reordered",
    "entry_missing": "Chain entries deleted",
    "row_altered": "Records changed after their entry",
    "row_deleted": "Records deleted (no purge removed them)",
    "row_unchained": "Records without an entry (written beside the app)",
    "purge_mismatch": "Purges that claim other records than the chain holds",
    "anchor_mismatch": "Noted heads no longer in the chain",
}


@bp.get("/audit")
@permission_required("audit.verify")
def audit():
    """Show the chain's head and the last verification; `after` polls for a newer one."""
    raw = request.args.get("after", "")
    after = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
    return _audit_page(after=after)


@bp.post("/audit/verify")
@permission_required("audit.verify")
def verify():
    """Start a verification in the background; the page shows the result when it is done."""
    last = last_verification(db.session)
    after = last.seq if last else 0
    queued = start_verification(current_app._get_current_object(), current_user.id)
    if not htmx:
        return redirect(url_for("admin.audit", after=after))
    return _audit_page(after=after, busy=not queued)


def _audit_page(*, after: int | None, busy: bool = False) -> str:
    head, last = chain_head(db.session), last_verification(db.session)
    if after is not None and after > (head[0] if head else 0):
        after = None  # not a point of this chain: nothing to wait for
    # Still waiting: no result newer than the one shown when the check was asked for.
    checking = after is not None and (last.seq if last else 0) <= after
    return render_page_or_fragment(
        "admin/audit.html",
        "admin/_chain.html",
        head=head,
        last=last,
        checking=checking,
        after=after,
        busy=busy,
        problem_labels=PROBLEM_LABELS,
    )
