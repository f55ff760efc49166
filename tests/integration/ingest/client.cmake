# SPDX-License-Identifier: Apache-2.0
# FHIR client (libcurl) against a scripted HTTP server on 127.0.0.1.
ptwin_add_test(ingest_fhir_client_test LABEL integration
  SOURCES fhir_client_test.cpp ${PROJECT_SOURCE_DIR}/tests/support/http_test_server.cpp
  LIBS ptwin::ingest ptwin::server)
