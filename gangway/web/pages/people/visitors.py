"""The SSO registers visitors, contractors and authorities and manages their badges (B/9.11)."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from gangway.db.models import Badge
from gangway.db.types import utcnow
from gangway.domain.scan.identity import DOCUMENT_TYPES
from gangway.extensions import db
from gangway.imaging.held_photos import HeldPhoto
from gangway.services import BadInput
from gangway.services.people.badge_overview import badge_overview
from gangway.services.people.cards import badges_by_ids, crew_badges
from gangway.services.people.document_photos import document_photo_of
from gangway.services.people.groups import members_from_csv, register_group
from gangway.services.people.people import (
    AUTHORITY_ROLES,
    PhotoUpload,
    default_validity,
    register_person,
    reissue_badge,
    revoke_badge,
)
from gangway.web.common import signing, upload_limits
from gangway.web.downloads import deferred_download
from gangway.web.pages.people.badge_cards import card_response
from gangway.web.pages.people.document_photo_field import (
    document_photo_preview,
    kept_document_photo,
)
from gangway.web.pages.people.person_form import (
    GROUP_ALIASES,
    GROUP_FIELDS,
    VISITOR_FIELDS,
    FormErrors,
    form_errors,
    parse_utc,
    person_from_form,
)
from gangway.web.pages.people.photo_field import forget_photo, photo_from_form, preview_url
from gangway.web.roles import permission_required

bp = Blueprint("visitors", __name__, url_prefix="/sso")
MAX_GROUP_CSV = 256 * 1024  # 200 people take a few kilobytes


@bp.route("/visitors/new", methods=["GET", "POST"])
@permission_required("badges.issue")
def register():
    """Register a visitor, contractor or authority and issue the badge."""
    if request.method == "GET":
        return _form("visitors/new.html")
    photo, problem = photo_from_form()  # held first, so that an error below keeps it
    try:
        if problem:
            raise problem
        new = person_from_form(request.form)
        start, end = _window()
        badge = register_person(
            db.session,
            new,
            valid_from=start,
            valid_until=end,
            photo=_upload(photo),
            user=current_user,
            now=utcnow(),
            signing=signing(),
            long_term=bool(request.form.get("long_term")),
            document_photo=kept_document_photo(request.form),
        )
    except BadInput as exc:
        return _form("visitors/new.html", form_errors([exc], VISITOR_FIELDS), photo), 400
    forget_photo(photo)
    flash(f"Badge {badge.id} issued to {badge.person.display_name}.", "ok")
    return redirect(url_for("visitors.show", badge_id=badge.id))


@bp.route("/visitors/group", methods=["GET", "POST"])
@permission_required("badges.issue")
def group():
    """Issue badges to several people sharing company, purpose and validity."""
    if request.method == "GET":
        return _form("visitors/group.html")
    try:
        start, end = _window()
        badges = register_group(
            db.session,
            person_from_form(request.form),
            _members(),
            valid_from=start,
            valid_until=end,
            user=current_user,
            now=utcnow(),
            signing=signing(),
            long_term=bool(request.form.get("long_term")),
        )
    except BadInput as exc:
        errors = form_errors([exc], GROUP_FIELDS, GROUP_ALIASES)
        return _form("visitors/group.html", errors), 400
    ids = ",".join(str(b.id) for b in badges)
    flash(f"{len(badges)} badges issued.", "ok")
    return redirect(url_for("visitors.index", issued=ids))


@bp.get("/badges/")
@permission_required("badges.read")
def index():
    """List temporary badges: active, expiring soon, expired, revoked, overstaying."""
    issued = [int(i) for i in request.args.get("issued", "").split(",") if i.isdigit()]
    return render_template(
        "badges/index.html",
        overview=badge_overview(db.session, utcnow()),
        issued=badges_by_ids(db.session, issued),
    )


@bp.get("/badges/<int:badge_id>")
@permission_required("badges.read")
def show(badge_id: int):
    """Show one badge, its card, the revoke and reissue forms, and any document photo kept."""
    badge = db.get_or_404(Badge, badge_id)
    photo = document_photo_of(db.session, badge.person_id)
    return render_template("badges/show.html", badge=badge, now=utcnow(), document_photo=photo)


@bp.get("/badges/<int:badge_id>/card.<any(pdf, png):fmt>")
@permission_required("badges.read")
def card(badge_id: int, fmt: str):
    """Send the printable card (regenerated from the database if the file is missing)."""
    return card_response(badge_id, fmt)


SHEET = "the sheet of badge cards"


@bp.get("/badges/sheet.pdf")
@permission_required("badges.read")
def sheet():
    """Send an A4 sheet of cards for the badges listed in `ids`."""
    ids = [int(i) for i in request.args.get("ids", "").split(",") if i.isdigit()][:200]
    ids = [b.id for b in badges_by_ids(db.session, ids)] or abort(404)
    key = "card_sheet:" + ",".join(map(str, ids))
    return deferred_download("card_sheet", key, {"ids": ids}, what=SHEET, inline=True)


@bp.get("/badges/crew.pdf")
@permission_required("badges.read")
def crew_sheet():
    """Send A4 sheets of every crew member's current permanent badge."""
    crew_badges(db.session, utcnow()) or abort(404)
    return deferred_download("card_sheet", "crew_sheet", {"crew": True}, what=SHEET, inline=True)


