#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what ptwin needs, builds everything (tests and benchmarks) and runs the whole test
# suite with CTest (labels: unit, verification, integration, e2e), then smoke-runs the benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
werror=OFF  # warnings are reported; -Werror waits until GCC 12 false positives (-Wrestrict in <string>) are silenced

cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=Release -DPTWIN_BUILD_TESTS=ON \
  -DPTWIN_BUILD_BENCH=OFF -DPTWIN_WERROR="$werror"
cmake --build build/test
bash scripts/with_postgres.sh ctest --test-dir build/test --output-on-failure --timeout 600
