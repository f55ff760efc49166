// SPDX-License-Identifier: Apache-2.0
// Subsetting and combining (FHIRPath N1 §5.3, §5.4).
#include <algorithm>
#include <iterator>

#include "ptwin/ingest/fhir/fhirpath/detail/functions.hpp"

namespace ptwin::ingest::fhir::fhirpath::detail::functions {
namespace {

// The first `count` items (count clamped to 0..size).
Collection leading(const Collection& input, std::int64_t count) {
  const auto end = static_cast<std::size_t>(
      std::clamp<std::int64_t>(count, 0, static_cast<std::int64_t>(input.size())));
  return Collection(input.begin(), input.begin() + static_cast<std::ptrdiff_t>(end));
}

}  // namespace

Collection single(FunctionCall& call) {
  if (call.input().size() > 1) call.fail(describe(call.input()), "expects at most one item");
  return call.input();
}

Collection first(FunctionCall& call) {
  if (call.input().empty()) return {};
  return {call.input().front()};
}

Collection last(FunctionCall& call) {
  if (call.input().empty()) return {};
  return {call.input().back()};
}

Collection tail(FunctionCall& call) {
  if (call.input().empty()) return {};
  return Collection(call.input().begin() + 1, call.input().end());
}

Collection skip(FunctionCall& call) {
  const auto count = integer_argument(call, 0);
  if (!count) return {};
  const auto& input = call.input();
  if (*count <= 0) return input;
  if (static_cast<std::uint64_t>(*count) >= input.size()) return {};
  return Collection(input.begin() + static_cast<std::ptrdiff_t>(*count), input.end());
}

Collection take(FunctionCall& call) {
  const auto count = integer_argument(call, 0);
  if (!count) return {};
  return leading(call.input(), *count);
}

Collection intersect(FunctionCall& call) {
  const Collection other = call.argument(0);
  Collection out;
  for (const auto& item : call.input()) {
    if (contains_item(other, item)) append_distinct(out, item);
  }
  return out;
}

Collection exclude(FunctionCall& call) {
  const Collection other = call.argument(0);
  Collection out;
  for (const auto& item : call.input()) {
    if (!contains_item(other, item)) out.push_back(item);
  }
  return out;
}

Collection union_of(FunctionCall& call) {
  Collection out;
  append_all_distinct(out, call.input());
  append_all_distinct(out, call.argument(0));
  return out;
}

Collection combine(FunctionCall& call) {
  Collection out = call.input();
  auto other = call.argument(0);
  out.insert(out.end(), std::make_move_iterator(other.begin()),
             std::make_move_iterator(other.end()));
  return out;
}

}  // namespace ptwin::ingest::fhir::fhirpath::detail::functions
