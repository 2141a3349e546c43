"""The tests' cache of URL builders builds what Werkzeug builds, rule by rule."""

from __future__ import annotations

from flask import Flask, url_for

from tests.support.url_rules import compile_rules_once


def _app(prefix: str) -> Flask:
    app = Flask(__name__)
    app.add_url_rule("/calls/<int:call_id>", "call", lambda call_id: "")
    app.add_url_rule(f"/{prefix}/<path:rest>", "files", lambda rest: "")
    # The same rule with another default: Werkzeug writes the default into the builder.
    app.add_url_rule("/report/<kind>", "report", lambda kind: "", defaults={"kind": prefix})
    return app


def test_two_apps_with_the_same_rules_build_their_own_urls():
    compile_rules_once()
    for prefix in ("a", "b"):
        app = _app(prefix)
        with app.test_request_context():
            assert url_for("call", call_id=7, q="x y") == "/calls/7?q=x+y"
            assert url_for("files", rest="d/e f") == f"/{prefix}/d/e%20f"
            assert url_for("report") == f"/report/{prefix}"
