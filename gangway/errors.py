"""App-wide error pages: clear words, JSON for the API, a verdict-box message for htmx."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .extensions import htmx


def init_app(app):
    """Register the handlers."""
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(HTTPException, _http_error)


def _too_large(exc):
    mb = current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024)
    message = f"The upload is too large: photos up to {mb} MB are accepted."
    if request.path.startswith("/api/"):
        return jsonify(error="too_large", field="image", message=message), 413
    if htmx:  # htmx swaps only 2xx answers: show the message where the verdict goes
        return render_template("watch/_result.html", result={"error": message, "field": "image"},
                               reset_after=current_app.config["VERDICT_RESET_SECONDS"])
    return render_template("error.html", code=413, message=message), 413


def _http_error(exc: HTTPException):
    if request.path.startswith("/api/"):
        return jsonify(error=exc.name.lower().replace(" ", "_"), message=exc.description), exc.code
    return render_template("error.html", code=exc.code, message=exc.description), exc.code
