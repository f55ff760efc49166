// SPDX-License-Identifier: Apache-2.0
#pragma once
// FHIRPath operators on evaluated operands (FHIRPath N1 §"Operations"): equality and
// equivalence, comparison, arithmetic, string concatenation, membership and union, with the
// specification's rules for empty operands (an empty operand gives an empty result, except
// where the operator says otherwise) and for operands of several items (an error).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "ptwin/ingest/fhir/fhirpath/value.hpp"

namespace ptwin::ingest::fhir::fhirpath::detail {

/// Where an operator or function is, for error messages: "operator '<' at position 7".
struct Site {
  std::string_view description;  // "operator '<'", "function substring()"
  std::size_t position = 0;
};
[[noreturn]] void fail(const Site& site, const std::string& value, const std::string& rule);

/// A node as the operators see it: a primitive's System value, a Quantity-family element as a
/// System Quantity, anything else unchanged. nullopt for a primitive without a value.
[[nodiscard]] std::optional<Item> operand_value(const Item& item);

/// The operand of an operator that takes one item: nullopt when empty; an error for several.
[[nodiscard]] std::optional<Item> single_operand(const Collection& items, const Site& site);

/// FHIRPath singleton evaluation of collections as a Boolean: empty -> nullopt, one Boolean ->
/// its value, one other item -> true, several items -> error.
[[nodiscard]] std::optional<bool> as_boolean(const Collection& items, const Site& site);
[[nodiscard]] Collection from_boolean(std::optional<bool> value);

/// Item and collection equality (`=`) and equivalence (`~`).
[[nodiscard]] std::optional<bool> items_equal(const Item& left, const Item& right);
[[nodiscard]] bool items_equivalent(const Item& left, const Item& right);
[[nodiscard]] std::optional<bool> collections_equal(const Collection& left,
                                                    const Collection& right);
[[nodiscard]] bool collections_equivalent(const Collection& left, const Collection& right);

/// Whether some item of `items` equals `item` (`in`, `contains`, union, distinct()).
[[nodiscard]] bool contains_item(const Collection& items, const Item& item);
/// Appends `item` unless an equal item is already there.
void append_distinct(Collection& out, const Item& item);
/// Appends each of `items` unless an equal item is already in `out` (union, distinct()). Takes
/// time linear in the sizes when every item is a string (the common case: references, urls,
/// codes), quadratic otherwise.
void append_all_distinct(Collection& out, const Collection& items);

/// `<`, `>`, `<=`, `>=`.
[[nodiscard]] Collection compare_operator(std::string_view op, const Collection& left,
                                          const Collection& right, const Site& site);
/// `+`, `-`, `*`, `/`, `div`, `mod`, `&`.
[[nodiscard]] Collection arithmetic_operator(std::string_view op, const Collection& left,
                                             const Collection& right, const Site& site);
/// Unary `-` and `+`.
[[nodiscard]] Collection polarity_operator(std::string_view op, const Collection& operand,
                                           const Site& site);
/// Three-way order of two single values, or nullopt when they have no order (partial dates,
/// incommensurable quantities); an error for types that cannot be compared at all.
[[nodiscard]] std::optional<int> order(const Item& left, const Item& right, const Site& site);

}  // namespace ptwin::ingest::fhir::fhirpath::detail
