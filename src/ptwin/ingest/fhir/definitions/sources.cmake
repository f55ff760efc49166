# SPDX-License-Identifier: Apache-2.0
# FHIR R5 definitions: package access, StructureDefinitions, terminology, SearchParameters.
list(APPEND ingest_sources
  fhir/definitions/package.cpp
  fhir/definitions/detail/json_scan.cpp
  fhir/definitions/structure_definition.cpp
  fhir/definitions/code_system.cpp
  fhir/definitions/value_set.cpp
  fhir/definitions/search_parameter.cpp
  fhir/definitions/definitions.cpp
  fhir/definitions/element_type.cpp)
