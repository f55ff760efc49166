# SPDX-License-Identifier: Apache-2.0
# FHIR R5 RESTful facade (JSON) over the FHIR resource store.
list(APPEND server_sources
  fhir/bundle_interactions.cpp
  fhir/capability_statement.cpp
  fhir/fhir_facade.cpp
  fhir/fhir_response.cpp
  fhir/search_interactions.cpp
  fhir/search_request.cpp
  fhir/subscription_interactions.cpp)
list(APPEND server_public_libs ptwin::store ptwin::ingest nlohmann_json::nlohmann_json)
