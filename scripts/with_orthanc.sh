#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs a command beside a throw-away Orthanc PACS with its DICOMweb plugin:
#   scripts/with_orthanc.sh ctest --test-dir build/test
# Orthanc and the plugin are Debian's packages 'orthanc' and 'orthanc-dicomweb'
# (/usr/sbin/Orthanc and /usr/share/orthanc/plugins/libOrthancDicomWeb.so; PTWIN_ORTHANC and
# PTWIN_ORTHANC_DICOMWEB_PLUGIN name others). It gets a config generated in a fresh temp dir
# with its storage and index in that dir, a free HTTP port, no DICOM (DIMSE) listener, no
# authentication and remote access refused: Orthanc 1.10 has no bind-address setting, so it
# listens on every interface but answers only clients on 127.0.0.1. It is stopped by its PID
# and the dir deleted when the command ends, however it ends. The command sees:
#   PTWIN_TEST_DICOMWEB_URL   http://127.0.0.1:<port>/dicom-web, the DICOMweb root
#   PTWIN_TEST_ORTHANC_URL    http://127.0.0.1:<port>, Orthanc's own REST API
#   PTWIN_TEST_ORTHANC_PID    the server's PID
set -euo pipefail
# shellcheck source=scripts/harness_lib.sh
source "$(dirname "$0")/harness_lib.sh"

harness_require_command "$0" "$@"

server="${PTWIN_ORTHANC:-/usr/sbin/Orthanc}"
plugin="${PTWIN_ORTHANC_DICOMWEB_PLUGIN:-/usr/share/orthanc/plugins/libOrthancDicomWeb.so}"
if [ ! -x "$server" ]; then
  echo "with_orthanc: no Orthanc at $server;" \
       "install the Debian package 'orthanc' (scripts/install_deps.sh does)" >&2
  exit 1
fi
if [ ! -f "$plugin" ]; then
  echo "with_orthanc: no DICOMweb plugin at $plugin;" \
       "install the Debian package 'orthanc-dicomweb' (scripts/install_deps.sh does)" >&2
  exit 1
fi

harness_start_lifecycle "with_orthanc: Orthanc" ptwin-orthanc 10

write_config() {
  # StableAge 1: series are declared stable quickly (no test waits on it, but a long default
  # keeps jobs alive at shutdown). SaveJobs false: nothing outlives the run.
  cat >"$workdir/orthanc.json" <<EOF
{
  "Name" : "ptwin-test",
  "StorageDirectory" : "$workdir/storage",
  "IndexDirectory" : "$workdir/storage",
  "HttpPort" : $1,
  "DicomServerEnabled" : false,
  "RemoteAccessAllowed" : false,
  "AuthenticationEnabled" : false,
  "SaveJobs" : false,
  "StableAge" : 1,
  "Plugins" : [ "$plugin" ],
  "DicomWeb" : {
    "Enable" : true,
    "Root" : "/dicom-web/",
    "EnableWado" : false,
    "StudiesMetadata" : "Full",
    "SeriesMetadata" : "Full"
  }
}
EOF
}

started=false
for attempt in $(seq 1 20); do
  port="$(harness_random_port)"
  if harness_port_is_taken "$port"; then continue; fi
  write_config "$port"
  "$server" "$workdir/orthanc.json" >>"$workdir/orthanc.log" 2>&1 &
  server_pid=$!
  # Ready when the DICOMweb root answers (the plugin is loaded after the HTTP server starts).
  for _ in $(seq 1 200); do
    if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
    if harness_port_is_taken "$port" &&
       curl -fsS -o /dev/null "http://127.0.0.1:$port/dicom-web/studies" 2>/dev/null; then
      started=true
      break
    fi
    sleep 0.05
  done
  if [ "$started" = true ]; then break; fi
  harness_stop_server
  echo "with_orthanc: start on port $port failed (attempt $attempt), trying another" >&2
done
if [ "$started" != true ]; then
  tail -n 40 "$workdir/orthanc.log" >&2 2>/dev/null || true
  echo "with_orthanc: could not start Orthanc" >&2
  exit 1
fi

export PTWIN_TEST_ORTHANC_URL="http://127.0.0.1:$port"
export PTWIN_TEST_DICOMWEB_URL="http://127.0.0.1:$port/dicom-web"
export PTWIN_TEST_ORTHANC_PID="$server_pid"
echo "with_orthanc: Orthanc $("$server" --version 2>/dev/null | head -n 1 | awk '{print $2}')" \
     "pid=$server_pid on 127.0.0.1:$port, PTWIN_TEST_DICOMWEB_URL=$PTWIN_TEST_DICOMWEB_URL" >&2

harness_run "$@"
