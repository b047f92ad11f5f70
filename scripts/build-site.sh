#!/usr/bin/env bash
# Assembles target/site from the wasm built by cargo: wasm-bindgen (the CLI matching Cargo.lock),
# wasm-opt from npm binaryen (Debian's 108 breaks hydration, see ../shared/BUILD.md), the CSS
# from style/, the static files from public/ and Leaflet from npm. Builds into a temporary
# folder and swaps it in, so a running server never serves a half-built site.
# Usage: scripts/build-site.sh WASM_FILE
set -euo pipefail
cd "$(dirname "$0")/.."
wasm=${1:?usage: scripts/build-site.sh WASM_FILE}
name=mitreden
mkdir -p target
# A folder of its own, so that two builds at the same time do not write into each other.
out=$(mktemp -d target/site.tmp.XXXXXX)
chmod 755 "$out"
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/pkg"

wasm-bindgen --target web --no-typescript --out-dir "$out/pkg" --out-name "$name" "$wasm"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-reference-types --enable-multivalue --enable-mutable-globals \
  -o "$out/pkg/${name}_bg.wasm" "$out/pkg/${name}_bg.wasm"

# One stylesheet, in file-name order (style/00-base.css first).
cat style/*.css > "$out/pkg/$name.css"
cp -R public/. "$out/"

# Leaflet for the maps (public/map.js loads it on pages that have a map), from npm: pinned in
# end2end/package.json and installed by scripts/ensure-tools.sh. Served from our own origin.
leaflet=end2end/node_modules/leaflet
if [ ! -f "$leaflet/dist/leaflet.js" ]; then
  echo "Leaflet is missing ($leaflet): run scripts/ensure-tools.sh build" >&2
  exit 1
fi
mkdir -p "$out/vendor/leaflet"
cp "$leaflet/dist/leaflet.js" "$leaflet/dist/leaflet.css" "$leaflet/LICENSE" "$out/vendor/leaflet/"
cp -R "$leaflet/dist/images" "$out/vendor/leaflet/"

# Pre-compressed copies for clients that accept them.
for f in "$out/pkg/${name}_bg.wasm" "$out/pkg/$name.js" "$out/pkg/$name.css" \
  "$out/vendor/leaflet/leaflet.js" "$out/vendor/leaflet/leaflet.css"; do
  gzip -9 -k -f "$f"
  if command -v brotli >/dev/null; then brotli -q 11 -k -f "$f"; fi
done

rm -rf target/site
mv "$out" target/site
printf 'site built in target/site (wasm %s bytes, gzip %s bytes)\n' \
  "$(stat -c %s "target/site/pkg/${name}_bg.wasm")" "$(stat -c %s "target/site/pkg/${name}_bg.wasm.gz")"
