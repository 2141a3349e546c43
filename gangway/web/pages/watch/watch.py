"""The gangway watch's tablet: pick the access point, scan, see the verdict."""

from __future__ import annotations

import hashlib
import json
from io import BytesIO
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)

from gangway.db.models import Person
from gangway.domain.codes.badges import scanned_text
from gangway.domain.codes.documents.aamva import is_scanned_licence
from gangway.extensions import db, htmx
from gangway.imaging.id_photos import read_id_photo
from gangway.services import BadInput
from gangway.services.documents.reading import read_licence_text
from gangway.services.people.photos import record_photo_scan
from gangway.services.scan.presence import count_on_board
from gangway.services.scan.scanning import ScanInput, record_scan
from gangway.services.ship.ship import access_point_by_code, list_access_points
from gangway.web.common import follow_up_fields, photo_pool_timeout, scan_context, upload_limits
from gangway.web.pages.watch import check_id
from gangway.web.pages.watch.scan_results import (
    checked,
    chosen_point,
    refused_input,
    scan_page_context,
    show_on_scan_page,
    verdict_response,
)
from gangway.web.roles import permission_required

bp = Blueprint("watch", __name__, url_prefix="/watch")


@bp.get("/")
@permission_required("scan.record")
def index():
    """Show the scan page, or the access point picker if none is chosen yet."""
    point = chosen_point()
    if point is None or request.args.get("change"):
        return render_template("watch/pick.html", points=list_access_points(db.session))
    result = session.pop("last_result", None)  # shown once after a no-JS redirect
    page = render_template("watch/index.html", point=point, result=result, **scan_page_context())
    response = current_app.make_response(page)
    response.headers["X-Gangway-Offline"] = "scan-page"  # the service worker keeps this one
    return response


@bp.post("/access-point")
@permission_required("scan.record")
def choose_point():
    """Remember which access point this tablet stands at."""
    try:
        point = access_point_by_code(db.session, request.form.get("access_point"))
    except BadInput as exc:
        return render_template(
            "watch/pick.html", points=list_access_points(db.session), error=exc.message
        ), 400
    session["access_point"] = point.code
    return redirect(url_for("watch.index"))


@bp.post("/scan")
@permission_required("scan.record")
def scan():
    """Decide a scan (typed, camera or photo) and show the verdict."""
    data = ScanInput(
        code=scanned_text(request.form.get("code", "")),  # as scanned: one spelling verifies
        access_point=session.get("access_point", ""),
        direction=request.form.get("direction") or "auto",
        purpose=request.form.get("purpose_other", "").strip() or request.form.get("purpose", ""),
        method=request.form.get("method", "scan"),
        client_key=request.form.get("client_key") or None,  # set by the page: resent, not redone
        **follow_up_fields(request.form),
    )
    if is_scanned_licence(data.code):  # a driving licence's PDF417 (scanner, camera): Check ID
        return check_id.answer(lambda: read_licence_text(data.code), data)
    upload = request.files.get("image")
    try:
        if not data.code and upload and upload.filename:
            outcome = record_photo_scan(
                db.session,
                upload.read(),
                data,
                limits=upload_limits(),
                pool_timeout=photo_pool_timeout(),
                **scan_context(),
            )
        else:
            outcome = record_scan(db.session, data, **scan_context())
    except BadInput as exc:
        result = refused_input(exc)
    else:
        result = checked(outcome, data, url_for("watch.scan"))
    return verdict_response(result) if htmx else show_on_scan_page(result)


@bp.get("/onboard-count")
@permission_required("scan.record")
def onboard_count():
    """Return the persons-on-board counter (polled, and refreshed after each movement)."""
    if not htmx:
        return redirect(url_for("watch.index"))
    return render_template("watch/_onboard_count.html", counts=count_on_board(db.session))


@bp.get("/photo/<int:person_id>")
@permission_required("scan.record")
def photo(person_id: int):
    """Serve a person's ID photo from the instance folder, if it is the one on their record."""
    person = db.get_or_404(Person, person_id)
    data = read_id_photo(Path(current_app.instance_path), person.photo_path)
    if data is None:
        abort(404)
    etag = hashlib.sha256(data).hexdigest()  # revalidated, as a file from disk was
    return send_file(BytesIO(data), mimetype="image/jpeg", etag=etag, conditional=True)


@bp.get("/sw.js")
def service_worker():
    """Serve the service worker from /watch/ so that its scope is the watch's pages (public)."""
    response = current_app.response_class(_service_worker_source(), mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"  # updates reach tablets at the next load
    return response


# What the tablet keeps for offline use: the page's scripts, styles, icons and the camera decoder.
OFFLINE_ASSETS = (
    "css/app.css",
    "css/layout.css",
    "css/offline.css",
    "vendor/htmx-2.0.11.min.js",
    "css/watch.css",
    "css/check_id.css",
    "js/alerts.js",
    "js/scanner.js",
    "js/nav.js",
    "js/watch.js",
    "js/recent.js",
    "js/camera.js",
    "js/code-reader.js",
    "js/id-camera.js",
    "js/offline.js",
    "js/offline-queue.js",
    "js/offline-verify.js",
    "js/offline-view.js",
    "icons/favicon.svg",
    "icons/camera.svg",
    "icons/video.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "manifest.webmanifest",
    "vendor/barcode-detector/ponyfill.js",
    "vendor/barcode-detector/zxing-exported.js",
    "vendor/barcode-detector/zxing_reader.wasm",
)


def _service_worker_source() -> str:
    """Return sw.js headed by its asset list and a version that changes with any asset."""
    cache = current_app.extensions.setdefault("gangway.sw", {})
    if "source" not in cache or current_app.debug:
        static = Path(current_app.static_folder)
        digest = hashlib.sha256()
        for name in ("js/sw.js", *OFFLINE_ASSETS):
            digest.update((static / name).read_bytes())
        config = {
            "version": digest.hexdigest()[:16],
            "assets": [url_for("static", filename=name) for name in OFFLINE_ASSETS],
            "page": url_for("watch.index"),
        }
        source = (static / "js/sw.js").read_text(encoding="utf-8")
        cache["source"] = f"const GANGWAY_SW = {json.dumps(config)};\n{source}"
    return cache["source"]
