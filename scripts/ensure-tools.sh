#!/usr/bin/env bash
# Installs, idempotently, everything the build and the tests need that cargo alone does not bring:
# the wasm target, wasm-bindgen-cli at the Cargo.lock version, wasm-opt (npm binaryen, see
# ../shared/BUILD.md), Debian chromium, PostgreSQL and haproxy, and the node packages under
# end2end/ (among them Leaflet, which scripts/build-site.sh copies into the site).
# Usage: scripts/ensure-tools.sh [build|test|bench]   (build: only what `make build` needs;
# bench: test's and the load tool, nginx, brotli and GNU time for `make bench`)
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-test}

log() { printf '==> %s\n' "$*" >&2; }

# --- Rust side -------------------------------------------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
wb_version=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3; exit}' Cargo.lock)
if [ -z "$wb_version" ]; then
  echo "could not read the wasm-bindgen version from Cargo.lock" >&2
  exit 1
fi
if ! command -v wasm-bindgen >/dev/null || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$wb_version" ]; then
  log "installing wasm-bindgen-cli $wb_version (about 3 minutes)"
  # Not --locked: the CLI's own lock file names a webpki-roots version crates.io no longer serves.
  cargo install wasm-bindgen-cli --version "$wb_version" --force
fi

# --- Debian packages -------------------------------------------------------------------------
need_apt=()
if [ "$what" = test ] || [ "$what" = bench ]; then
  [ -x /usr/bin/chromium ] || need_apt+=(chromium fonts-dejavu-core)
  [ -x /usr/lib/postgresql/15/bin/initdb ] || need_apt+=(postgresql-15)
  # The e2e tests set up a few states (a contribution hidden by a moderator) straight in the
  # e2e SQLite database.
  [ -x /usr/bin/sqlite3 ] || need_apt+=(sqlite3)
  # The cluster test runs two instances behind its own haproxy process (its own config and ports
  # in a temp dir; the system service the package sets up is neither needed nor touched).
  [ -x /usr/sbin/haproxy ] || need_apt+=(haproxy)
fi
if [ "$what" = bench ]; then
  # make bench: the load tool, the static-file baseline, brotli sizes, peak RSS (GNU time).
  [ -x /usr/bin/wrk ] || need_apt+=(wrk)
  [ -x /usr/sbin/nginx ] || need_apt+=(nginx)
  [ -x /usr/bin/brotli ] || need_apt+=(brotli)
  [ -x /usr/bin/time ] || need_apt+=(time)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing Debian packages: ${need_apt[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

# --- node packages (wasm-opt from npm binaryen, Leaflet for the site; Playwright + axe) -------
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ ! -f end2end/node_modules/leaflet/dist/leaflet.js ] ||
  [ ! -f end2end/node_modules/lighthouse/package.json ] ||
  [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  log "installing node packages in end2end/ (npm ci)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