@bp.post("/badges/<int:badge_id>/revoke")
@permission_required("badges.revoke")
def revoke(badge_id: int):
    """Revoke a badge with the reason given."""
    badge = db.get_or_404(Badge, badge_id)
    try:
        revoke_badge(
            db.session, badge, request.form.get("reason", ""), user=current_user, now=utcnow()
        )
        flash("Badge revoked: it is refused at the gangway from now on.", "ok")
    except BadInput as exc:
        flash(exc.message, "error")
    return redirect(url_for("visitors.show", badge_id=badge_id))


@bp.post("/badges/<int:badge_id>/reissue")
@permission_required("badges.revoke")
def reissue(badge_id: int):
    """Issue a replacement badge; the old one is revoked."""
    try:
        new = reissue_badge(
            db.session,
            db.get_or_404(Badge, badge_id),
            user=current_user,
            now=utcnow(),
            signing=signing(),
        )
    except BadInput as exc:
        flash(exc.message, "error")
        return redirect(url_for("visitors.show", badge_id=badge_id))
    flash(f"Badge {new.id} replaces badge {badge_id}, which is now revoked.", "ok")
    return redirect(url_for("visitors.show", badge_id=new.id))


def _form(template: str, errors: FormErrors | None = None, photo: HeldPhoto | None = None, **more):
    start, end = default_validity(db.session, utcnow())
    more = {"form": request.form} | more  # `form`: the fields filled from a document photo
    return render_template(
        template,
        errors=errors or FormErrors({}),
        **more,
        document_photo_preview=document_photo_preview(more["form"]),
        photo=photo,
        photo_preview=preview_url(photo),
        purposes=current_app.config["PURPOSES"],
        roles=AUTHORITY_ROLES,
        document_types=DOCUMENT_TYPES,
        default_from=start,
        default_until=end,
    )


def _upload(photo: HeldPhoto | None) -> PhotoUpload | None:
    """Return the held photo as the service's upload (checked again, as any upload is)."""
    if photo is None:
        return None
    return PhotoUpload(photo.data, Path(current_app.instance_path), upload_limits())


def _window():
    default_start, default_end = default_validity(db.session, utcnow())
    return parse_utc(request.form, "valid_from") or default_start, parse_utc(
        request.form, "valid_until"
    ) or default_end


def _members() -> str:
    """Return the group's members: typed lines, or an uploaded CSV turned into lines."""
    upload = request.files.get("members_csv")
    if upload and upload.filename:
        return members_from_csv(upload.read(MAX_GROUP_CSV + 1)[:MAX_GROUP_CSV])
    return request.form.get("members", "")
