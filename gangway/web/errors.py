"""App-wide error pages: clear words, JSON for the API, a verdict-box message for htmx."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from gangway.background import mail
from gangway.extensions import db, htmx, login_manager
from gangway.services.audit.guard import RecordsMismatch, record_mismatch
from gangway.web.input_text import UnreadableInput, check_request

STALE_PAGE = "This page has expired. Reload it, then scan again."


#: Bytes of a body the app did not read that are still read (and dropped) before answering.
DRAIN_LIMIT = 128 * 1024 * 1024


def init_app(app):
    """Register the handlers, and read what a request left unread before answering it."""
    app.wsgi_app = DrainUnread(app.wsgi_app)
    app.before_request(check_request)  # after CSRF; before every blueprint's own checks
    app.register_error_handler(UnreadableInput, _unreadable)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(CSRFError, _csrf_failed)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(RecordsMismatch, _records_mismatch)


def _records_mismatch(exc: RecordsMismatch):
    """No verdict on state that differs from the audit chain: say so, and alert the SSO."""
    by = current_user.username if current_user.is_authenticated else "-"
    record_mismatch(db.session, exc, by=by)
    mail.send_mismatch_alert(current_app._get_current_object(), exc.what)
    if request.path.startswith("/api/"):
        return jsonify(error=exc.code, message=exc.message), 409
    if htmx:
        return _verdict_box_message(exc.message)
    return render_template("error.html", code=409, message=exc.message), 409


def _csrf_failed(exc: CSRFError):
    """A lost session shows up as a missing CSRF token first: send the watch to log in."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if htmx:
        return _verdict_box_message(STALE_PAGE)
    return render_template("error.html", code=400, message=STALE_PAGE), 400


def _verdict_box_message(message: str):
    """Answer htmx with 200 (it swaps nothing else) and the message where the verdict goes."""
    return render_template(
        "watch/_result.html",
        result={"error": message, "field": "page"},
        reset_after=current_app.config["VERDICT_RESET_SECONDS"],
    )


def _too_large(exc):
    mb = current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024)
    message = f"The upload is too large: photos up to {mb} MB are accepted."
    if request.path.startswith("/api/"):
        return jsonify(error="too_large", field="image", message=message), 413
    if htmx:
        return _verdict_box_message(message)
    return render_template("error.html", code=413, message=message), 413


def _unreadable(exc: UnreadableInput):
    """Say which field could not be read; nothing was done with the request."""
    if request.path.startswith("/api/"):
        return jsonify(error="bad_input", field=exc.field, message=exc.description), 400
    if htmx:
        return _verdict_box_message(exc.description)
    return render_template("error.html", code=400, message=exc.description), 400


def _http_error(exc: HTTPException):
    if request.path.startswith("/api/"):
        return jsonify(error=exc.name.lower().replace(" ", "_"), message=exc.description), exc.code
    return render_template("error.html", code=exc.code, message=exc.description), exc.code


class DrainUnread:
    """Read the rest of a request body the app left unread (a 413, a redirect to log in).

    A client sends the whole body before it reads the answer: had the server answered and closed
    the connection mid-body, the client would see a connection reset, not the 413 and its words.
    Past DRAIN_LIMIT the server closes anyway (the answer is already decided and small).
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        length = environ.get("CONTENT_LENGTH") or ""
        if not length.isdigit() or int(length) == 0:
            return self.wsgi_app(environ, start_response)
        counted = environ["wsgi.input"] = _CountingInput(environ["wsgi.input"])
        result = self.wsgi_app(environ, start_response)
        counted.drain(min(int(length), DRAIN_LIMIT))
        return result


class _CountingInput:
    """A request body stream that counts the bytes read from it."""

    def __init__(self, stream):
        self.stream, self.read_bytes = stream, 0

    def read(self, size=-1):
        data = self.stream.read(size)
        self.read_bytes += len(data)
        return data

    def readline(self, size=-1):
        data = self.stream.readline(size)
        self.read_bytes += len(data)
        return data

    def __iter__(self):
        return iter(self.readline, b"")

    def drain(self, length: int) -> None:
        """Read and drop the body up to `length` bytes in all."""
        while self.read_bytes < length:
            if not self.read(min(1024 * 1024, length - self.read_bytes)):
                break
