#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# FHIR search latency under concurrent clients (the FHIR R5 core issue's "search latency
# p50/p99 for patient+code+date and for an _include query under concurrent clients"), as ratios
# to a plain read measured in the same run:
#
#   bench/server/fhir_search_latency.sh [PTWIN] [--postgres URL] [--patients N]
#       [--observations N] [--duration S] [--connections N] [--threads N] [--server-threads N]
#
# PTWIN is a built ptwin binary (default build/test/apps/ptwin/ptwin, what scripts/test.sh
# builds); this script builds nothing. It starts `ptwin fhir-serve` on 127.0.0.1 on a free port
# over a fresh SQLite file in a temp dir (or, with --postgres, over that database, which must
# hold no Patient yet: e.g. run under scripts/with_postgres.sh with --postgres
# "$PTWIN_TEST_POSTGRES_URL"), loads a synthetic population with one transaction Bundle per
# patient (a Patient and N vital-sign Observations, 1 in 5 a heart rate, half dated from
# 2024-01-01), checks that each query returns what was loaded, then runs wrk (bounded in time
# and connections) once per scenario (fhir_search_latency.lua):
#   read     GET [base]/Patient/<id>                                               baseline
#   search   GET [base]/Observation?patient=Patient/<id>&code=http://loinc.org|8867-4&date=ge2024-01-01
#   include  GET [base]/Observation?patient=Patient/<id>&_include=Observation:patient
# rotating <id> over the patients, and prints p50/p99 and their ratios to the read's. The
# server is stopped by its PID however the script ends. Everything stays on 127.0.0.1.
# wrk measures latency from its own send time (closed loop): under saturation, queueing in
# front of the server is partly hidden (coordinated omission); compare scenarios at the same
# -c and -t only.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
ptwin="build/test/apps/ptwin/ptwin"
postgres_url=""
patients=200
observations=50
duration_s=10
connections=8
threads=2
server_threads=4

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
positive() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "fhir_search_latency: $1 must be a positive integer, got '$2'" >&2; exit 2; }; }

while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) postgres_url="${2:?--postgres needs a URL}"; shift 2 ;;
    --patients) positive "$1" "${2:-}"; patients="$2"; shift 2 ;;
    --observations) positive "$1" "${2:-}"; observations="$2"; shift 2 ;;
    --duration) positive "$1" "${2:-}"; duration_s="$2"; shift 2 ;;
    --connections) positive "$1" "${2:-}"; connections="$2"; shift 2 ;;
    --threads) positive "$1" "${2:-}"; threads="$2"; shift 2 ;;
    --server-threads) positive "$1" "${2:-}"; server_threads="$2"; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "fhir_search_latency: unknown option $1" >&2; usage ;;
    *) ptwin="$1"; shift ;;
  esac
done
if [ "$patients" -gt 10000 ]; then
  echo "fhir_search_latency: --patients is at most 10000 (ids bench-pt-0000..9999)" >&2
  exit 2
fi

for tool in wrk curl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "fhir_search_latency: '$tool' not found; install the Debian package" \
         "(apt-get install $tool, or bash scripts/install_deps.sh)" >&2
    exit 1
  fi
done
if [ ! -x "$ptwin" ]; then
  echo "fhir_search_latency: no ptwin binary at '$ptwin'; build it first" \
       "(cmake --build build/test --target ptwin) or pass its path" >&2
  exit 1
fi

