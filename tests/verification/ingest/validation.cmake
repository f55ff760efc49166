# SPDX-License-Identifier: Apache-2.0
# The official R5 examples (hl7.fhir.r5.examples, from scripts/install_fhir_packages.sh) of the
# twin's resource types must validate; the acceptance rate is recorded (docs/fhir.md).
ptwin_add_test(ingest_validation_examples_test LABEL verification
  SOURCES validation_examples_test.cpp LIBS ptwin::ingest fmt::fmt TIMEOUT 600)
# FHIR XML written and read back on the same examples (docs/fhir.md#xml).
ptwin_add_test(ingest_xml_round_trip_test LABEL verification
  SOURCES xml_round_trip_test.cpp LIBS ptwin::ingest fmt::fmt TIMEOUT 300)
