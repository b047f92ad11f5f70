#!/usr/bin/env bash
# Retention benchmark (issue "Legal pages, barrier reports and data retention"): N participants
# who signed in by e-mail link (default 100,000, one comment each) in a consultation that closed
# 60 days ago; `mitreden retention --as-of` 14 months ahead removes their addresses while a second
# process writes a row every 10 ms. Reports the run's time, its peak RSS, the writer's worst and
# 99th-percentile wait (were writes blocked?) and that a second run finds nothing.
# SQLite always; PostgreSQL too when MITREDEN_TEST_PG_URL is set (scripts/with-postgres.sh sets it).
# Usage: bench/retention.sh [BIN] [N]   (default target/release/mitreden; `make bench-retention`)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/mitreden}
n=${2:-100000}
[ -x "$bin" ] || { echo "bench: no binary at $bin (run cargo build --release -p server)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: GNU time (/usr/bin/time, Debian package time) is needed" >&2; exit 1; }
work=$(mktemp -d /tmp/mitreden-bench-retention.XXXXXX)
trap 'touch "$work/stop"; rm -rf "$work"' EXIT
out=bench/results
mkdir -p "$out"
json="$out/retention.json"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
asof=$(date -u -d '+14 months' +%Y-%m-%d)
rows=()

# The writer: one INSERT every 10 ms until $work/stop exists; one latency (ms) per line.
sqlite_writer() { # file
  python3 - "$1" "$work/stop" "$work/latencies" <<'PY'
import os, sqlite3, sys, time
db, stop, out = sys.argv[1:4]
conn = sqlite3.connect(db, timeout=60, isolation_level=None)
lat = []
i = 0
while not os.path.exists(stop):
    t = time.perf_counter()
    conn.execute("INSERT INTO instance_settings (key, value, updated_at) VALUES (?, 'x', 0)",
                 (f"bench-writer-{i}",))
    lat.append((time.perf_counter() - t) * 1000)
    i += 1
    time.sleep(0.01)
open(out, "w").write("\n".join(f"{x:.3f}" for x in lat) + "\n")
PY
}

pg_writer() { # url
  local url=$1
  {
    echo '\timing on'
    for i in $(seq 1 30000); do
      echo "INSERT INTO instance_settings (key, value, updated_at) VALUES ('bench-writer-$i', 'x', 0);"
      echo "SELECT pg_sleep(0.01);"
    done
  } >"$work/writer.sql"
  psql -X "$url" -f "$work/writer.sql" >"$work/psql.out" 2>/dev/null &
  local psql_pid=$!
  while [ ! -e "$work/stop" ]; do sleep 0.2; done
  kill "$psql_pid" 2>/dev/null || true
  wait "$psql_pid" 2>/dev/null || true
  awk '/^INSERT/ {ins=1; next} /^Time:/ && ins {print $2; ins=0}' "$work/psql.out" >"$work/latencies"
}

measure() { # name url
  local name=$1 url=$2
  "$bin" seed-demo --database-url "$url" >/dev/null
  /usr/bin/time -f '%e' -o "$work/seedtime" "$bin" seed-load --database-url "$url" \
    --consultation musterstadt/spielplatz-lindenpark --comments "$n" --participants "$n" --with-email >/dev/null
  echo "bench: $name: seed-load $n e-mail participants: $(cat "$work/seedtime") s" >&2
  rm -f "$work/stop" "$work/latencies"
  case $name in
    sqlite) sqlite_writer "${url#sqlite://}" & ;;
    postgres) pg_writer "$url" & ;;
  esac
  local writer=$!
  sleep 1
  /usr/bin/time -f '%e %M' -o "$work/time" "$bin" retention --database-url "$url" --as-of "$asof" \
    >"$work/run" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  sleep 1
  touch "$work/stop"
  wait "$writer" || true
  read -r secs kb <"$work/time"
  local removed; removed=$(awk -F': ' '/participant e-mail addresses/ {print $2}' "$work/run")
  local writes worst p99
  writes=$(wc -l <"$work/latencies")
  worst=$(sort -g "$work/latencies" | tail -1)
  p99=$(sort -g "$work/latencies" | awk '{a[NR]=$1} END {i=int(NR*0.99); if (i<1) i=1; print a[i]}')
  /usr/bin/time -f '%e' -o "$work/again" "$bin" retention --database-url "$url" --as-of "$asof" >"$work/run2" 2>/dev/null
  local left; left=$(awk -F': ' '/: [0-9]+$/ {s+=$2} END {print s+0}' "$work/run2")
  printf 'bench: %-8s retention of %s participants: %6.2f s (peak RSS %5.1f MB), %s addresses removed; %s writes meanwhile: p99 %s ms, worst %s ms; second run %s s, %s removed\n' \
    "$name" "$n" "$secs" "$(awk "BEGIN{print $kb/1024}")" "$removed" "$writes" "$p99" "$worst" "$(cat "$work/again")" "$left" >&2
  [ "$removed" = "$n" ] || [ "$removed" -gt "$n" ] || { echo "bench: expected $n addresses removed" >&2; exit 1; }
  [ "$left" = 0 ] || { echo "bench: the second run removed $left" >&2; exit 1; }
  rows+=("{\"backend\":\"$name\",\"participants\":$n,\"seconds\":$secs,\"peak_rss_kb\":$kb,\"removed\":$removed,\"concurrent_writes\":$writes,\"write_p99_ms\":$p99,\"write_worst_ms\":$worst,\"second_run_seconds\":$(cat "$work/again")}")
}

measure sqlite "sqlite://$work/bench.db"
if [ -n "${MITREDEN_TEST_PG_URL:-}" ]; then
  db=mitreden_bench_retention_$$
  psql -X -q "$MITREDEN_TEST_PG_URL" -c "CREATE DATABASE $db" >/dev/null
  measure postgres "${MITREDEN_TEST_PG_URL%/*}/$db"
  psql -X -q "$MITREDEN_TEST_PG_URL" -c "DROP DATABASE $db" >/dev/null
fi
printf '{"date":"%s","commit":"%s","machine":"%s, %s cores","as_of":"%s","runs":[%s]}\n' \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$commit" "$(uname -m)" "$(nproc)" "$asof" \
  "$(IFS=,; echo "${rows[*]}")" >"$json"
echo "bench: written to $json" >&2
