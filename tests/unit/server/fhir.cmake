# SPDX-License-Identifier: Apache-2.0
ptwin_add_test(server_fhir_response_test LABEL unit
  SOURCES fhir_response_test.cpp
  LIBS ptwin::server fmt::fmt)
