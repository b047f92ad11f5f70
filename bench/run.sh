#!/usr/bin/env bash
# `make bench`: measures the release build on this machine, each number next to a baseline
# measured in the same run, and writes bench/results/bench.json and docs/BENCHMARKS.md.
#
#   page      the consultation page with 500 comments, anonymous: requests/s, p50 and p99 at 8,
#             64 and 256 connections (wrk, loopback, BENCH_SECONDS each), against nginx serving
#             the same bytes as a static file; also rendered on every request (a session cookie
#             the server does not know keeps the page store out) at 64 connections
#   writes    support votes and comments per second through HTTP, 64 connections (the server's
#             pool: 10 connections on SQLite, the default; 32 on PostgreSQL), 5,000
#             signed-in participants each from a network of its own; SQLite and PostgreSQL
#             (a cluster with fsync and synchronous commit on); every acknowledged write is
#             checked in the database afterwards; baseline: single-row insert transactions
#             straight into the same database engine (sqlite3 CLI, pgbench) at the same
#             concurrency
#   memory    RSS of the idle server just after start and after the load, against nginx's
#   ttfb      time to first byte of the page (stored and rendered), against nginx's
#   wasm      size of the app's wasm, raw, gzip -9 and brotli -q 11
#   export    bench/export.sh: 10k and 100k comments as CSV and XLSX, time and peak RSS,
#             against sqlite3 writing the same rows as CSV
#   lighthouse bench/lighthouse.mjs: performance and accessibility of the home and the
#             consultation page, mobile and desktop (Debian Chromium)
#
# Run through scripts/with-postgres.sh (the Makefile does), which provides the PostgreSQL
# cluster in MITREDEN_TEST_PG_URL. Usage: bench/run.sh [BIN]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/mitreden}
seconds=${BENCH_SECONDS:-10}
site=target/site
consultation=musterstadt/verkehrsberuhigung-altstadt
org=${consultation%/*}
slug=${consultation#*/}
out=bench/results
participants=5000

say() { printf 'bench: %s\n' "$*" >&2; }
die() {
  say "$*"
  exit 1
}

[ -x "$bin" ] || die "no binary at $bin (make bench builds it)"
[ -f "$site/pkg/mitreden_bg.wasm" ] || die "no site in $site (make bench builds it)"
for tool in wrk nginx sqlite3 psql brotli /usr/bin/time node; do
  command -v "$tool" >/dev/null || die "$tool is missing: run scripts/ensure-tools.sh bench"
done
[ -n "${MITREDEN_TEST_PG_URL:-}" ] || die "MITREDEN_TEST_PG_URL is not set: run through scripts/with-postgres.sh"
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$pg_bin/pgbench" ] || die "pgbench is missing in $pg_bin"

work=$(mktemp -d /tmp/mitreden-bench.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$out"
started=$SECONDS

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wrk's time units to milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.3f", n }'
}

# wrk with the latency distribution; prints "rps p50_ms p99_ms".
load() { # connections url [wrk args...]
  local c=$1 url=$2
  shift 2
  local threads=2 res
  [ "$c" -lt 2 ] && threads=1
  res=$(wrk -t"$threads" -c"$c" -d"${seconds}s" --timeout 10s --latency "$@" "$url")
  local rps p50 p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$res")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$res")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$res")")
  if grep -q "Non-2xx" <<<"$res"; then
    die "wrk got error answers from $url: $(grep Non-2xx <<<"$res")"
  fi
  echo "$rps $p50 $p99"
}

rss_kb() { # pid...: the sum of their resident set sizes
  local total=0 pid kb
  for pid in "$@"; do
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + kb))
  done
  echo "$total"
}

# Median time to first byte of 21 sequential requests, in ms.
ttfb() { # url [curl args...]
  local url=$1
  shift
  for _ in $(seq 1 21); do
    curl -s -o /dev/null -w '%{time_starttransfer}\n' "$@" "$url"
  done | sort -n | awk '{a[NR] = $1} END {printf "%.3f", a[11] * 1000}'
}

