# SPDX-License-Identifier: Apache-2.0
# NDJSON import into the FHIR resource store, on SQLite and (with PTWIN_TEST_POSTGRES_URL)
# PostgreSQL, with the quarantine in a real SqliteStore.
ptwin_add_test(ingest_bulk_import_test LABEL integration
  SOURCES bulk_import_test.cpp
  LIBS ptwin::ingest ptwin::store PkgConfig::LIBPQ fmt::fmt)
# The import killed (SIGKILL) while it writes: what it reported committed is there, whole.
ptwin_add_test(ingest_bulk_import_crash_test LABEL integration
  SOURCES bulk_import_crash_test.cpp
  LIBS ptwin::ingest ptwin::store fmt::fmt)
