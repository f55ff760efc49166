#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what ptwin needs, builds everything (tests and benchmarks) with warnings as errors,
# runs the whole test suite with CTest (labels: unit, verification, integration, e2e), then
# smoke-runs the benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh

cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=Release -DPTWIN_BUILD_TESTS=ON \
  -DPTWIN_BUILD_BENCH=ON -DPTWIN_WERROR=ON
cmake --build build/test
bash scripts/with_postgres.sh bash scripts/with_mosquitto.sh bash scripts/with_orthanc.sh bash scripts/with_xvfb.sh ctest --test-dir build/test --output-on-failure --timeout 600

# Benchmark smoke run (STYLE.md §11): every benchmark of every binary runs once, as briefly as
# Google Benchmark allows, so that a benchmark that no longer runs fails CI. Times are printed,
# never checked. The loop runs beside a throw-away PostgreSQL server and mosquitto broker so
# that the PostgreSQL store and MQTT benchmarks run too, and beside a throw-away Orthanc for the
# DICOMweb benchmark (without PTWIN_TEST_POSTGRES_URL / PTWIN_TEST_MQTT_URL /
# PTWIN_TEST_DICOMWEB_URL they report how to run them).
# Then the FHIR search latency script runs once on a small population with 2 s per scenario
# (about 8 s on 2 cores), end to end: server start, load, query checks, wrk, server stop.
# shellcheck disable=SC2016  # expanded by the inner shell
bash scripts/with_postgres.sh bash scripts/with_mosquitto.sh bash scripts/with_orthanc.sh bash -euo pipefail -c '
  for bench in build/test/bench/*/*_bench; do
    echo "== smoke run: $bench"
    timeout 300 "$bench" --benchmark_min_time=0.01 --benchmark_color=false
  done
'
echo "== smoke run: bench/server/fhir_search_latency.sh"
timeout 120 bash bench/server/fhir_search_latency.sh build/test/apps/ptwin/ptwin --patients 20 \
  --observations 20 --duration 2 --connections 4 --threads 2
