# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Shared pieces of the test harness scripts (with_mosquitto.sh, with_orthanc.sh, with_xvfb.sh): how a
# throw-away server gets a free loopback port, its temp dir, and how it is stopped by its PID.
# Sourced, not run.

# True when something accepts connections on 127.0.0.1:$1.
harness_port_is_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A port in 20000-59999, unlikely to collide with another harness started at the same moment.
harness_random_port() { echo $((20000 + (RANDOM * 32768 + RANDOM) % 40000)); }

# harness_stop_pid NAME PID SECONDS: SIGTERM, up to SECONDS for the exit, then SIGKILL with a
# message naming NAME; reaps the process. Does nothing for an empty or finished PID.
harness_stop_pid() {
  local name="$1" pid="$2" seconds="$3"
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then return 0; fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((seconds * 10))); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "$name $pid did not stop in $seconds s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# Runs the wrapped command and exits with its status (the EXIT trap then stops the server).
harness_run() {
  set +e
  "$@"
  local status=$?
  set -e
  exit "$status"
}

# harness_require_command SCRIPT ARGS...: the usage line and exit 2 when no command was given.
harness_require_command() {
  local script="$1"
  shift
  if [ $# -eq 0 ]; then
    echo "usage: $script command [arguments...]" >&2
    exit 2
  fi
}

# harness_start_lifecycle NAME PREFIX SECONDS: a fresh temp dir in $workdir (named after PREFIX)
# and traps that stop the server whose PID the script keeps in $server_pid (harness_stop_server:
# SIGTERM, up to SECONDS for the exit, messages naming NAME) and delete the dir when the script
# ends, however it ends.
harness_start_lifecycle() {
  harness_server_name="$1"
  harness_stop_seconds="$3"
  workdir="$(mktemp -d "${TMPDIR:-/tmp}/$2-XXXXXX")"
  server_pid=""
  trap harness_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

harness_stop_server() {
  harness_stop_pid "$harness_server_name" "$server_pid" "$harness_stop_seconds"
  server_pid=""
}

# shellcheck disable=SC2317  # reached through the EXIT trap
harness_cleanup() {
  local status=$?
  harness_stop_server
  rm -rf "$workdir"
  exit "$status"
}
