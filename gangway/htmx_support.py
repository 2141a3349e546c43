"""htmx helpers: one render path for a page and its fragment, and the Vary header."""

from __future__ import annotations

from flask import render_template

from .extensions import htmx


def init_app(app):
    """Mark every response as varying on HX-Request so caches never mix pages and fragments."""

    @app.after_request
    def _vary(response):
        response.vary.add("HX-Request")
        return response


def render_page_or_fragment(page: str, fragment: str, **context) -> str:
    """Render the fragment for htmx requests (not history restores), the full page otherwise."""
    if htmx and not htmx.history_restore_request:
        return render_template(fragment, **context)
    return render_template(page, **context)
