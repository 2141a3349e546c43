"""The ship-to-shore link's endpoints, on the shore server only (protocol v1, README "Shore
server"): a ship authenticates by its link token, never by a user's login or token."""

from __future__ import annotations

import json
import zlib

from flask import Blueprint, current_app, jsonify, request

from gangway.db.types import utcnow
from gangway.domain.shore.wire import MalformedBatch, parse_batch
from gangway.extensions import csrf, db
from gangway.services.shore.ingest import Refused, ingest_batch
from gangway.services.shore.photos import keep_photo
from gangway.services.shore.ships import ship_for_token

bp = Blueprint("shore_link", __name__, url_prefix="/api/v1/shore")
csrf.exempt(bp)  # a ship sends no cookie: its link token is its only credential


class _Answer(Exception):
    """An answer decided while reading the request (401, 400, 413)."""

    def __init__(self, status: int, error: str, message: str):
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


@bp.errorhandler(_Answer)
def _answer(exc: _Answer):
    response = jsonify(error=exc.error, message=exc.message)
    response.status_code = exc.status
    if exc.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="gangway"'
    return response


@bp.get("/head")
def head():
    """Tell a ship the head of its chain the shore holds (where to resume)."""
    ship = _ship()
    return jsonify(
        imo=ship.imo,
        seq=ship.head_seq,
        entry_hash=ship.head_hash,
        chain_status=ship.chain_status,
        diverged_at=ship.diverged_at,
    )


@bp.post("/batches")
def batches():
    """Take a ship's batch of chain entries: added (200), or refused and kept aside (409/403)."""
    ship = _ship()
    raw = _body_bytes()
    try:
        batch = parse_batch(_unpacked_json(raw))
    except MalformedBatch as exc:
        raise _Answer(400, "bad_batch", str(exc)) from None
    outcome = ingest_batch(db.session, ship.id, batch, raw, utcnow())
    if isinstance(outcome, Refused):
        return jsonify(error=outcome.code, seq=outcome.seq, message=outcome.message), outcome.status
    head = {"seq": outcome.head.seq, "entry_hash": outcome.head.entry_hash}
    return jsonify(head=head, accepted=outcome.accepted, already_held=outcome.already_held)


@bp.put("/photos/<int:person_id>/<photo>")
def photos(person_id: int, photo: str):
    """Keep a photo the ship's SSO sent, if the ship's chain held ashore names its SHA-256."""
    ship = _ship()
    limit = current_app.config["SHORE_MAX_PHOTO_BYTES"]
    if (request.content_length or 0) > limit:
        raise _Answer(413, "too_large", f"A photo is at most {limit} bytes.")
    data = request.get_data(cache=True)
    if len(data) > limit:
        raise _Answer(413, "too_large", f"A photo is at most {limit} bytes.")
    sha256 = request.headers.get("X-Photo-SHA256", "")
    answer = keep_photo(db.session, ship.id, person_id, photo, sha256, data, utcnow())
    if answer.error:
        raise _Answer(answer.status, answer.error, answer.message)
    return jsonify(person_id=person_id, photo=photo, sha256=sha256.lower(), message=answer.message)


def _ship():
    """Return the ship whose link token the call carries, or answer 401."""
    header = request.headers.get("Authorization", "")
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    ship = ship_for_token(db.session, token) if token else None
    if ship is None:
        message = "Send the ship's link token: Authorization: Bearer gws_..."
        raise _Answer(401, "unauthorized", message)
    return ship


def _body_bytes() -> bytes:
    """Read the body as sent, at most SHORE_MAX_BATCH_BYTES (413 beyond)."""
    limit = current_app.config["SHORE_MAX_BATCH_BYTES"]
    if request.headers.get("Content-Encoding", "").strip().lower() != "gzip":
        raise _Answer(400, "bad_batch", "Send the batch gzip-compressed (Content-Encoding: gzip).")
    if (request.content_length or 0) > limit:
        raise _Answer(413, "too_large", f"A batch is at most {limit} bytes compressed.")
    raw = request.get_data(cache=True)  # the text guard (input_text.py) may have read it
    if len(raw) > limit:
        raise _Answer(413, "too_large", f"A batch is at most {limit} bytes compressed.")
    return raw


def _unpacked_json(raw: bytes):
    """Unpack the gzip body (at most SHORE_MAX_UNPACKED_BYTES) and decode its JSON."""
    limit = current_app.config["SHORE_MAX_UNPACKED_BYTES"]
    unpacker = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip only
    try:
        data = unpacker.decompress(raw, limit + 1)
    except zlib.error:
        raise _Answer(400, "bad_batch", "The body is not gzip data.") from None
    if len(data) > limit or unpacker.unconsumed_tail:
        raise _Answer(413, "too_large", f"A batch is at most {limit} bytes unpacked.")
    if not unpacker.eof:
        raise _Answer(400, "bad_batch", "The gzip body is truncated: send the whole batch.")
    if unpacker.unused_data:
        raise _Answer(400, "bad_batch", "Bytes follow the gzip data: send one gzip stream.")
    try:
        return json.loads(data, parse_constant=_no_constant)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise _Answer(400, "bad_batch", "The unpacked body is not JSON (UTF-8).") from None


def _no_constant(name: str):
    """Refuse NaN and Infinity: they are not JSON, and no database column takes them."""
    raise ValueError(f"{name} is not JSON")
