# SPDX-License-Identifier: Apache-2.0
# Bulk Data $export through the facade over HTTP, and import of that export into a second
# store with the FHIR client, on SQLite and (with PTWIN_TEST_POSTGRES_URL) PostgreSQL.
find_package(CURL REQUIRED)
ptwin_add_test(server_bulk_export_test LABEL integration
  SOURCES bulk_export_test.cpp bulk_export_scope_test.cpp bulk_round_trip_test.cpp
  LIBS ptwin::server ptwin::store ptwin::ingest CURL::libcurl PkgConfig::LIBPQ
       nlohmann_json::nlohmann_json fmt::fmt Threads::Threads)
