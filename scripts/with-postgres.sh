#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster.
#
#   scripts/with-postgres.sh CMD [ARGS...]
#
# Creates a new cluster in a temp dir (initdb, trust auth, a private unix-socket dir, 127.0.0.1
# on a free port, fsync off — or, with MITREDEN_PG_DURABLE=1, PostgreSQL's durable defaults, for
# benchmarks), starts it, exports
#
#   MITREDEN_TEST_PG_URL=postgres://postgres@127.0.0.1:PORT/postgres
#   MITREDEN_TEST_PG_CTL=/tmp/mitreden-pg.XXXXXX/pg-ctl
#
# (a superuser, so tests may CREATE DATABASE one database per test; `$MITREDEN_TEST_PG_CTL stop`
# stops the cluster at once, as a crash would — pg_ctl -m immediate —, and `… start` starts it
# again on the same data and port, for tests of a database outage), runs CMD, and always stops
# the cluster and removes the temp dir afterwards. The exit code is CMD's. If no cluster can be
# started it fails with a message: it never skips.
#
# PostgreSQL refuses to run as root: as root the cluster runs as the user `postgres` (created if
# missing). Server binaries: $PG_BIN, else /usr/lib/postgresql/15/bin, else the newest
# /usr/lib/postgresql/*/bin (Debian's postgresql-15 package; scripts/ensure-tools.sh installs it).
set -euo pipefail

me=with-postgres
die() {
  printf '%s: %s\n' "$me" "$*" >&2
  exit 1
}

if [ $# -eq 0 ]; then
  printf 'usage: %s CMD [ARGS...]\n' "$0" >&2
  exit 2
fi

# --- server binaries -------------------------------------------------------------------------
pg_bin=${PG_BIN:-}
if [ -z "$pg_bin" ]; then
  if [ -x /usr/lib/postgresql/15/bin/initdb ]; then
    pg_bin=/usr/lib/postgresql/15/bin
  else
    for dir in /usr/lib/postgresql/*/bin; do
      [ -x "$dir/initdb" ] && pg_bin=$dir
    done
  fi
fi
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ] || [ ! -x "$pg_bin/pg_ctl" ]; then
  die "PostgreSQL server binaries (initdb, pg_ctl) not found; install Debian's postgresql-15 (scripts/ensure-tools.sh) or set PG_BIN"
fi

# --- who runs the server -----------------------------------------------------------------------
run_as=()
pg_os_user=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
  pg_os_user=postgres
  if ! id -u "$pg_os_user" >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$pg_os_user" ||
      die "could not create the system user $pg_os_user to run PostgreSQL (it refuses to run as root)"
  fi
  command -v runuser >/dev/null || die "runuser (util-linux) is needed to run PostgreSQL as $pg_os_user"
  run_as=(runuser -u "$pg_os_user" --)
fi

# --- temp dir and cleanup ----------------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mitreden-pg.XXXXXX")
data=$tmp/data
sock=$tmp/sock
initdb_log=$tmp/initdb.log
ctl_log=$tmp/pg_ctl.log
log=$tmp/postgres.log # written by the server, so owned by the cluster's user

# Runs a PostgreSQL tool as the cluster's owner, from a directory that user can read.
as_pg() {
  (cd "$tmp" && "${run_as[@]}" "$@")
}

# shellcheck disable=SC2317 # invoked by the traps below
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # Running unless a test stopped it (`pg-ctl stop` leaves no postmaster.pid behind).
  if [ -f "$data/postmaster.pid" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      as_pg "$pg_bin/pg_ctl" -D "$data" -m immediate -w -t 10 stop >/dev/null 2>&1 ||
      printf '%s: warning: could not stop the PostgreSQL cluster in %s\n' "$me" "$data" >&2
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$sock"
chmod 700 "$tmp"
if [ "${#run_as[@]}" -gt 0 ]; then
  chown -R "$pg_os_user:" "$tmp"
fi

show_logs() {
  local f
  for f in "$@"; do
    if [ -s "$f" ]; then
      printf '%s: --- %s ---\n' "$me" "${f##*/}" >&2
      tail -n 30 "$f" >&2
    fi
  done
}

