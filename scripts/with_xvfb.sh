#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs a command beside a throw-away X server without a screen (Xvfb), for what renders through
# OpenGL (the VTK surface picture of `ptwin image`, docs/geometry.md#ptwin-image):
#   scripts/with_xvfb.sh ctest --test-dir build/test
# The server is Debian's xvfb package (/usr/bin/Xvfb; PTWIN_XVFB names another binary), Mesa's
# llvmpipe renders in software. It takes the first free display number from :90, listens on its
# Unix socket only (-nolisten tcp), and is stopped by its PID when the command ends, however it
# ends. The command sees:
#   DISPLAY               :<n>
#   PTWIN_TEST_XVFB_PID   the server's PID
set -euo pipefail
# shellcheck source=scripts/harness_lib.sh
source "$(dirname "$0")/harness_lib.sh"

harness_require_command "$0" "$@"

server="${PTWIN_XVFB:-/usr/bin/Xvfb}"
if [ ! -x "$server" ]; then
  echo "with_xvfb: no X server at $server;" \
       "install the Debian package 'xvfb' (scripts/install_deps.sh does)" >&2
  exit 1
fi

harness_start_lifecycle "with_xvfb: X server" ptwin-xvfb 5

started=false
for display in $(seq 90 130); do
  # A display is taken when its lock file or socket exists (another X server, or a stale one).
  if [ -e "/tmp/.X$display-lock" ] || [ -e "/tmp/.X11-unix/X$display" ]; then continue; fi
  "$server" ":$display" -screen 0 1280x1024x24 -nolisten tcp -noreset >"$workdir/xvfb.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
    if [ -S "/tmp/.X11-unix/X$display" ]; then started=true; break; fi
    sleep 0.05
  done
  if [ "$started" = true ]; then break; fi
  harness_stop_server
  echo "with_xvfb: start on display :$display failed, trying another" >&2
done
if [ "$started" != true ]; then
  cat "$workdir/xvfb.log" >&2 2>/dev/null || true
  echo "with_xvfb: could not start Xvfb" >&2
  exit 1
fi

export DISPLAY=":$display"
export PTWIN_TEST_XVFB_PID="$server_pid"
echo "with_xvfb: Xvfb pid=$server_pid on DISPLAY=$DISPLAY" >&2

harness_run "$@"
