#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs a command beside a throw-away PostgreSQL server:
#   scripts/with_postgres.sh ctest --test-dir build/test
# The server comes from Debian's postgresql package (/usr/lib/postgresql/<major>/bin), listens on
# 127.0.0.1 on a free port, keeps its data directory and unix socket in a fresh temp dir, and is
# stopped by its PID and deleted when the command ends, however it ends. The command sees
# PTWIN_TEST_POSTGRES_URL, a libpq connection URI of an empty database on that server.
# As root, the server runs as the `postgres` system user (initdb and postgres refuse root).
# fsync is off: the data is thrown away, and the tests check query semantics, not durability.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 command [arguments...]" >&2
  exit 2
fi

bindir=""
for candidate in /usr/lib/postgresql/*/bin; do
  if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ] && [ -x "$candidate/createdb" ]; then
    bindir="$candidate"
  fi
done
if [ -z "$bindir" ]; then
  echo "with_postgres: no initdb/pg_ctl under /usr/lib/postgresql/*/bin;" \
       "install the Debian package 'postgresql' (scripts/install_deps.sh does)" >&2
  exit 1
fi

as_server_user=()
base="${TMPDIR:-/tmp}"
if [ "$(id -u)" -eq 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "with_postgres: running as root needs the 'postgres' system user" \
         "(created by the postgresql package)" >&2
    exit 1
  fi
  as_server_user=(runuser -u postgres --)
  # The server user must be able to reach the temp dir; root's own TMPDIR may be private.
  if ! "${as_server_user[@]}" test -x "$base"; then base=/tmp; fi
fi

workdir="$(mktemp -d "$base/ptwin-postgres-XXXXXX")"
server_pid=""

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -INT "$server_pid" 2>/dev/null || true  # SIGINT = fast shutdown
    for _ in $(seq 1 100); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$server_pid" 2>/dev/null; then
      echo "with_postgres: server $server_pid did not stop in 10 s; killing it" >&2
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
  fi
  server_pid=""
}

cleanup() {
  local status=$?
  stop_server
  rm -rf "$workdir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ ${#as_server_user[@]} -gt 0 ]; then chown postgres: "$workdir"; fi
chmod 0700 "$workdir"
run() { "${as_server_user[@]}" "$@"; }

run mkdir -p "$workdir/socket"
run "$bindir/initdb" --pgdata="$workdir/data" --username=ptwin --auth=trust --encoding=UTF8 \
  --locale=C --no-sync >"$workdir/initdb.log" 2>&1 || {
  cat "$workdir/initdb.log" >&2
  exit 1
}

port_is_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

started=false
for attempt in $(seq 1 20); do
  port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
  if port_is_taken "$port"; then continue; fi
  if run "$bindir/pg_ctl" --pgdata="$workdir/data" --log="$workdir/server.log" --wait \
       --timeout=60 start \
       -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$workdir/socket -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
       >/dev/null 2>&1; then
    started=true
    break
  fi
  echo "with_postgres: start on port $port failed (attempt $attempt), trying another" >&2
done
if [ "$started" != true ]; then
  cat "$workdir/server.log" >&2 || true
  echo "with_postgres: could not start PostgreSQL" >&2
  exit 1
fi
server_pid="$(head -n 1 "$workdir/data/postmaster.pid")"

"$bindir/createdb" --host=127.0.0.1 --port="$port" --username=ptwin ptwin_test

export PTWIN_TEST_POSTGRES_URL="postgresql://ptwin@127.0.0.1:$port/ptwin_test"
echo "with_postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') pid=$server_pid" \
     "on 127.0.0.1:$port, PTWIN_TEST_POSTGRES_URL=$PTWIN_TEST_POSTGRES_URL" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