server_pid=
serve() { # database-url port [pool size]
  local url=$1 port=$2 pool=${3:-10}
  "$bin" serve --database-url "$url" --db-max-connections "$pool" --addr "127.0.0.1:$port" --base-url "http://127.0.0.1:$port" \
    --data-dir "$work/data" --site-root "$site" --tile-url '' --trusted-proxies 127.0.0.1 \
    >"$work/serve-$port.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve-$port.log" >&2; die "the server did not start"; }
    sleep 0.1
  done
  die "the server did not answer /healthz"
}
stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}

# --- data: the demo, 500 comments with 2,000 votes on the page, 5,000 signed-in writers ------
seed() { # database-url sessions-file
  "$bin" seed-demo --database-url "$1" >/dev/null
  "$bin" seed-load --database-url "$1" --consultation "$consultation" --comments 500 --votes 2000 >/dev/null
  # The writers: one comment among them (so the page's comments are none of theirs to support).
  "$bin" seed-load --database-url "$1" --consultation "$consultation" --comments 1 \
    --participants "$participants" --with-email --sessions "$2" >/dev/null
}

# SQL for the checks, the same on both engines.
consultation_id="(SELECT c.id FROM consultations c JOIN organisations o ON o.id = c.organisation_id \
WHERE o.slug = '$org' AND c.slug = '$slug')"
writers="(SELECT user_id FROM sessions)"
sql_targets="SELECT id FROM comments WHERE consultation_id = $consultation_id AND status = 'published' \
AND author_user_id NOT IN $writers ORDER BY id"
sql_votes="SELECT COUNT(*) FROM comment_votes WHERE user_id IN $writers"
sql_comments="SELECT COUNT(*) FROM comments WHERE author_user_id IN $writers AND body LIKE 'Lastprobe %'"

# Writes through HTTP; prints the JSON line of bench/write.lua plus the rows found afterwards.
writes() { # kind port query-cmd...
  local kind=$1 port=$2
  shift 2
  local count_sql=$sql_votes
  [ "$kind" = comment ] && count_sql=$sql_comments
  local before after res
  before=$("$@" "$count_sql")
  res=$(wrk -t2 -c64 -d"${seconds}s" --timeout 10s -s bench/write.lua "http://127.0.0.1:$port" -- \
    "$kind" "$work/sessions.txt" "$work/targets.txt" "$org" "$slug" 2 "http://127.0.0.1:$port" | tail -n 1)
  after=$("$@" "$count_sql")
  local ok stored
  ok=$(sed -E 's/.*"ok":([0-9]+).*/\1/' <<<"$res")
  stored=$((after - before))
  # Requests still in flight when wrk stops may be stored without wrk seeing the answer; an
  # acknowledged write that is not stored is lost.
  [ "$stored" -ge "$ok" ] || die "$kind: $ok acknowledged but only $stored stored: writes were lost"
  echo "${res%\}},\"stored\":$stored}"
}

rate() { # json-line: acknowledged writes per second
  awk -v l="$1" 'BEGIN {
    match(l, /"ok":[0-9]+/); ok = substr(l, RSTART + 5, RLENGTH - 5)
    match(l, /"seconds":[0-9.]+/); s = substr(l, RSTART + 10, RLENGTH - 10)
    printf "%.0f", ok / s }'
}

# --- SQLite: page, memory, TTFB, writes ---------------------------------------------------------
say "seeding SQLite"
sqlite_file=$work/sqlite.db
sqlite_url="sqlite://$sqlite_file"
seed "$sqlite_url" "$work/sessions.txt"
port=$(free_port)
serve "$sqlite_url" "$port"
sleep 2
idle_start=$(rss_kb "$server_pid")
page="http://127.0.0.1:$port/$consultation"
curl -sf -o "$work/page.html" "$page"
page_bytes=$(stat -c %s "$work/page.html")

