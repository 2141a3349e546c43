"""htmx helpers: one render path for a page and its fragment (`Vary: HX-Request` is set with
the security headers, gangway/web/security_headers.py)."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, url_for

from gangway.extensions import htmx


def render_page_or_fragment(page: str, fragment: str, **context) -> str:
    """Render the fragment for htmx requests (not history restores), the full page otherwise."""
    if htmx and not htmx.history_restore_request:
        return render_template(fragment, **context)
    return render_template(page, **context)


def fragment_or_redirect(render: Callable[..., str], message: str, endpoint: str):
    """Answer a change: render(notice=message) for htmx, else flash it and redirect-after-POST."""
    if htmx:
        return render(notice=message)
    flash(message, "info")
    return redirect(url_for(endpoint))


def bad_input_status() -> int:
    """Return the status of a form re-rendered with its error: 200 for htmx to swap it, else 400."""
    return 200 if htmx else 400
