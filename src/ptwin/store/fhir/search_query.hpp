// SPDX-License-Identifier: Apache-2.0
#pragma once
// A FHIR search as typed data: what ResourceStore::search() executes. The HTTP facade turns a
// query string into this (search_values.hpp has the parsers for the value syntax); the store
// never sees the query string. Semantics follow the FHIR R5 search page (search.html):
// criteria are ANDed, the values of one criterion are ORed, prefixes compare ranges, and each
// modifier below does what docs/store.md#fhir-search-semantics states.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ptwin/core/time.hpp"

namespace ptwin::store::fhir {

/// FHIR search parameter types the store indexes (search.html#ptypes; composite and special
/// are not stored).
enum class SearchParamType { Number, Date, String, Token, Reference, Quantity, Uri };

/// Comparison prefixes of number, date and quantity values (search.html#prefix). Eq when the
/// value has none.
enum class Prefix { Eq, Ne, Gt, Lt, Ge, Le, Sa, Eb, Ap };

/// Supported modifiers (search.html#modifiers); the rest are refused by validate(SearchQuery).
enum class Modifier {
  None,
  Exact,     // string: whole value, case and accents included
  Contains,  // string: normalised value contains the normalised search text
  Text,      // token: display/text starts with the normalised search text (value: StringValue)
  Not,       // token, _id: no row of the resource matches (resources without the parameter too)
  Missing,   // any type: the resource has no row / has a row (value: MissingValue)
  Below,     // uri: starts with the search value
  Above,     // uri: the search value starts with the stored uri
};

[[nodiscard]] std::string_view to_string(SearchParamType type);
[[nodiscard]] std::string_view to_string(Prefix prefix);
[[nodiscard]] std::string_view to_string(Modifier modifier);

/// Names of the parameters the store answers from the resource table itself.
inline constexpr std::string_view kIdParam = "_id";                    // type Token, code only
inline constexpr std::string_view kLastUpdatedParam = "_lastUpdated";  // type Date

struct StringValue {
  std::string text{};
  friend bool operator==(const StringValue&, const StringValue&) = default;
};

/// `code`, `system|code`, `|code` (system == ""), `system|` (code == nullopt).
struct TokenValue {
  std::optional<std::string> system{};  // nullopt: any system; "": the row must have no system
  std::optional<std::string> code{};    // nullopt: any code of that system
  friend bool operator==(const TokenValue&, const TokenValue&) = default;
};

/// The closed range [low, high] of instants the search value covers (2024-05 covers May).
struct DateValue {
  Prefix prefix = Prefix::Eq;
  time::Instant low{};
  time::Instant high{};
  friend bool operator==(const DateValue&, const DateValue&) = default;
};

/// `value` as written, and the closed range implied by its significant digits
/// (decimal_range.hpp). FHIR numbers have no unit, hence plain doubles.
struct NumberValue {
  Prefix prefix = Prefix::Eq;
  double value = 0.0;
  double low = 0.0;
  double high = 0.0;
  friend bool operator==(const NumberValue&, const NumberValue&) = default;
};

/// `[prefix]number|system|code`: with a system, the row's system and code must match; with a
/// code only (`5.4||mg`), the row's code or its human unit must match; with neither, any unit.
/// Units are compared as written: no UCUM conversion.
struct QuantityValue {
  NumberValue number{};
  std::optional<std::string> system{};
  std::optional<std::string> code{};
  friend bool operator==(const QuantityValue&, const QuantityValue&) = default;
};

/// A local reference `[type/]id[/_history/version]` (type nullopt: any type) or an absolute
/// `url` (another server, or a canonical with an optional `|version`). The facade turns
/// absolute URLs of this server into local references before searching.
struct ReferenceValue {
  std::optional<std::string> type{};
  std::optional<std::string> id{};
  std::optional<std::string> version{};
  std::optional<std::string> url{};
  friend bool operator==(const ReferenceValue&, const ReferenceValue&) = default;
};

struct UriValue {
  std::string uri{};
  friend bool operator==(const UriValue&, const UriValue&) = default;
};

/// The value of `param:missing=true|false`.
struct MissingValue {
  bool is_missing = true;
  friend bool operator==(const MissingValue&, const MissingValue&) = default;
};

using SearchValue = std::variant<StringValue, TokenValue, DateValue, NumberValue, QuantityValue,
                                 ReferenceValue, UriValue, MissingValue>;

/// `reference_param[:target_type].param`: the criterion applies to the resources that
/// `reference_param` points to (one level of chaining).
struct Chain {
  std::string reference_param{};
  std::optional<std::string> target_type{};
  friend bool operator==(const Chain&, const Chain&) = default;
};

/// `_has:source_type:reference_param:param`: the criterion applies to resources of
/// `source_type` that point to the matched resource through `reference_param`.
struct ReverseChain {
  std::string source_type{};
  std::string reference_param{};
  friend bool operator==(const ReverseChain&, const ReverseChain&) = default;
};

/// One search parameter occurrence: its values are ORed; criteria of a query are ANDed, so a
/// repeated parameter (`date=ge2024&date=lt2025`) is two criteria.
struct Criterion {
  std::string param{};
  SearchParamType type = SearchParamType::Token;
  Modifier modifier = Modifier::None;
  std::vector<SearchValue> values{};
  std::optional<Chain> chain{};  // at most one of chain and reverse_chain
  std::optional<ReverseChain> reverse_chain{};
  friend bool operator==(const Criterion&, const Criterion&) = default;
};

/// `_sort` item. Sort key per type: string → normalised value; token → code; date → low end
/// ascending, high end descending; number/quantity → value; reference → "type/id" or url;
/// uri → uri; _id → id; _lastUpdated → lastUpdated. A resource with several values sorts by the
/// one that comes first in the requested direction; resources without one come last.
struct SortKey {
  std::string param{};
  SearchParamType type = SearchParamType::String;
  bool is_descending = false;
  friend bool operator==(const SortKey&, const SortKey&) = default;
};

/// `_include=source_type:param[:target_type]` (source_type is the searched type) or
/// `_revinclude=source_type:param[:target_type]` (target_type, if given, is the searched type).
struct Include {
  std::string source_type{};
  std::string param{};
  std::optional<std::string> target_type{};
  friend bool operator==(const Include&, const Include&) = default;
};

inline constexpr std::int64_t kDefaultPageSize = 50;
inline constexpr std::int64_t kMaxPageSize = 1000;

struct SearchQuery {
  std::string resource_type{};
  std::vector<Criterion> criteria{};
  std::vector<SortKey> sort{};            // empty: the order in which resources were created
  std::int64_t count = kDefaultPageSize;  // page size, 0..kMaxPageSize; 0 asks for the total only
  std::int64_t offset = 0;                // matches to skip (paging)
  std::vector<Include> includes{};
  std::vector<Include> revincludes{};
  friend bool operator==(const SearchQuery&, const SearchQuery&) = default;
};

/// Throws InputError(BadInput) naming the parameter when a criterion has no value, a value of
/// the wrong kind for its type, a modifier its type does not allow, both a chain and a reverse
/// chain, or when the page, a sort key or an include is malformed.
void validate(const SearchQuery& query);

/// The checks of validate(SearchQuery) for one criterion (conditional create uses them).
void validate(const Criterion& criterion);

}  // namespace ptwin::store::fhir
