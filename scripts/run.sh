#!/usr/bin/env bash
# Set everything up and serve Gangway on port 8000 with the demo ship loaded.
# Extra arguments go to `gangway serve` (e.g. --tls-self-signed so tablets may use the camera).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/gangway init-db
.venv/bin/gangway seed-demo
exec .venv/bin/gangway serve --port "${PORT:-8000}" "$@"
