# SPDX-License-Identifier: Apache-2.0
ptwin_add_test(server_fhir_response_test LABEL unit
  SOURCES fhir_response_test.cpp
  LIBS ptwin::server fmt::fmt)
# Bulk Data kick-off parameters and their bad-input corpus (tests/data/bad_inputs/bulk_kickoff).
ptwin_add_test(server_bulk_kickoff_test LABEL unit
  SOURCES bulk_kickoff_test.cpp
  LIBS ptwin::server fmt::fmt nlohmann_json::nlohmann_json)
