#!/usr/bin/env bash
# Install test dependencies and run every test: on SQLite, then on a throwaway PostgreSQL server.
# Under CI=true a missing browser or database is a failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PYTHONDONTWRITEBYTECODE=1

echo "==> Lint (ruff)"
.venv/bin/ruff check gangway tests bench scripts
.venv/bin/ruff format --check -q gangway tests bench scripts

# One worker per core (pytest-xdist); GANGWAY_TEST_WORKERS=0 runs in one process.
workers=(-n "${GANGWAY_TEST_WORKERS:-auto}" --dist worksteal)

echo "==> Tests on SQLite (unit, integration, browser)"
# The shore server's tests (marked "shore") need PostgreSQL: they run in the phase below.
.venv/bin/python -m pytest "${workers[@]}" -m "not shore" "$@"

# Every integration test again on PostgreSQL, and the browser flows that write across many tables
# (marked "postgres"); the other browser tests check pages, which no database changes. Tests that
# make their own SQLite database whatever the test database (marked "sqlite_only") run once.
echo "==> Tests on PostgreSQL (integration, and browser flows marked postgres)"
scripts/with-postgres.sh .venv/bin/python -m pytest "${workers[@]}" tests/integration tests/browser \
  -m "(not browser or postgres) and not sqlite_only" -p no:cacheprovider "$@"