# nginx with the same bytes.
ngx=$work/nginx
mkdir -p "$ngx/www" "$ngx/tmp"
cp "$work/page.html" "$ngx/www/page.html"
ngx_port=$(free_port)
cat >"$ngx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $ngx/nginx.pid;
error_log $ngx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $ngx/tmp; proxy_temp_path $ngx/tmp; fastcgi_temp_path $ngx/tmp;
  uwsgi_temp_path $ngx/tmp; scgi_temp_path $ngx/tmp;
  server {
    listen 127.0.0.1:$ngx_port;
    root $ngx/www;
    location / { default_type text/html; }
  }
}
EOF
nginx -c "$ngx/nginx.conf" -p "$ngx" &
ngx_pid=$!
pids+=("$ngx_pid")
sleep 1
static="http://127.0.0.1:$ngx_port/page.html"
curl -sf -o "$work/static.html" "$static" || die "nginx does not serve the page"
cmp -s "$work/page.html" "$work/static.html" || die "nginx serves other bytes"

say "page ($page_bytes bytes): ${seconds} s per run"
page_rows=()
for c in 8 64 256; do
  read -r n_rps n_p50 n_p99 < <(load "$c" "$static")
  read -r m_rps m_p50 m_p99 < <(load "$c" "$page")
  ratio=$(awk "BEGIN {printf \"%.3f\", $m_rps / $n_rps}")
  say "  $c connections: mitreden $m_rps/s p50 $m_p50 ms p99 $m_p99 ms; nginx $n_rps/s p50 $n_p50 ms p99 $n_p99 ms; ratio $ratio"
  page_rows+=("{\"connections\":$c,\"mitreden\":{\"rps\":$m_rps,\"p50_ms\":$m_p50,\"p99_ms\":$m_p99},\"nginx\":{\"rps\":$n_rps,\"p50_ms\":$n_p50,\"p99_ms\":$n_p99},\"ratio\":$ratio}")
done
read -r r_rps r_p50 r_p99 < <(load 64 "$page" -H "Cookie: mitreden_session=0000")
say "  rendered every time, 64 connections: $r_rps/s p50 $r_p50 ms p99 $r_p99 ms"

ttfb_stored=$(ttfb "$page")
ttfb_rendered=$(ttfb "$page" -H "Cookie: mitreden_session=0000")
ttfb_nginx=$(ttfb "$static")
sleep 3
idle_after=$(rss_kb "$server_pid")
nginx_rss=$(rss_kb "$ngx_pid" $(pgrep -P "$ngx_pid" || true))
say "  TTFB stored $ttfb_stored ms, rendered $ttfb_rendered ms, nginx $ttfb_nginx ms"
say "  idle RSS: $((idle_start / 1024)) MB after start, $((idle_after / 1024)) MB after the load; nginx $((nginx_rss / 1024)) MB"
kill "$ngx_pid" 2>/dev/null || true

say "writes on SQLite"
sqlite_q() { sqlite3 "$sqlite_file" "$1"; }
sqlite_q "$sql_targets" >"$work/targets.txt"
s_votes=$(writes vote "$port" sqlite_q)
s_comments=$(writes comment "$port" sqlite_q)
say "  votes $s_votes"
say "  comments $s_comments"
stop_server
# Baseline: single-row insert transactions by one connection, WAL and synchronous=NORMAL like
# the server's pool.
raw=$work/raw.db
n_raw=20000
{
  echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
  echo "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);"
  awk -v n="$n_raw" 'BEGIN {for (i = 0; i < n; i++) printf "INSERT INTO t (v) VALUES (%c%d%c);\n", 39, i, 39}'
} >"$work/raw.sql"
t0=$(date +%s.%N)
sqlite3 "$raw" <"$work/raw.sql" >/dev/null
t1=$(date +%s.%N)
sqlite_raw=$(awk "BEGIN {printf \"%.0f\", $n_raw / ($t1 - $t0)}")
say "  baseline: sqlite3 $sqlite_raw single-row transactions/s"

