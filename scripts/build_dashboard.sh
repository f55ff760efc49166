#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the web dashboard's assets (docs/dashboard.md#building):
#   scripts/build_dashboard.sh [<outdir>]      default: build/share/ptwin/dashboard
# Installs the pinned npm packages of web/dashboard with `npm ci` (exactly package-lock.json;
# skipped when node_modules already holds that lock), then bundles with esbuild into <outdir>:
# index.html, main.js, main.css and their source maps. The CMake target `dashboard` runs this.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
outdir="${1:-$root/build/share/ptwin/dashboard}"
web="$root/web/dashboard"

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "build_dashboard: $tool is missing; install Debian's nodejs and npm (scripts/install_deps.sh)" >&2
    exit 1
  fi
done

lock_digest="$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)"
stamp="$web/node_modules/.ptwin-lock-sha256"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_digest" ]; then
  echo "build_dashboard: npm ci in $web"
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_digest" >"$stamp"
fi
node "$web/build.mjs" --outdir "$outdir"
