#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what ptwin needs, builds it (Release) and runs `ptwin demo` on the shipped patient.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DPTWIN_BUILD_TESTS=OFF -DPTWIN_BUILD_BENCH=OFF
cmake --build build/release --target ptwin
./build/release/apps/ptwin/ptwin demo "$@"