# --- PostgreSQL: writes -----------------------------------------------------------------------
say "writes on PostgreSQL"
pg_admin=$MITREDEN_TEST_PG_URL
psql -qAt "$pg_admin" -c "CREATE DATABASE mitreden_bench" >/dev/null
pg_url="${pg_admin%/*}/mitreden_bench"
seed "$pg_url" "$work/sessions.txt"
pg_q() { psql -qAt "$pg_url" -c "$1"; }
pg_q "$sql_targets" >"$work/targets.txt"
port=$(free_port)
# Waiting for the disk is PostgreSQL's part of a commit: more connections, more commits per flush.
pg_pool=32
serve "$pg_url" "$port" "$pg_pool"
p_votes=$(writes vote "$port" pg_q)
p_comments=$(writes comment "$port" pg_q)
say "  votes $p_votes"
say "  comments $p_comments"
stop_server
pg_q "CREATE TABLE bench_raw (id BIGSERIAL PRIMARY KEY, v TEXT NOT NULL)" >/dev/null
echo "INSERT INTO bench_raw (v) VALUES ('x');" >"$work/raw.pgsql"
pg_raw=$("$pg_bin/pgbench" -n -c 64 -j 2 -T "$seconds" -f "$work/raw.pgsql" "$pg_url" 2>/dev/null |
  awk '/^tps/ {printf "%.0f", $3}')
say "  baseline: pgbench $pg_raw single-row transactions/s (64 connections)"
pg_settings=$(pg_q "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')")

# --- wasm, export, Lighthouse ---------------------------------------------------------------
wasm=$site/pkg/mitreden_bg.wasm
wasm_raw=$(stat -c %s "$wasm")
wasm_gzip=$(gzip -9 -c "$wasm" | wc -c)
wasm_br=$(brotli -q 11 -c "$wasm" | wc -c)
say "wasm: $wasm_raw bytes, gzip $wasm_gzip, brotli $wasm_br"

say "export (bench/export.sh)"
bench/export.sh "$bin"

say "Lighthouse (bench/lighthouse.mjs)"
port=$(free_port)
serve "$sqlite_url" "$port"
LIGHTHOUSE_RUNS=${LIGHTHOUSE_RUNS:-3} node bench/lighthouse.mjs "http://127.0.0.1:$port" "$out/lighthouse.json"
stop_server

# --- results ----------------------------------------------------------------------------------
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
mem=$(awk '/^MemTotal:/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo)
cat >"$out/bench.json" <<EOF
{
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "commit": "$commit",
  "machine": "$(uname -m), $(nproc) cores, ${cpu:-unknown CPU}, $mem",
  "seconds_per_run": $seconds,
  "page": {
    "path": "/$consultation",
    "comments": 500,
    "bytes": $page_bytes,
    "runs": [$(IFS=,; echo "${page_rows[*]}")],
    "rendered_64": {"rps": $r_rps, "p50_ms": $r_p50, "p99_ms": $r_p99}
  },
  "ttfb_ms": {"stored": $ttfb_stored, "rendered": $ttfb_rendered, "nginx": $ttfb_nginx},
  "rss_kb": {"idle_start": $idle_start, "idle_after_load": $idle_after, "nginx": $nginx_rss},
  "writes": {
    "participants": $participants,
    "connections": 64,
    "sqlite": {"votes": $s_votes, "comments": $s_comments,
               "votes_per_s": $(rate "$s_votes"), "comments_per_s": $(rate "$s_comments"),
               "baseline_inserts_per_s": $sqlite_raw},
    "postgres": {"votes": $p_votes, "comments": $p_comments,
                 "votes_per_s": $(rate "$p_votes"), "comments_per_s": $(rate "$p_comments"),
                 "baseline_inserts_per_s": $pg_raw, "settings": "$pg_settings", "pool": $pg_pool}
  },
  "wasm_bytes": {"raw": $wasm_raw, "gzip": $wasm_gzip, "brotli": $wasm_br},
  "took_s": $((SECONDS - started))
}
EOF
mkdir -p docs
node bench/report.mjs
say "done in $((SECONDS - started)) s: $out/bench.json, docs/BENCHMARKS.md"
