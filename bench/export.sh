#!/usr/bin/env bash
# Export benchmark (issue "Results and exports"): seeds a fresh SQLite database with N synthetic
# comments (mitreden seed-load) and exports them as CSV and XLSX with the release binary, for
# N = 10,000 and 100,000 in one run. Reports wall time and peak RSS (GNU time) per export and the
# RSS ratio 100k/10k: streaming means the ratio stays near 1 while the file grows tenfold.
# Usage: bench/export.sh [BIN]   (default target/release/mitreden; `make bench-export` builds it)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/mitreden}
[ -x "$bin" ] || { echo "bench: no binary at $bin (run cargo build --release -p server)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: GNU time (/usr/bin/time, Debian package time) is needed" >&2; exit 1; }
work=$(mktemp -d /tmp/mitreden-bench-export.XXXXXX)
trap 'rm -rf "$work"' EXIT
out=bench/results
mkdir -p "$out"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
json="$out/export.json"
rows=()

measure() { # name url n format
  local name=$1 url=$2 n=$3 format=$4 file="$work/out.$4"
  /usr/bin/time -f '%e %M' -o "$work/time" "$bin" export --database-url "$url" --data-dir "$work/data" \
    --consultation musterstadt/verkehrsberuhigung-altstadt --format "$format" --output "$file" 2>"$work/err" \
    || { cat "$work/err" >&2; exit 1; }
  read -r secs kb <"$work/time"
  local size; size=$(stat -c %s "$file")
  printf 'bench: %-6s %-4s %7s comments: %6.2f s, peak RSS %6.1f MB, file %7.1f MB\n' \
    "$name" "$format" "$n" "$secs" "$(awk "BEGIN{print $kb/1024}")" "$(awk "BEGIN{print $size/1048576}")" >&2
  rows+=("{\"comments\":$n,\"format\":\"$format\",\"seconds\":$secs,\"peak_rss_kb\":$kb,\"bytes\":$size}")
  eval "rss_${format}_$n=$kb"
}

# Baseline: sqlite3 writing the same comments (id, parent, time, text) as CSV.
baseline() { # file n
  local file=$1 n=$2
  /usr/bin/time -f '%e %M' -o "$work/time" sqlite3 -csv -header "$file" \
    "SELECT c.id, c.parent_id, c.created_at, c.body FROM comments c JOIN consultations k ON k.id = c.consultation_id WHERE k.slug = 'verkehrsberuhigung-altstadt'" \
    >"$work/base.csv"
  read -r secs kb <"$work/time"
  local size; size=$(stat -c %s "$work/base.csv")
  printf 'bench: %-6s %-4s %7s comments: %6.2f s, peak RSS %6.1f MB, file %7.1f MB\n' \
    sqlite3 csv "$n" "$secs" "$(awk "BEGIN{print $kb/1024}")" "$(awk "BEGIN{print $size/1048576}")" >&2
  base_rows+=("{\"comments\":$n,\"seconds\":$secs,\"peak_rss_kb\":$kb,\"bytes\":$size}")
}
base_rows=()

for n in 10000 100000; do
  url="sqlite://$work/bench-$n.db"
  "$bin" seed-demo --database-url "$url" >/dev/null
  /usr/bin/time -f '%e' -o "$work/seedtime" "$bin" seed-load --database-url "$url" \
    --consultation musterstadt/verkehrsberuhigung-altstadt --comments "$n" --votes "$((n * 2))" >/dev/null
  echo "bench: seed-load $n comments, $((n * 2)) votes: $(cat "$work/seedtime") s" >&2
  measure sqlite "$url" "$n" csv
  measure sqlite "$url" "$n" xlsx
  baseline "$work/bench-$n.db" "$n"
done
ratio_csv=$(awk "BEGIN{printf \"%.2f\", $rss_csv_100000 / $rss_csv_10000}")
ratio_xlsx=$(awk "BEGIN{printf \"%.2f\", $rss_xlsx_100000 / $rss_xlsx_10000}")
echo "bench: peak RSS 100k/10k: CSV ${ratio_csv}x, XLSX ${ratio_xlsx}x (1.00 = constant memory)" >&2
printf '{"date":"%s","commit":"%s","machine":"%s, %s cores","exports":[%s],"baseline":[%s],"rss_ratio_100k_10k":{"csv":%s,"xlsx":%s}}\n' \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$commit" "$(uname -m)" "$(nproc)" "$(IFS=,; echo "${rows[*]}")" \
  "$(IFS=,; echo "${base_rows[*]}")" \
  "$ratio_csv" "$ratio_xlsx" >"$json"
echo "bench: written to $json" >&2
