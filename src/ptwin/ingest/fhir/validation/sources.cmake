# SPDX-License-Identifier: Apache-2.0
# FHIR R5 resource validation against the core StructureDefinitions.
list(APPEND ingest_sources
  fhir/validation/issue.cpp
  fhir/validation/primitive_types.cpp
  fhir/validation/validator.cpp
  fhir/validation/fhirpath_invariants.cpp
  fhir/validation/detail/walk_resources.cpp
  fhir/validation/detail/walk_elements.cpp
  fhir/validation/detail/walk_primitives.cpp
  fhir/validation/detail/bindings.cpp
  fhir/validation/detail/references.cpp
  fhir/validation/detail/invariants.cpp
  fhir/validation/detail/excerpt.cpp)
