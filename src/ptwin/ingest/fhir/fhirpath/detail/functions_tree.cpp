// SPDX-License-Identifier: Apache-2.0
// Tree navigation (FHIRPath N1 §5.8).
#include "ptwin/ingest/fhir/fhirpath/detail/functions.hpp"

namespace ptwin::ingest::fhir::fhirpath::detail::functions {
namespace {

Collection children_of(const Model& model, const Collection& items) {
  Collection out;
  for (const auto& item : items) {
    if (const auto* node = std::get_if<Node>(&item)) model.children(*node, out);
  }
  return out;
}

}  // namespace

Collection children(FunctionCall& call) { return children_of(call.model(), call.input()); }

Collection descendants(FunctionCall& call) {
  Collection out;
  Collection level = children_of(call.model(), call.input());
  while (!level.empty()) {
    out.insert(out.end(), level.begin(), level.end());
    level = children_of(call.model(), level);
  }
  return out;
}

}  // namespace ptwin::ingest::fhir::fhirpath::detail::functions
