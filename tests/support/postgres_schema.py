"""The tests' PostgreSQL: a database per pytest-xdist worker, emptied between tests while its
schema is the one built here (tests/conftest.py's build_app), else built again."""

from __future__ import annotations

import os

from sqlalchemy import MetaData, Table, create_engine, text
from sqlalchemy.engine import make_url

from gangway.extensions import db

_worker_databases: dict[str, str] = {}


def postgres_url() -> str | None:
    """The PostgreSQL URL for this process: under xdist each worker gets a database of its own."""
    base = os.environ.get("GANGWAY_TEST_DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not base or not worker:
        return base
    if base not in _worker_databases:
        url = make_url(base)
        name = f"{url.database}_{worker}"
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        _worker_databases[base] = url.set(database=name).render_as_string(hide_password=False)
    return _worker_databases[base]


_built_schema: dict[str, str] = {}  # database URL -> fingerprint of the schema create_all made


def empty_tables() -> bool:
    """On PostgreSQL, empty every table (ids from 1 again) if the schema is still the one built
    here, and say so; a test that dropped or migrated it makes the caller build it again.

    TRUNCATE costs a third of dropping and creating ~30 tables, on each of ~1,500 tests; and
    only the tables a test wrote are truncated (a test writes a few: truncating all of them cost
    four times as much), every sequence set back to 1.
    """
    if db.engine.dialect.name != "postgresql":
        return False
    url = db.engine.url.render_as_string(hide_password=False)
    if _built_schema.get(url) != schema_fingerprint():
        return False
    written = " UNION ALL ".join(
        f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")"
        for t in db.metadata.sorted_tables
    )
    if names := ", ".join(f'"{name}"' for name in db.session.scalars(text(written))):
        db.session.execute(text(f"TRUNCATE {names} CASCADE"))
    db.session.execute(
        text(
            "SELECT setval(c.oid, 1, false) FROM pg_class c"
            " WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"
        )
    )
    db.session.commit()
    return True


def schema_fingerprint() -> str:
    """Return a digest of the public schema's tables, columns, types and the Alembic table."""
    return db.session.scalar(
        text(
            "SELECT md5(coalesce(string_agg(table_name || '.' || column_name || ':' || data_type"
            " || ':' || is_nullable || ':' || coalesce(column_default, ''), ','"
            " ORDER BY table_name, column_name), '')) FROM information_schema.columns"
            " WHERE table_schema = 'public'"
        )
    )


def reset_schema():
    """Drop every table, Alembic's version table too (a shared PostgreSQL outlives each test)."""
    db.drop_all()
    Table("alembic_version", MetaData()).drop(db.engine, checkfirst=True)
    db.create_all()
    if db.engine.dialect.name == "postgresql":
        _built_schema[db.engine.url.render_as_string(hide_password=False)] = schema_fingerprint()
        db.session.commit()
