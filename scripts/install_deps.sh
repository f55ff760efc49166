#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs every Debian 12 package that ptwin's build, tests and benchmarks need.
# Idempotent and non-interactive: packages already present are left alone.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  clang libclang-rt-14-dev           # libFuzzer targets and sanitizers
  clang-16 libclang-rt-16-dev        # a clang that compiles core/assert.hpp (std::source_location)
  libeigen3-dev                      # sparse linear algebra (0D DAE Jacobian)
  libsundials-dev                    # IDA: baseline integrator in bench/
  libsuitesparse-dev                 # KLU sparse LU for the 0D Newton solves
  libnlopt-cxx-dev libnlopt-dev      # personalisation optimiser
  libspdlog-dev libfmt-dev           # logging and formatting
  libcli11-dev                       # command line
  nlohmann-json3-dev                 # JSON model formats, FHIR JSON
  libsimdjson-dev                    # received bytes of JSON elements for the quarantine
  libxml2-dev                        # FHIR XML (docs/fhir.md#xml)
  libyaml-cpp-dev                    # twin.yaml
  libsqlite3-dev sqlite3             # embedded store
  libssl-dev                         # SHA-256 digests of models and inputs (OpenSSL)
  libgtest-dev libgmock-dev          # tests
  libxml2-utils                      # xmllint: well-formedness of the HTML report in tests
  libbenchmark-dev                   # bench/
  libcurl4-gnutls-dev                # FHIR client (gnutls: the openssl flavour conflicts with ITK/VTK)
  libboost-dev                       # Boost.Beast: FHIR REST facade and test servers
  postgresql libpq-dev               # FHIR resource store's second backend; test server
  wrk                                # HTTP load generator: bench/server/fhir_search_latency.sh
  curl                               # Bulk Data kick-off in the fhir-serve end-to-end test
  mosquitto mosquitto-clients libmosquitto-dev  # MQTT biosensor feed; test broker (docs/mqtt.md)
  libhts-dev                         # VCF/BCF reading for the genomics feed (docs/genomics.md)
  libdcmtk-dev dcmtk                 # DICOM reading/writing and codecs (docs/dicom.md)
  orthanc orthanc-dicomweb           # test PACS with DICOMweb (scripts/with_orthanc.sh)
  libinsighttoolkit5-dev             # segmentation: thresholds, region growing, level sets (ITK)
  libvtk9-dev                        # surfaces, smoothing, decimation, .vtp/.vtu files (VTK)
  libx11-dev libglew-dev             # VTK rendering (OpenGL through X11): the offscreen surface picture
  xvfb libgl1-mesa-dri               # X server without a screen and Mesa llvmpipe, for that picture in tests (scripts/with_xvfb.sh)
  zlib1g-dev                         # gzip NRRD label maps read back in the ptwin image e2e test
  libgmsh-dev                        # tetrahedral volume meshing (Gmsh API)
  libtorch-dev                       # TorchScript segmentation models (libtorch)
  dicom3tools                        # dciodvfy: validates the DICOM SEG and SR that ptwin writes
  chromium                           # headless browser of the dashboard end-to-end test (docs/dashboard.md)
)
# npm fetches the HL7 FHIR R5 packages (scripts/install_fhir_packages.sh); a Node.js already
# installed from elsewhere brings its own npm, which Debian's package would conflict with.
if ! command -v npm >/dev/null 2>&1; then packages+=(npm); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all ${#packages[@]} packages present"
else
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "install_deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

bash "$(dirname "$0")/install_fhir_packages.sh"