# --- initdb ---------------------------------------------------------------------------------
locale_opt=--locale=C
if locale -a 2>/dev/null | grep -qixE 'c\.utf-?8'; then
  locale_opt=--locale=C.UTF-8 # lower()/ILIKE handle umlauts, unlike plain C
fi
if ! as_pg "$pg_bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 "$locale_opt" \
  --no-sync --no-instructions >"$initdb_log" 2>&1; then
  show_logs "$initdb_log"
  die "initdb failed"
fi
cat >>"$data/postgresql.conf" <<EOF

# throwaway test cluster (scripts/with-postgres.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock'
max_connections = 200
logging_collector = off
EOF
if [ "${MITREDEN_PG_DURABLE:-0}" != 1 ]; then
  # Tests: speed over surviving a power cut.
  printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n' >>"$data/postgresql.conf"
fi

# --- free port and start -----------------------------------------------------------------------
free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    # Nothing answers on it: treat as free (a race is caught by the retry below).
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  return 1
}

port=
for attempt in 1 2 3; do
  port=$(free_port) || die "found no free TCP port on 127.0.0.1"
  if as_pg "$pg_bin/pg_ctl" -D "$data" -l "$log" -o "-p $port" -w -t 60 start >>"$ctl_log" 2>&1; then
    break
  fi
  # The port may have been taken in between: try another one.
  printf '%s: PostgreSQL did not start on port %s (attempt %s)\n' "$me" "$port" "$attempt" >&2
  port=
done
if [ -z "$port" ]; then
  show_logs "$ctl_log" "$log"
  die "could not start PostgreSQL (binaries in $pg_bin, data in $data)"
fi

if [ -x "$pg_bin/pg_isready" ] && ! "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -t 10; then
  show_logs "$log"
  die "PostgreSQL started but does not accept connections on 127.0.0.1:$port"
fi

# Stop and start for tests: as the cluster's user, on the same data dir and port.
pg_ctl_script=$tmp/pg-ctl
{
  printf '#!/usr/bin/env bash\n'
  printf '# pg-ctl stop|start: the throwaway cluster of scripts/with-postgres.sh.\n'
  printf 'set -euo pipefail\n'
  printf 'case "${1:-}" in\n'
  printf '  stop) args=(-m immediate -w -t 30 stop) ;;\n'
  printf '  start) args=(-l %q -o %q -w -t 60 start) ;;\n' "$log" "-p $port"
  printf '  *) echo "usage: $0 stop|start" >&2; exit 2 ;;\n'
  printf 'esac\n'
  printf 'cd %q\n' "$tmp"
  printf 'exec'
  if [ "${#run_as[@]}" -gt 0 ]; then
    printf ' %q' "${run_as[@]}"
  fi
  printf ' %q -D %q "${args[@]}"\n' "$pg_bin/pg_ctl" "$data"
} >"$pg_ctl_script"
chmod 755 "$pg_ctl_script"

export MITREDEN_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
export MITREDEN_TEST_PG_CTL=$pg_ctl_script
printf '%s: PostgreSQL %s running at %s\n' "$me" "$("$pg_bin/postgres" --version | awk '{print $3}')" \
  "$MITREDEN_TEST_PG_URL" >&2

# --- run the command -----------------------------------------------------------------------
# In the background with the same stdin, so that a signal sent to this script alone (a CI
# time-out) reaches the command at once and the cluster is still stopped and removed.
"$@" <&0 &
child=$!
trap 'kill -INT "$child" 2>/dev/null || true; wait "$child" || true; exit 130' INT
trap 'kill -TERM "$child" 2>/dev/null || true; wait "$child" || true; exit 143' TERM
status=0
wait "$child" || status=$?
exit "$status"
