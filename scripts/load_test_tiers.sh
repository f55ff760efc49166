#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The latency-tier load test on loopback (docs/serve.md#load-test): starts a throw-away
# mosquitto (scripts/with_mosquitto.sh), a `ptwin fhir-serve` playing the EHR and a
# `ptwin serve` with an MQTT feed, an EHR subscription and FHIR outputs to that EHR (its model
# verified at start-up), then runs `ptwin load-test` for
# Tier A (MQTT) and Tier B (FHIR Subscription) and prints both reports. Everything listens on
# 127.0.0.1, lives in a temp dir, and is stopped by PID at the end.
#   scripts/load_test_tiers.sh [path/to/ptwin] [count_a] [rate_a] [count_b] [rate_b] \
#     [risk_interval_s]
# Defaults: build/apps/ptwin/ptwin, 5000 MQTT messages at 500/s for 20 patients, 300
# Observations at 20/s for 5 patients, a RiskAssessment per patient at most every 60 s of data
# time (1: every patient's outputs every second). Reports are also written as JSON next to the
# logs.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
if [ -z "${PTWIN_TEST_MQTT_URL:-}" ]; then
  exec "$here/with_mosquitto.sh" "$0" "$@"
fi

ptwin="${1:-$here/../build/apps/ptwin/ptwin}"
count_a="${2:-5000}"
rate_a="${3:-500}"
count_b="${4:-300}"
rate_b="${5:-20}"
risk_interval_s="${6:-60}"
if [ ! -x "$ptwin" ]; then
  echo "load_test_tiers: no ptwin executable at $ptwin; build it first (scripts/test.sh)" >&2
  exit 1
fi

workdir="$(mktemp -d "${TMPDIR:-/tmp}/ptwin-load-XXXXXX")"
pids=()
# shellcheck disable=SC2317  # reached through the EXIT trap
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$status" -ne 0 ]; then
    echo "load_test_tiers: failed; logs:" >&2
    tail -n 20 "$workdir"/*.log >&2 || true
  fi
  rm -rf "$workdir"
  exit "$status"
}
trap cleanup EXIT

# The first line starting with $2 in log $1, waiting up to 30 s.
wait_for_line() {
  for _ in $(seq 1 300); do
    if grep -m1 "$2" "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "load_test_tiers: '$2' never appeared in $1" >&2
  return 1
}

broker="${PTWIN_TEST_MQTT_URL#mqtt://}"
topic_url="http://ptwin.example/SubscriptionTopic/load-vitals"

"$ptwin" fhir-serve --db "$workdir/ehr.db" --port 0 >"$workdir/ehr.log" 2>&1 &
pids+=($!)
ehr="$(wait_for_line "$workdir/ehr.log" "http://" | grep -o 'http://[0-9.:]*/fhir' | head -n1)"
curl -sf -X POST -H 'Content-Type: application/fhir+json' "$ehr/SubscriptionTopic" -d @- >/dev/null <<JSON
{"resourceType": "SubscriptionTopic", "url": "$topic_url", "status": "active",
 "resourceTrigger": [{"resource": "Observation", "supportedInteraction": ["create", "update"]}]}
JSON

cat >"$workdir/twin.yaml" <<YAML
twin: {id: load_test}
patient: {fhir_bundle: bundle.json}
model: {kind: zerod, file: model.json}
personalisation: {enabled: false}
store: {path: twin.db}
feeds:
  mqtt:
    host: ${broker%:*}
    port: ${broker##*:}
    client_id: ptwin-load-test-serve
    topics: [{filter: "ptwin/load/+", qos: 1}]
  fhir_subscription:
    ehr_base_url: $ehr
    topic: $topic_url
    port: 0
serve:
  port: 0
  fhir_outputs: {ehr_base_url: "$ehr", database: outputs.db, risk_interval_s: $risk_interval_s}
YAML
"$ptwin" serve "$workdir/twin.yaml" >"$workdir/serve.log" 2>&1 &
pids+=($!)
serve="$(wait_for_line "$workdir/serve.log" "ptwin serve: HTTP at" | grep -o 'http://[0-9.:]*' | head -n1)"
# (ptwin load-test itself waits until each feed is ready: subscribed, Subscription active.)

echo "== Tier A: MQTT sample -> update -> output"
"$ptwin" load-test --feed mqtt --serve "$serve" --broker "$broker" --topic ptwin/load/vitals \
  --patients 20 --rate "$rate_a" --count "$count_a" --json "$workdir/tier_a.json"
echo
echo "== Tier B: FHIR Subscription notification -> RiskAssessment"
"$ptwin" load-test --feed fhir_subscription --serve "$serve" --ehr "$ehr" \
  --patients 5 --rate "$rate_b" --count "$count_b" --json "$workdir/tier_b.json"
