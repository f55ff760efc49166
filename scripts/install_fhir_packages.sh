#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fetches the official HL7 FHIR R5 packages from the npm registry into .cache/fhir/<package>/:
#   hl7.fhir.r5.core      StructureDefinitions, SearchParameters, ValueSets, CodeSystems
#   hl7.fhir.r5.examples  the specification's example resources (FHIRPath and validator tests)
# Idempotent: a package already unpacked at the pinned version is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${PTWIN_FHIR_PACKAGE_DIR:-$PWD/.cache/fhir}"
packages=(hl7.fhir.r5.core@5.0.0 hl7.fhir.r5.examples@5.0.0)

if ! command -v npm >/dev/null 2>&1; then
  echo "install_fhir_packages: npm is missing; install Debian's npm package (apt-get install npm)" >&2
  exit 1
fi
mkdir -p "$dest"
for spec in "${packages[@]}"; do
  name="${spec%@*}"
  version="${spec#*@}"
  target="$dest/$name"
  if [ -f "$target/package.json" ] && grep -q "\"version\" *: *\"$version\"" "$target/package.json"; then
    continue
  fi
  echo "install_fhir_packages: fetching $spec"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null 2>&1)
  rm -rf "$target" && mkdir -p "$target"
  tar xzf "$tmp"/*.tgz -C "$target" --strip-components=1
  rm -rf "$tmp"
done
echo "install_fhir_packages: packages in $dest"
