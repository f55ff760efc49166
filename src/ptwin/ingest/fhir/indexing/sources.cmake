# SPDX-License-Identifier: Apache-2.0
# Search-parameter index extraction: SearchParameter expressions (definitions) evaluated with
# the FHIRPath engine, mapped onto the resource store's typed index rows.
list(APPEND ingest_sources
  fhir/indexing/definition_types.cpp
  fhir/indexing/index_extractor.cpp
  fhir/indexing/value_rows.cpp)
list(APPEND ingest_public_libs ptwin::store)
