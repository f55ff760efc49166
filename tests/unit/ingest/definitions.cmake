# SPDX-License-Identifier: Apache-2.0
# FHIR R5 definitions: read from the package that scripts/install_fhir_packages.sh installs
# (PTWIN_FHIR_PACKAGE_DIR).
ptwin_add_test(ingest_definitions_package_test LABEL unit
  SOURCES definitions_package_test.cpp LIBS ptwin::ingest fmt::fmt)
ptwin_add_test(ingest_definitions_structure_test LABEL unit
  SOURCES definitions_structure_test.cpp LIBS ptwin::ingest fmt::fmt)
ptwin_add_test(ingest_definitions_terminology_test LABEL unit
  SOURCES definitions_terminology_test.cpp LIBS ptwin::ingest fmt::fmt)
