# SPDX-License-Identifier: Apache-2.0
# Genomics feed: PGx catalogue and gene calls, VCF/BCF import (SQLite quarantine in memory),
# FHIR R5 validation of the Observations, and the bad-input corpus tests/data/bad_inputs/vcf
# (docs/genomics.md).
ptwin_add_test(ingest_genomics_test LABEL unit
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/genomics_gene_call_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/genomics_importer_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/genomics_fhir_test.cpp
  LIBS ptwin::ingest ptwin::store PkgConfig::HTSLIB fmt::fmt)
ptwin_add_test(ingest_genomics_bad_inputs_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/genomics_bad_inputs_test.cpp
  LIBS ptwin::ingest ptwin::store fmt::fmt)
