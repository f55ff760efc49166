// SPDX-License-Identifier: Apache-2.0
#pragma once
// Readers for the value syntax of FHIR search (R5 search.html): prefixes, escaping, and the
// value forms of each parameter type. Pure functions, for the HTTP facade and for tests; the
// store itself takes the typed values of search_query.hpp.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ptwin/store/fhir/search_query.hpp"

namespace ptwin::store::fhir {

/// Splits at each `separator` not preceded by the escape `\` (search.html#escaping: `\,`,
/// `\|`, `\$`, `\\`). The parts keep their escapes; unescape_search_value() removes them.
[[nodiscard]] std::vector<std::string> split_unescaped(std::string_view text, char separator);

/// Removes the escapes `\,` `\|` `\$` `\\`. Throws InputError(BadInput) at `where` on a `\`
/// before any other character or at the end (the page calls `xx\xx` illegal).
[[nodiscard]] std::string unescape_search_value(std::string_view text, std::string_view where);

/// The prefix at the start of a number, date or quantity value and the rest: "ge2024" →
/// {Ge, "2024"}; "2024" → {Eq, "2024"}. Two letters count as a prefix only when one of the
/// nine codes is followed by a digit, '-', '+' or '.'.
[[nodiscard]] std::pair<Prefix, std::string_view> split_prefix(std::string_view text);

/// `[prefix]date` → its prefix and the range it covers (fhir_date_range).
[[nodiscard]] DateValue parse_date_value(std::string_view text, std::string_view where);

/// `[prefix]decimal` → its prefix, value and implicit range (decimal_range).
[[nodiscard]] NumberValue parse_number_value(std::string_view text, std::string_view where);

/// `[prefix]number[|system|code]`, with `\|` escapes inside system and code.
[[nodiscard]] QuantityValue parse_quantity_value(std::string_view text, std::string_view where);

/// `code`, `system|code`, `|code`, `system|`, with escapes.
[[nodiscard]] TokenValue parse_token_value(std::string_view text, std::string_view where);

/// `id`, `Type/id`, `Type/id/_history/version`, or an absolute URL (`scheme://...` or
/// `urn:...`) with an optional `|version` (canonical). Throws InputError(BadInput) on other
/// forms and on a type or id that breaks FHIR's syntax.
[[nodiscard]] ReferenceValue parse_reference_value(std::string_view text, std::string_view where);

/// True for a FHIR resource type name: `[A-Z][A-Za-z]{0,63}`.
[[nodiscard]] bool is_resource_type_name(std::string_view text);

/// True for a FHIR id: `[A-Za-z0-9\-\.]{1,64}`.
[[nodiscard]] bool is_resource_id(std::string_view text);

}  // namespace ptwin::store::fhir
