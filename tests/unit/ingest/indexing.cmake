# SPDX-License-Identifier: Apache-2.0
# Search-parameter index extraction on official R5 examples (PTWIN_FHIR_PACKAGE_DIR).
ptwin_add_test(ingest_indexing_test LABEL unit
  SOURCES indexing_extractor_test.cpp indexing_value_rows_test.cpp indexing_union_pruning_test.cpp
  LIBS ptwin::ingest ptwin::store fmt::fmt)
