// SPDX-License-Identifier: Apache-2.0
// Filtering and projection (FHIRPath N1 §5.2).
#include <algorithm>
#include <iterator>
#include <set>
#include <utility>

#include "ptwin/ingest/fhir/fhirpath/detail/functions.hpp"

namespace ptwin::ingest::fhir::fhirpath::detail::functions {
namespace {

// The items repeat() has produced: nodes by identity (repeat() walks a tree, and two
// equal-looking elements in different places are different elements), values by equality.
class SeenItems {
 public:
  // True when `item` was not seen before (and is now).
  bool insert(const Item& item) {
    if (const auto* node = std::get_if<Node>(&item)) {
      return nodes_.emplace(node->value, node->extension_part).second;
    }
    if (contains_item(values_, item)) return false;
    values_.push_back(item);
    return true;
  }

 private:
  std::set<std::pair<const nlohmann::json*, const nlohmann::json*>> nodes_;
  Collection values_;
};

// repeat() and repeatAll(): apply the projection to the input, then to what it returned, until
// nothing new comes back.
Collection repeated(FunctionCall& call, bool keep_duplicates) {
  // A FHIR resource is never this deep or this large; the bounds stop a projection that keeps
  // producing new values ('a'.repeat($this & 'a')) before it exhausts memory.
  constexpr std::size_t kMaxLevels = 1'000;
  constexpr std::size_t kMaxItems = 1'000'000;
  Collection out;
  SeenItems seen;
  Collection level = call.input();
  for (std::size_t depth = 0; !level.empty(); ++depth) {
    if (depth == kMaxLevels)
      call.fail(describe(call.input()), "does not stop after 1000 repetitions");
    Collection next;
    for (std::size_t i = 0; i < level.size(); ++i) {
      for (auto& item : call.argument_for(0, level[i], static_cast<std::int64_t>(i))) {
        if (!keep_duplicates && !seen.insert(item)) continue;
        out.push_back(item);
        next.push_back(std::move(item));
        if (out.size() > kMaxItems)
          call.fail(describe(call.input()), "produces more than a million items");
      }
    }
    level = std::move(next);
  }
  return out;
}

}  // namespace

Collection where(FunctionCall& call) {
  Collection out;
  const auto& input = call.input();
  for (std::size_t i = 0; i < input.size(); ++i) {
    const auto criterion = call.argument_for(0, input[i], static_cast<std::int64_t>(i));
    if (as_boolean(criterion, call.site()) == true) out.push_back(input[i]);
  }
  return out;
}

Collection select(FunctionCall& call) {
  Collection out;
  const auto& input = call.input();
  for (std::size_t i = 0; i < input.size(); ++i) {
    auto projected = call.argument_for(0, input[i], static_cast<std::int64_t>(i));
    out.insert(out.end(), std::make_move_iterator(projected.begin()),
               std::make_move_iterator(projected.end()));
  }
  return out;
}

Collection repeat(FunctionCall& call) { return repeated(call, false); }

Collection repeat_all(FunctionCall& call) { return repeated(call, true); }

Collection of_type(FunctionCall& call) {
  const TypeSpecifier type = type_argument(call, 0);
  Collection out;
  for (const auto& item : call.input()) {
    try {
      if (call.model().matches(item, type, true)) out.push_back(item);
    } catch (const EvaluationError& error) {
      call.fail(error.value(), error.rule());
    }
  }
  return out;
}

}  // namespace ptwin::ingest::fhir::fhirpath::detail::functions
