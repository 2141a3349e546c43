"""The admin's API tokens: issue one (shown once), list them with their owners, revoke."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from gangway.db.models import ApiToken
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.accounts.api_tokens import (
    issue_token,
    list_tokens,
    mark_device,
    revoke_token,
    token_owners,
)
from gangway.web.htmx_support import bad_input_status, render_page_or_fragment
from gangway.web.pages.admin.admin import bp, done
from gangway.web.roles import permission_required


@bp.get("/tokens")
@permission_required("tokens.manage")
def tokens():
    """List every API token, live ones first, with the form to issue one."""
    return _tokens_page()


@bp.post("/tokens")
@permission_required("tokens.manage")
def create_token():
    """Issue a token for a user and show it once; only its hash is kept."""
    form = {"owner": request.form.get("owner", ""), "name": request.form.get("name", "")}
    owner = form["owner"]
    owner_id = int(owner) if owner.isascii() and owner.isdigit() and len(owner) < 10 else None
    try:
        row, token = issue_token(db.session, owner_id, form["name"], by=current_user, now=utcnow())
    except BadInput as exc:
        return _tokens_page(error=exc, form=form), bad_input_status()
    secret = {"name": row.name, "username": row.user.username, "token": token}
    message = f"Token {row.name!r} issued for {row.user.username}."
    return done(_tokens_page, message, "admin.tokens", secret=secret)


@bp.post("/tokens/<int:token_id>/revoke")
@permission_required("tokens.manage")
def revoke(token_id: int):
    """Revoke a token: the API refuses it (401) from now on."""
    token = db.get_or_404(ApiToken, token_id)
    try:
        revoke_token(db.session, token, by=current_user, now=utcnow())
    except BadInput as exc:
        return _tokens_page(error=exc), bad_input_status()
    message = f"Token {token.name!r} of {token.user.username} is revoked."
    return done(_tokens_page, message, "admin.tokens")


@bp.post("/tokens/<int:token_id>/device")
@permission_required("tokens.manage")
def device(token_id: int):
    """Mark a token as a tablet's, which may send scans made offline, or take that away."""
    token = db.get_or_404(ApiToken, token_id)
    is_device = request.form.get("is_device") == "1"
    try:
        mark_device(db.session, token, is_device, by=current_user)
    except BadInput as exc:
        return _tokens_page(error=exc), bad_input_status()
    what = "a device: it may send scans made offline" if is_device else "no longer a device"
    message = f"Token {token.name!r} of {token.user.username} is {what}."
    return done(_tokens_page, message, "admin.tokens")


def _tokens_page(**context) -> str:
    context.setdefault("form", {})
    return render_page_or_fragment(
        "admin/tokens.html",
        "admin/_tokens.html",
        tokens=list_tokens(db.session),
        owners=token_owners(db.session),
        **context,
    )
