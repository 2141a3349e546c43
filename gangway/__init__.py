"""Gangway: ISPS access control and ID verification at the ship's gangway."""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path

from flask import Flask, Request
from werkzeug.routing import IntegerConverter

from gangway.config import (
    KNOWN_WEAK_SECRETS,
    Defaults,
    default_instance_path,
    env_overrides,
    read_or_create_secret,
)


def create_app(
    test_config: dict | None = None, *, instance_path: str | Path | None = None
) -> Flask:
    """Build the app: config, extensions, blueprints, CLI. Does no work at import."""
    instance = Path(instance_path or default_instance_path()).resolve()
    app = SyncFlask(__name__, instance_path=str(instance), instance_relative_config=True)
    app.url_map.converters["int"] = RecordId
    app.request_class = UploadsInMemory
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(env_overrides(os.environ))
    if test_config:
        app.config.update(test_config)
    instance.mkdir(parents=True, exist_ok=True)
    _finish_config(app, instance)

    register_listeners()
    from gangway.extensions import csrf, db, htmx, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "db" / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)

    from gangway import web
    from gangway.web import auth, errors, roles, security_headers

    auth.init_app(app)
    roles.init_app(app)
    errors.init_app(app)
    security_headers.init_app(app)
    web.register(app)

    from gangway.cli import register_cli

    register_cli(app)
    if app.config["DOCUMENT_WARM"]:  # a serving worker: the first Check ID waits for no model
        from gangway.imaging import document_pool

        document_pool.warm()
    return app


def register_listeners() -> None:
    """Hook the engine and session events, once per process however many apps are built."""
    from gangway.db import sqlite_writers
    from gangway.db import types as dbtypes
    from gangway.services.audit import audit, record_snapshots
    from gangway.services.ship import plan_history

    sqlite_writers.register_listeners()  # the write gate, before any SQLite connection opens
    dbtypes.register_listeners()  # WAL, full sync, foreign keys
    plan_history.register_listeners()  # a revision for every change of the plan (first)
    audit.register_listeners()  # chains every record written: ISPS A/10.3
    record_snapshots.register_listeners()  # each record keeps who its person was then


def _finish_config(app: Flask, instance: Path) -> None:
    """Derive the database URL and secret key; refuse a known-weak secret outside tests."""
    cfg = app.config
    url = cfg.get("SQLALCHEMY_DATABASE_URI") or cfg.get("DATABASE_URL")
    cfg["SQLALCHEMY_DATABASE_URI"] = url or f"sqlite:///{instance / 'gangway.sqlite'}"
    if not cfg.get("SECRET_KEY"):
        cfg["SECRET_KEY"] = read_or_create_secret(instance)
    weak = str(cfg["SECRET_KEY"]).lower() in KNOWN_WEAK_SECRETS or len(str(cfg["SECRET_KEY"])) < 16
    if weak and not (cfg.get("TESTING") or cfg.get("DEBUG")):
        raise RuntimeError(
            "Refusing to start with a default or short SECRET_KEY; set a random one."
        )
    cfg["MAX_CONTENT_LENGTH"] = cfg["MAX_UPLOAD_BYTES"] + 64 * 1024  # room for the form fields
    margin = cfg.get("BOARDING_PASS_DATE_MARGIN_DAYS")
    if type(margin) is not int or margin < 0:  # else every boarding pass scan would fail
        raise RuntimeError(
            f"BOARDING_PASS_DATE_MARGIN_DAYS must be a whole number of days, 0 or more: {margin!r}"
        )


class SyncFlask(Flask):
    """The app: no view or hook is async, so skip asking each one at every call (~50 us)."""

    def ensure_sync(self, func):
        return func


class RecordId(IntegerConverter):
    """`<int:...>` in URLs: ids beyond what the database stores are a 404, not an overflow."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


class UploadsInMemory(Request):
    """Keep uploads in memory: MAX_CONTENT_LENGTH bounds them, and no temp file can leak."""

    def _get_file_stream(
        self, total_content_length, content_type, filename=None, content_length=None
    ):
        return BytesIO()
