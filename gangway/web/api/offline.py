"""JSON API for offline tablets: the pack they verify badges with while the network is down."""

from __future__ import annotations

from flask import jsonify
from flask_wtf.csrf import generate_csrf

from gangway import keys
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services.offline.pack import issue_offline_pack
from gangway.web.api.base import api_blueprint
from gangway.web.common import caller_device_now
from gangway.web.roles import permission_required

bp = api_blueprint("api_offline", __name__)


@bp.get("/offline-pack")
@permission_required("scan.record")
def offline_pack():
    """Return the public keys, badge roster, revoked badges and plan basics, with the pack's id.

    The one write on a GET: the pack's issue is recorded (chained), as a tablet's late scans are
    judged against it; the roster itself is only read.
    """
    device = caller_device_now()
    pack = issue_offline_pack(db.session, device, now=utcnow(), public_keys=keys.public_keys())
    # A tablet back from hours offline sends its queue with a token fresh from this same call;
    # a token caller needs none (and gets no session cookie for it).
    csrf_token = generate_csrf() if device.token_id is None else None
    response = jsonify({**pack, "csrf_token": csrf_token})
    response.headers["Cache-Control"] = "no-store"  # names of everyone aboard: keep out of caches
    return response
