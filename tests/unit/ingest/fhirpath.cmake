# SPDX-License-Identifier: Apache-2.0
# FHIRPath engine (src/ptwin/ingest/fhir/fhirpath, docs/fhirpath.md).
set(fhirpath_test_support fhirpath_package_types.cpp)
ptwin_add_test(ingest_fhirpath_values_test LABEL unit
  SOURCES fhirpath_values_test.cpp LIBS ptwin::ingest)
ptwin_add_test(ingest_fhirpath_language_test LABEL unit
  SOURCES fhirpath_language_test.cpp ${fhirpath_test_support} LIBS ptwin::ingest fmt::fmt)
ptwin_add_test(ingest_fhirpath_fhir_test LABEL unit
  SOURCES fhirpath_fhir_test.cpp ${fhirpath_test_support} LIBS ptwin::ingest)
ptwin_add_test(ingest_fhirpath_bad_inputs_test LABEL unit
  SOURCES fhirpath_bad_inputs_test.cpp LIBS ptwin::ingest)
