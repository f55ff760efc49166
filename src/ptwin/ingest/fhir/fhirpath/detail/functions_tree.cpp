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

Collection children(FunctionCall& call) {
  Collection out = children_of(call.model(), call.input());
  if (!call.evaluator().charge_navigation(out.size())) {
    Evaluator::fail_navigation(call.site(), out.size());
  }
  return out;
}

Collection descendants(FunctionCall& call) {
  Collection out;
  Collection level = children_of(call.model(), call.input());
  while (!level.empty()) {
    if (!call.evaluator().charge_navigation(level.size())) {
      Evaluator::fail_navigation(call.site(), level.size());
    }
    out.insert(out.end(), level.begin(), level.end());
    level = children_of(call.model(), level);
  }
  return out;
}

}  // namespace ptwin::ingest::fhir::fhirpath::detail::functions
