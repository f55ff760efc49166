# SPDX-License-Identifier: Apache-2.0
# The official FHIRPath suite for FHIR R5; skipped unless PTWIN_FHIRPATH_TESTS names the
# suite's XML file (docs/fhirpath.md#conformance).
ptwin_add_test(ingest_fhirpath_conformance_test LABEL verification
  SOURCES fhirpath_conformance_test.cpp fhirpath_suite_reader.cpp
          ${PROJECT_SOURCE_DIR}/tests/unit/ingest/fhirpath_package_types.cpp
  LIBS ptwin::ingest nlohmann_json::nlohmann_json fmt::fmt)
target_include_directories(ingest_fhirpath_conformance_test
  PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit/ingest)
