#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what ptwin needs, builds it (Release) with the dashboard's page and runs `ptwin demo`
# on the shipped patient: the report, then the recorded stream replayed into the live twin on
# the dashboard until Ctrl-C (docs/dashboard.md#demo).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DPTWIN_BUILD_TESTS=OFF -DPTWIN_BUILD_BENCH=OFF
cmake --build build/release --target ptwin
# The page needs npm once per lock file (docs/dashboard.md#building); without it the demo still
# serves the dashboard's API and says that the page is missing.
cmake --build build/release --target dashboard ||
  echo "scripts/demo.sh: the dashboard's page could not be built (see above); the demo serves its API only" >&2
./build/release/apps/ptwin/ptwin demo "$@"
