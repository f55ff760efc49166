# SPDX-License-Identifier: Apache-2.0
# FHIR Bulk Data: the NDJSON line reader and the manifest reader (no store, no network).
ptwin_add_test(ingest_bulk_ndjson_test LABEL unit
  SOURCES bulk_line_reader_test.cpp bulk_manifest_test.cpp
  LIBS ptwin::ingest fmt::fmt)
