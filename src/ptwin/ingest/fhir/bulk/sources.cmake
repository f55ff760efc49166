# SPDX-License-Identifier: Apache-2.0
# FHIR Bulk Data: NDJSON import into the resource store, and import of another server's
# $export (manifest + files, downloaded with the FHIR client).
list(APPEND ingest_sources
  fhir/bulk/bulk_export_import.cpp
  fhir/bulk/bulk_manifest.cpp
  fhir/bulk/ndjson_importer.cpp
  fhir/bulk/ndjson_line_reader.cpp)
