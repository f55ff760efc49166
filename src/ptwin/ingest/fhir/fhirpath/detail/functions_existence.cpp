// SPDX-License-Identifier: Apache-2.0
// Existence functions (FHIRPath N1 §5.1).
#include <algorithm>
#include <iterator>

#include "ptwin/ingest/fhir/fhirpath/detail/functions.hpp"

namespace ptwin::ingest::fhir::fhirpath::detail::functions {
namespace {

// Every item of the input as a Boolean; anything else is an error (allTrue() and friends).
std::vector<bool> booleans(FunctionCall& call) {
  std::vector<bool> values;
  for (const auto& item : call.input()) {
    const auto value = operand_value(item);
    const auto* boolean = value ? std::get_if<bool>(&*value) : nullptr;
    if (boolean == nullptr) call.fail(describe(item), "expects Boolean items only");
    values.push_back(*boolean);
  }
  return values;
}

bool every_in(const Collection& items, const Collection& container) {
  return std::all_of(items.begin(), items.end(),
                     [&](const Item& item) { return contains_item(container, item); });
}

}  // namespace

Collection empty(FunctionCall& call) { return {Item{call.input().empty()}}; }

Collection exists(FunctionCall& call) {
  if (call.argument_count() == 0) return {Item{!call.input().empty()}};
  const auto& input = call.input();
  for (std::size_t i = 0; i < input.size(); ++i) {
    const auto criterion = call.argument_for(0, input[i], static_cast<std::int64_t>(i));
    if (as_boolean(criterion, call.site()) == true) return {Item{true}};
  }
  return {Item{false}};
}

Collection all(FunctionCall& call) {
  const auto& input = call.input();
  for (std::size_t i = 0; i < input.size(); ++i) {
    const auto criterion = call.argument_for(0, input[i], static_cast<std::int64_t>(i));
    if (as_boolean(criterion, call.site()) != true) return {Item{false}};
  }
  return {Item{true}};
}

Collection all_true(FunctionCall& call) {
  const auto values = booleans(call);
  return {Item{std::all_of(values.begin(), values.end(), [](bool value) { return value; })}};
}

Collection any_true(FunctionCall& call) {
  const auto values = booleans(call);
  return {Item{std::any_of(values.begin(), values.end(), [](bool value) { return value; })}};
}

Collection all_false(FunctionCall& call) {
  const auto values = booleans(call);
  return {Item{std::none_of(values.begin(), values.end(), [](bool value) { return value; })}};
}

Collection any_false(FunctionCall& call) {
  const auto values = booleans(call);
  return {Item{std::any_of(values.begin(), values.end(), [](bool value) { return !value; })}};
}

Collection subset_of(FunctionCall& call) {
  return {Item{every_in(call.input(), call.argument(0))}};
}

Collection superset_of(FunctionCall& call) {
  return {Item{every_in(call.argument(0), call.input())}};
}

Collection count(FunctionCall& call) {
  return {Item{static_cast<std::int64_t>(call.input().size())}};
}

Collection distinct(FunctionCall& call) {
  Collection out;
  append_all_distinct(out, call.input());
  return out;
}

Collection not_of(FunctionCall& call) {
  const auto value = as_boolean(call.input(), call.site());
  if (!value) return {};
  return {Item{!*value}};
}

Collection is_distinct(FunctionCall& call) {
  return {Item{distinct(call).size() == call.input().size()}};
}

}  // namespace ptwin::ingest::fhir::fhirpath::detail::functions
