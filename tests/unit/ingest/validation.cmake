# SPDX-License-Identifier: Apache-2.0
# FHIR R5 resource validation against the core package (PTWIN_FHIR_PACKAGE_DIR).
ptwin_add_test(ingest_validation_primitives_test LABEL unit
  SOURCES validation_primitives_test.cpp LIBS ptwin::ingest fmt::fmt)
ptwin_add_test(ingest_validation_validator_test LABEL unit
  SOURCES validation_validator_test.cpp LIBS ptwin::ingest fmt::fmt)
ptwin_add_test(ingest_validation_bad_inputs_test LABEL unit
  SOURCES validation_bad_inputs_test.cpp LIBS ptwin::ingest fmt::fmt)
ptwin_add_test(ingest_validation_invariants_test LABEL unit
  SOURCES validation_invariants_test.cpp LIBS ptwin::ingest fmt::fmt)
# FHIR XML to and from JSON (docs/fhir.md#xml).
ptwin_add_test(ingest_xml_test LABEL unit SOURCES xml_reader_test.cpp LIBS ptwin::ingest fmt::fmt)
