// SPDX-License-Identifier: Apache-2.0
#pragma once
// One request as the facade's parts see it (internal to server/fhir).

#include <string>
#include <vector>

#include "ptwin/server/fhir/fhir_facade.hpp"

namespace ptwin::server::fhir {

struct FhirFacade::Context {
  std::string base_url;               // http://host[:port][base_path], no trailing '/'
  std::vector<std::string> segments;  // path after the base, percent-decoded
  QueryParams params;                 // the query string, decoded
};

}  // namespace ptwin::server::fhir
