#!/usr/bin/env bash
# Vendor the `barcode-detector` polyfill (and the zxing-wasm reader .wasm it needs)
# into gangway/static/vendor/barcode-detector/ so the gangway tablet can scan with
# the live camera while the ship is offline: nothing may be fetched from a CDN.
#
# Maintainer tool only: not run by setup or tests. Needs node/npm and the npm registry.
#   scripts/vendor-barcode-detector.sh            # latest 3.x
#   scripts/vendor-barcode-detector.sh 3.2.2      # a given version
#
# What is copied, byte-for-byte from the npm tarballs (no bundling step):
#   ponyfill.js        barcode-detector dist/es/ponyfill.js (exports BarcodeDetector,
#                      setZXingModuleOverrides, ...; does not touch globalThis)
#   zxing-exported.js  barcode-detector dist/es/zxing-exported.js (the only module
#                      ponyfill.js imports, by relative path; zxing-wasm's reader
#                      glue is already inlined in it, so there are no bare imports)
#   zxing_reader.wasm  zxing-wasm dist/reader/zxing_reader.wasm (reader only)
#   LICENSE, LICENSE.zxing-wasm, LICENSE.zxing-cpp (Apache-2.0, the wasm is built from it)
# The JS has a default locateFile pointing at fastly.jsdelivr.net; camera.js replaces it
# with setZXingModuleOverrides() before constructing a detector, so it is never used.
set -euo pipefail

VERSION="${1:-3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/gangway/static/vendor/barcode-detector"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/vendor-bd.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
# npm pack downloads the tarball (integrity-checked against the registry) and runs no scripts.
BD_TGZ="$(npm pack --silent "barcode-detector@$VERSION" | tail -n1)"
mkdir bd && tar -xzf "$BD_TGZ" -C bd --strip-components=1
BD_VERSION="$(node -p 'require("./bd/package.json").version')"
ZX_VERSION="$(node -p 'require("./bd/package.json").dependencies["zxing-wasm"]')"
case "$ZX_VERSION" in
  [0-9]*.[0-9]*.[0-9]*) ;;
  *) echo "zxing-wasm dependency is a range ($ZX_VERSION), not an exact pin: check by hand" >&2; exit 1 ;;
esac
ZX_TGZ="$(npm pack --silent "zxing-wasm@$ZX_VERSION" | tail -n1)"
mkdir zx && tar -xzf "$ZX_TGZ" -C zx --strip-components=1

ES="bd/dist/es"
WASM="zx/dist/reader/zxing_reader.wasm"

# Sanity checks: the layout this script (and camera.js) relies on.
grep -q 'BarcodeDetector' "$ES/ponyfill.js"
grep -q 'setZXingModuleOverrides' "$ES/ponyfill.js"
imports="$(grep -hoE '(from|import)[[:space:]]*\(?"[^"]+"' "$ES/ponyfill.js" "$ES/zxing-exported.js" | sed -E 's/.*"([^"]+)"/\1/' | sort -u)"
if [ "$imports" != "./zxing-exported.js" ]; then
  echo "unexpected imports in the ES build: $imports" >&2; exit 1
fi
grep -q '"zxing_reader.wasm"' "$ES/zxing-exported.js" || { echo "ES build no longer loads zxing_reader.wasm" >&2; exit 1; }
# The wasm must be the exact one the JS glue was built against.
want_sha="$(grep -oE '"[0-9a-f]{64}"' "$ES/zxing-exported.js" | tr -d '"' | sort -u)"
have_sha="$(sha256sum "$WASM" | cut -d' ' -f1)"
if ! grep -qx "$have_sha" <<<"$want_sha"; then
  echo "zxing_reader.wasm sha256 $have_sha is not the one embedded in the JS ($want_sha)" >&2; exit 1
fi
# Only the known jsdelivr default URL (overridden at runtime) may appear.
urls="$(grep -hoE 'https?://[^`"'"'"' )]+' "$ES/ponyfill.js" "$ES/zxing-exported.js" | sort -u || true)"
if [ -n "$(grep -v '^https://fastly\.jsdelivr\.net/npm/zxing-wasm@' <<<"$urls" || true)" ]; then
  echo "unexpected URLs in the ES build:" >&2; echo "$urls" >&2; exit 1
fi

rm -rf "$DEST"
mkdir -p "$DEST"
cp "$ES/ponyfill.js" "$ES/zxing-exported.js" "$WASM" "$DEST/"
cp bd/LICENSE "$DEST/LICENSE"
cp zx/LICENSE "$DEST/LICENSE.zxing-wasm"
if [ -f /usr/share/common-licenses/Apache-2.0 ]; then
  cp /usr/share/common-licenses/Apache-2.0 "$DEST/LICENSE.zxing-cpp"
else
  echo "warning: add the Apache-2.0 text as $DEST/LICENSE.zxing-cpp by hand" >&2
fi
# The JS embeds ZXING_CPP_COMMIT as its only 40-hex string literal.
ZXING_CPP_COMMIT="$(grep -oE '"[0-9a-f]{40}"' "$ES/zxing-exported.js" | sort -u | tr -d '"' | paste -sd' ')"

{
  echo "Vendored by scripts/vendor-barcode-detector.sh on $(date -u +%Y-%m-%d). Do not edit; re-run the script."
  echo "barcode-detector $BD_VERSION (npm, MIT) https://github.com/Sec-ant/barcode-detector"
  echo "zxing-wasm $ZX_VERSION (npm, MIT) https://github.com/Sec-ant/zxing-wasm"
  echo "zxing-cpp commit $ZXING_CPP_COMMIT (Apache-2.0, compiled into zxing_reader.wasm) https://github.com/zxing-cpp/zxing-cpp"
  echo
  echo "ponyfill.js        = barcode-detector/dist/es/ponyfill.js"
  echo "zxing-exported.js  = barcode-detector/dist/es/zxing-exported.js"
  echo "zxing_reader.wasm  = zxing-wasm/dist/reader/zxing_reader.wasm"
  echo
  echo "sha256:"
  (cd "$DEST" && sha256sum ponyfill.js zxing-exported.js zxing_reader.wasm LICENSE LICENSE.zxing-wasm $( [ -f LICENSE.zxing-cpp ] && echo LICENSE.zxing-cpp ))
} >"$DEST/VERSIONS.txt"

echo "vendored barcode-detector $BD_VERSION + zxing-wasm $ZX_VERSION into ${DEST#"$ROOT"/}"
ls -l "$DEST"
