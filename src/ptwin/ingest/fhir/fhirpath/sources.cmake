# SPDX-License-Identifier: Apache-2.0
# FHIRPath engine (docs/fhirpath.md). Paths are relative to src/ptwin/ingest.
list(APPEND ingest_sources
  fhir/fhirpath/decimal.cpp
  fhir/fhirpath/temporal.cpp
  fhir/fhirpath/ucum.cpp
  fhir/fhirpath/quantity.cpp
  fhir/fhirpath/value.cpp
  fhir/fhirpath/errors.cpp
  fhir/fhirpath/cached_type_info.cpp
  fhir/fhirpath/lexer.cpp
  fhir/fhirpath/parser.cpp
  fhir/fhirpath/detail/model.cpp
  fhir/fhirpath/detail/operators.cpp
  fhir/fhirpath/detail/evaluator.cpp
  fhir/fhirpath/detail/function_registry.cpp
  fhir/fhirpath/detail/function_support.cpp
  fhir/fhirpath/detail/functions_existence.cpp
  fhir/fhirpath/detail/functions_filtering.cpp
  fhir/fhirpath/detail/functions_subsetting.cpp
  fhir/fhirpath/detail/functions_conversion.cpp
  fhir/fhirpath/detail/functions_string.cpp
  fhir/fhirpath/detail/functions_math.cpp
  fhir/fhirpath/detail/functions_tree.cpp
  fhir/fhirpath/detail/functions_utility.cpp
  fhir/fhirpath/detail/functions_fhir.cpp
  fhir/fhirpath/detail/text_codecs.cpp
  fhir/fhirpath/detail/html_checks.cpp
  fhir/fhirpath/detail/union_pruning.cpp)
