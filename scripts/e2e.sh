#!/usr/bin/env bash
# shellcheck disable=SC2317 # functions below run from traps
# End-to-end tests: a fresh SQLite database with the demo data, the server on a free port, and
# Playwright (headless Debian Chromium, JavaScript on and off, axe on every page) against it.
#
#   scripts/e2e.sh [PLAYWRIGHT ARGS...]     e.g. scripts/e2e.sh --project nojs -g Beitrag
#
# MITREDEN_BIN      server binary (default target/debug/mitreden)
# LEPTOS_SITE_ROOT  the built site: wasm, JS, CSS (default target/site)
# The exit code is Playwright's; the server log is printed when something failed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
me=e2e

die() {
  printf '%s: %s\n' "$me" "$*" >&2
  exit 1
}

bin=${MITREDEN_BIN:-target/debug/mitreden}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
site=${LEPTOS_SITE_ROOT:-target/site}
case $site in /*) ;; *) site=$root/$site ;; esac
export LEPTOS_SITE_ROOT=$site

[ -x "$bin" ] || die "server binary $bin not found: build it first (or set MITREDEN_BIN)"
[ -d "$site" ] || die "site root $site not found: build the site first (or set LEPTOS_SITE_ROOT)"
[ -d "$site/pkg" ] || printf '%s: warning: %s/pkg is missing: pages will not hydrate\n' "$me" "$site" >&2
[ -x /usr/bin/chromium ] || [ -n "${MITREDEN_CHROMIUM:-}" ] ||
  die "/usr/bin/chromium not found: install Debian's chromium (scripts/ensure-tools.sh)"

if [ ! -x end2end/node_modules/.bin/playwright ] || [ ! -d end2end/node_modules/@axe-core/playwright ]; then
  printf '%s: installing node packages in end2end/ (npm ci)\n' "$me" >&2
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mitreden-e2e.XXXXXX")
server_log=$tmp/server.log
server_pid=
log_printed=

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$server_pid" 2>/dev/null && [ "$waited" -lt 100 ]; do
      sleep 0.1
      waited=$((waited + 1))
    done
    if kill -0 "$server_pid" 2>/dev/null; then
      printf '%s: server did not stop within 10 s after SIGTERM; killing it\n' "$me" >&2
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}

print_server_log() {
  if [ -z "$log_printed" ] && [ -s "$server_log" ]; then
    log_printed=1
    printf '%s: --- server log (last 200 lines) ---\n' "$me" >&2
    tail -n 200 "$server_log" >&2
    printf '%s: --- end of server log ---\n' "$me" >&2
    mkdir -p end2end/test-results
    cp "$server_log" end2end/test-results/server.log 2>/dev/null || true
  fi
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_server
  if [ "$rc" -ne 0 ]; then
    print_server_log
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

port=$(free_port) || die "found no free TCP port on 127.0.0.1"
origin=http://127.0.0.1:$port

export MITREDEN_DATABASE_URL=sqlite://$tmp/e2e.db
export MITREDEN_DATA_DIR=$tmp/data
export MITREDEN_BASE_URL=$origin
export MITREDEN_MAIL=file
# As behind a reverse proxy: tests that play many residents send X-Forwarded-For from documentation
# networks, so that the per-network rate limits count each resident on its own.
export MITREDEN_TRUSTED_PROXIES=127.0.0.1
export NO_COLOR=1 # plain server log
mkdir -p "$MITREDEN_DATA_DIR"

printf '%s: migrating and seeding %s\n' "$me" "$MITREDEN_DATABASE_URL" >&2
"$bin" migrate --database-url "$MITREDEN_DATABASE_URL" >>"$server_log" 2>&1 ||
  die "mitreden migrate failed (exit $?)"
"$bin" seed-demo >>"$server_log" 2>&1 || die "mitreden seed-demo failed (exit $?)"

printf '%s: starting %s serve on %s\n' "$me" "$bin" "$origin" >&2
"$bin" serve --addr "127.0.0.1:$port" >>"$server_log" 2>&1 &
server_pid=$!

deadline=$((SECONDS + 30))
until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$origin/healthz" || true)" = 200 ]; do
  kill -0 "$server_pid" 2>/dev/null || {
    wait "$server_pid" && code=0 || code=$?
    server_pid=
    die "the server exited (code $code) before /healthz answered 200"
  }
  [ "$SECONDS" -lt "$deadline" ] || die "GET $origin/healthz did not answer 200 within 30 s"
  sleep 0.2
done
printf '%s: server is up; running Playwright\n' "$me" >&2

# Playwright runs in the background so that a signal sent to this script alone (a CI time-out)
# reaches it at once and the server is still stopped.
(
  cd end2end
  MITREDEN_E2E_URL=$origin PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 exec node_modules/.bin/playwright test "$@"
) <&0 &
pw_pid=$!
trap 'kill -INT "$pw_pid" 2>/dev/null || true; wait "$pw_pid" || true; exit 130' INT
trap 'kill -TERM "$pw_pid" 2>/dev/null || true; wait "$pw_pid" || true; exit 143' TERM
status=0
wait "$pw_pid" || status=$?
if [ "$status" -ne 0 ]; then
  printf '%s: Playwright failed (exit %s)\n' "$me" "$status" >&2
  # The server log first, so that what failed (below) is what the end of a CI log shows.
  stop_server
  print_server_log
fi
# The closing lines CI reads: each failed test with the start of its error, then the counts, from
# Playwright's JSON report.
node -e '
  const report = require(process.argv[1]);
  const failed = [];
  const walk = (suite, file) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        for (const r of t.results ?? []) {
          if (r.status !== "passed" && r.status !== "skipped") {
            const error = (r.error?.message ?? r.status).replace(/\x1b\[[0-9;]*m/g, "");
            failed.push(`e2e: FAILED [${t.projectName}] ${file}:${spec.line} ${spec.title}\n    ` +
              error.split("\n").slice(0, 24).join("\n    "));
          }
        }
      }
    }
    for (const child of suite.suites ?? []) walk(child, child.file ?? file);
  };
  for (const suite of report.suites ?? []) walk(suite, suite.file);
  for (const line of failed) console.log(line);
  const s = report.stats;
  console.log(`e2e: ${s.expected + s.flaky} passed, ${s.unexpected} failed, ${s.skipped} skipped`);
' "$root/end2end/test-results/results.json" || printf 'e2e: 0 passed, 1 failed\n'
exit "$status"
