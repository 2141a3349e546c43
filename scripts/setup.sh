#!/usr/bin/env bash
# Install what Gangway needs on a Debian/Ubuntu machine, skipping what is already there.
#   scripts/setup.sh          runtime: system libraries, virtualenv, the app
#   scripts/setup.sh --test   also Chromium, PostgreSQL and the test tools
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

packages=(libzbar0 fonts-dejavu-core fonts-droid-fallback ca-certificates)
[ "$want_test" = 1 ] && packages+=(chromium postgresql poppler-utils)
# Tests draw identity documents' zones in OCR-B; the document bench measures tesseract beside
# the PP-OCR model that reads zones in the app (a pip wheel: see pyproject.toml).
[ "$want_test" = 1 ] && packages+=(fonts-ocr-b tesseract-ocr)
command -v python3 >/dev/null || packages+=(python3)
python3 -c 'import ensurepip, venv' 2>/dev/null || packages+=(python3-venv)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> Installing system packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python3 - <<'PY' || { echo "Gangway needs Python 3.11 or newer" >&2; exit 1; }
import sys
sys.exit(sys.version_info < (3, 11))
PY

extras=""
[ "$want_test" = 1 ] && extras="[test]"
stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)${extras:+-test}"
if [ ! -f "$stamp" ]; then
  echo "==> Installing Python packages into .venv"
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".$extras"
  touch "$stamp"
fi
