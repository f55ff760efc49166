#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs a command beside a throw-away Mosquitto MQTT broker:
#   scripts/with_mosquitto.sh ctest --test-dir build/test
# The broker is Debian's mosquitto package (/usr/sbin/mosquitto; PTWIN_MOSQUITTO names another
# binary). It listens on 127.0.0.1 on a free port, with a config generated in a fresh temp dir
# (no persistence: the broker's state lives as long as the command), and is stopped by its PID
# and the dir deleted when the command ends, however it ends. The command sees:
#   PTWIN_TEST_MQTT_URL        mqtt://127.0.0.1:<port>, anonymous access
#   PTWIN_TEST_MOSQUITTO_PID   the broker's PID
#   PTWIN_TEST_MOSQUITTO_BIN   the broker binary, for tests that run a broker of their own
#                              (e.g. to restart it; they stop it themselves)
set -euo pipefail
# shellcheck source=scripts/harness_lib.sh
source "$(dirname "$0")/harness_lib.sh"

harness_require_command "$0" "$@"

broker="${PTWIN_MOSQUITTO:-/usr/sbin/mosquitto}"
if [ ! -x "$broker" ]; then
  echo "with_mosquitto: no MQTT broker at $broker;" \
       "install the Debian package 'mosquitto' (scripts/install_deps.sh does)" >&2
  exit 1
fi

harness_start_lifecycle "with_mosquitto: broker" ptwin-mosquitto 5

write_config() {
  # As root, mosquitto would switch to the 'mosquitto' user; staying the invoking user keeps
  # the temp dir private and writable.
  cat >"$workdir/mosquitto.conf" <<EOF
listener $1 127.0.0.1
allow_anonymous true
persistence false
user $(id -un)
log_dest file $workdir/mosquitto.log
log_type error
log_type warning
log_type notice
log_type information
connection_messages true
# QoS 1 messages held per client beyond those in flight: generous, so that a subscriber that
# pauses reading (back-pressure tests) is never the reason a message is dropped.
max_queued_messages 100000
EOF
}

started=false
for attempt in $(seq 1 20); do
  port="$(harness_random_port)"
  if harness_port_is_taken "$port"; then continue; fi
  write_config "$port"
  "$broker" -c "$workdir/mosquitto.conf" >>"$workdir/stdout.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
    if harness_port_is_taken "$port"; then started=true; break; fi
    sleep 0.05
  done
  if [ "$started" = true ]; then break; fi
  harness_stop_server
  echo "with_mosquitto: start on port $port failed (attempt $attempt), trying another" >&2
done
if [ "$started" != true ]; then
  cat "$workdir/mosquitto.log" "$workdir/stdout.log" >&2 2>/dev/null || true
  echo "with_mosquitto: could not start mosquitto" >&2
  exit 1
fi

export PTWIN_TEST_MQTT_URL="mqtt://127.0.0.1:$port"
export PTWIN_TEST_MOSQUITTO_PID="$server_pid"
export PTWIN_TEST_MOSQUITTO_BIN="$broker"
echo "with_mosquitto: $("$broker" -h 2>/dev/null | head -n 1 || true) pid=$server_pid" \
     "on 127.0.0.1:$port, PTWIN_TEST_MQTT_URL=$PTWIN_TEST_MQTT_URL" >&2

harness_run "$@"