workdir="$(mktemp -d "${TMPDIR:-/tmp}/ptwin-search-latency-XXXXXX")"
server_pid=""
cleanup() {
  local status=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -INT "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$server_pid" 2>/dev/null; then
      echo "fhir_search_latency: server $server_pid did not stop in 10 s; killing it" >&2
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- start the server ------------------------------------------------------------------------
serve=("$ptwin" fhir-serve --address 127.0.0.1 --port 0 --threads "$server_threads"
       --db "$workdir/fhir.db" --quarantine-db "$workdir/quarantine.db")
if [ -n "$postgres_url" ]; then serve+=(--postgres "$postgres_url"); fi
"${serve[@]}" >"$workdir/server.log" 2>&1 &
server_pid=$!

base_url=""
for _ in $(seq 1 300); do
  base_url="$(sed -n 's|.*FHIR R5 at \(http://127\.0\.0\.1:[0-9]*[^ ]*\) .*|\1|p' "$workdir/server.log")"
  [ -n "$base_url" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  sleep 0.1
done
if [ -z "$base_url" ]; then
  echo "fhir_search_latency: the server did not start; its output:" >&2
  cat "$workdir/server.log" >&2
  exit 1
fi
origin="${base_url%/*}"             # http://127.0.0.1:PORT
base_path="/${base_url#"$origin"/}"  # /fhir
backend="SQLite (synchronous FULL)"
if [ -n "$postgres_url" ]; then backend="PostgreSQL"; fi
echo "fhir_search_latency: ptwin fhir-serve pid=$server_pid at $base_url on $backend"

fhir_get() {  # fhir_get PATH_AND_QUERY OUTPUT_FILE -> prints the HTTP status
  curl -sS -o "$2" -w '%{http_code}' -H 'Accept: application/fhir+json' "$base_url$1"
}
json_total() { sed -n 's/.*"total":\([0-9]*\).*/\1/p' "$1" | head -n 1; }

status="$(fhir_get '/Patient?_count=0' "$workdir/existing.json")"
existing="$(json_total "$workdir/existing.json")"
if [ "$status" != 200 ] || [ "${existing:-x}" != 0 ]; then
  echo "fhir_search_latency: the database must hold no Patient (status $status," \
       "total '${existing:-?}'); give an empty database" >&2
  exit 1
fi

# --- load the population ---------------------------------------------------------------------
# One transaction Bundle per patient: PUT Patient/bench-pt-NNNN (update-as-create, so that the
# ids are known) and POST its Observations. Observation k: kind k % 5 (0 = heart rate, LOINC
# 8867-4), dated in month k * 12 / N counted from 2023-07, so that k >= N/2 is in 2024.
bundle() {
  awk -v p="$1" -v n="$observations" 'BEGIN {
    id = sprintf("bench-pt-%04d", p)
    cat = "\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"vital-signs\",\"display\":\"Vital Signs\"}],\"text\":\"Vital Signs\"}]"
    split("8867-4|9279-1|2708-6|8310-5|85354-9", code, "|")
    split("Heart rate|Respiratory rate|Oxygen saturation in Arterial blood|Body temperature|Blood pressure panel with all children optional", display, "|")
    split("/min|/min|%|Cel|mm[Hg]", ucum, "|")
    split("beats/minute|breaths/minute|%|C|mmHg", unit, "|")
    split("62|12|94|36.4|0", base, "|")
    printf "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
    printf "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"%s\",\"identifier\":[{\"system\":\"urn:oid:1.3.6.1.4.1.99999.1\",\"value\":\"BENCH%04d\"}],\"active\":true,\"name\":[{\"family\":\"Bench\",\"given\":[\"P%04d\"]}],\"gender\":\"%s\",\"birthDate\":\"19%02d-0%d-1%d\"},\"request\":{\"method\":\"PUT\",\"url\":\"Patient/%s\"}}", id, p, p, (p % 2 ? "male" : "female"), 40 + p % 50, 1 + p % 9, p % 10, id
    for (k = 0; k < n; ++k) {
      kind = k % 5 + 1
      month = 6 + int(k * 12 / n)
      when = sprintf("%04d-%02d-%02dT%02d:%02d:00Z", 2023 + int(month / 12), month % 12 + 1, 1 + k % 28, 8 + p % 10, k % 60)
      coded = sprintf("{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"%s\",\"display\":\"%s\"}],\"text\":\"%s\"}", code[kind], display[kind], display[kind])
      if (kind < 5) {
        value = sprintf("\"valueQuantity\":{\"value\":%.1f,\"unit\":\"%s\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"%s\"}", base[kind] + (p + k) % 7 * (kind == 4 ? 0.1 : 1), unit[kind], ucum[kind])
      } else {
        value = sprintf("\"component\":[{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8480-6\",\"display\":\"Systolic blood pressure\"}]},\"valueQuantity\":{\"value\":%d,\"unit\":\"mmHg\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mm[Hg]\"}},{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8462-4\",\"display\":\"Diastolic blood pressure\"}]},\"valueQuantity\":{\"value\":%d,\"unit\":\"mmHg\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mm[Hg]\"}}]", 112 + (p + k) % 9, 71 + (p + k) % 7)
      }
      printf ",{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",%s,\"code\":%s,\"subject\":{\"reference\":\"Patient/%s\"},\"effectiveDateTime\":\"%s\",%s},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}", cat, coded, id, when, value
    }
    printf "]}\n"
  }'
}

echo "fhir_search_latency: loading $patients patients x $observations Observations" \
     "($patients transaction Bundles)"
load_start_ns="$(date +%s%N)"
for ((p = 0; p < patients; ++p)); do
  bundle "$p" >"$workdir/bundle.json"
  status="$(curl -sS -o "$workdir/response.json" -w '%{http_code}' \
            -H 'Content-Type: application/fhir+json' --data-binary @"$workdir/bundle.json" \
            "$base_url")"
  if [ "$status" != 200 ]; then
    echo "fhir_search_latency: transaction Bundle of patient $p answered $status:" >&2
    head -c 2000 "$workdir/response.json" >&2
    echo >&2
    exit 1
  fi
done
load_s="$(awk -v a="$load_start_ns" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')"
resources=$((patients * (observations + 1)))
echo "fhir_search_latency: loaded $resources resources in $load_s s" \
     "($(awk -v r="$resources" -v s="$load_s" 'BEGIN { printf "%.0f", r / s }') resources/s," \
     "validation and indexing included)"

# --- check that each query answers what was loaded -------------------------------------------
expected_search=0
for ((k = 0; k < observations; ++k)); do
  if [ $((k % 5)) -eq 0 ] && [ $((k * 12 / observations)) -ge 6 ]; then
    expected_search=$((expected_search + 1))
  fi
done
first="bench-pt-0000"
check() {  # check NAME PATH EXPECTED_TOTAL(or -) EXTRA_PATTERN(or -)
  local status total
  status="$(fhir_get "$2" "$workdir/check.json")"
  total="$(json_total "$workdir/check.json")"
  if [ "$status" != 200 ] || { [ "$3" != - ] && [ "$total" != "$3" ]; } ||
     { [ "$4" != - ] && ! grep -q "$4" "$workdir/check.json"; }; then
    echo "fhir_search_latency: $1 check failed: GET $2 answered $status, total '${total:-}'" \
         "(expected ${3}), pattern '$4'" >&2
    head -c 2000 "$workdir/check.json" >&2
    echo >&2
    exit 1
  fi
}
check read "/Patient/$first" - "\"id\":\"$first\""
check search "/Observation?patient=Patient/$first&code=http://loinc.org%7C8867-4&date=ge2024-01-01" \
  "$expected_search" -
check include "/Observation?patient=Patient/$first&_include=Observation:patient" \
  "$observations" '"mode":"include"'
echo "fhir_search_latency: queries checked (search: $expected_search matches per patient;" \
     "include: $observations matches + the Patient, first page of 50)"

# --- measure ---------------------------------------------------------------------------------
echo "fhir_search_latency: wrk -t$threads -c$connections -d${duration_s}s per scenario" \
     "(server: $server_threads threads)"
: >"$workdir/results.txt"
for scenario in read search include; do
  wrk -t"$threads" -c"$connections" -d"${duration_s}s" --timeout 10s \
      -s "$here/fhir_search_latency.lua" "$origin" -- "$scenario" "$patients" "$base_path" \
      >"$workdir/wrk-$scenario.txt" 2>&1 || {
    echo "fhir_search_latency: wrk failed for $scenario:" >&2
    cat "$workdir/wrk-$scenario.txt" >&2
    exit 1
  }
  result="$(grep '^RESULT ' "$workdir/wrk-$scenario.txt" || true)"
  if [ -z "$result" ]; then
    echo "fhir_search_latency: wrk printed no RESULT line for $scenario:" >&2
    cat "$workdir/wrk-$scenario.txt" >&2
    exit 1
  fi
  echo "scenario=$scenario ${result#RESULT }" >>"$workdir/results.txt"
done

# Table: requests/s, p50 and p99 in ms, and the ratios to the read's percentiles.
awk '
  { for (i = 1; i <= NF; ++i) { split($i, kv, "="); v[NR, kv[1]] = kv[2] }; names[NR] = v[NR, "scenario"] }
  END {
    printf "\n%-8s %10s %10s %10s %9s %9s %8s\n", "scenario", "requests/s", "p50 ms", "p99 ms", "p50/read", "p99/read", "errors"
    bad = 0
    for (r = 1; r <= NR; ++r) {
      errors = v[r, "non2xx"] + v[r, "socket_errors"]
      bad += errors
      printf "%-8s %10.0f %10.2f %10.2f %9.2f %9.2f %8d\n", names[r], v[r, "requests"] / v[r, "duration_s"],
             v[r, "p50_us"] / 1000, v[r, "p99_us"] / 1000, v[r, "p50_us"] / v[1, "p50_us"],
             v[r, "p99_us"] / v[1, "p99_us"], errors
    }
    if (bad > 0) { print "fhir_search_latency: some requests failed; the figures are not valid" > "/dev/stderr"; exit 1 }
  }' "$workdir/results.txt"
