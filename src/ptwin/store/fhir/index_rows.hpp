// SPDX-License-Identifier: Apache-2.0
#pragma once
// The search-parameter values of one resource, one row per value, typed by FHIR search
// parameter type (R5 search.html#ptypes). The caller extracts them (it knows the
// SearchParameter expressions); the store writes them in the same transaction as the resource
// version, replaces them on update, removes them on delete, and answers searches from them.
// FHIR numbers and quantities carry no SI unit here: they are compared in the unit written.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/core/time.hpp"

namespace ptwin::store::fhir {

/// string: plain strings, HumanName and Address parts. The store keeps the text as written
/// (for :exact) and its normalise_search_string() form (default and :contains matching).
struct StringIndex {
  std::string param{};
  std::string value{};
  friend bool operator==(const StringIndex&, const StringIndex&) = default;
};

/// token: one row per Coding (system, code, display), per Identifier (system, value, type
/// text), per code/boolean/id (code only), and one row with only `text` for
/// CodeableConcept.text. `text` is what :text matches.
struct TokenIndex {
  std::string param{};
  std::optional<std::string> system{};
  std::optional<std::string> code{};
  std::optional<std::string> text{};
  friend bool operator==(const TokenIndex&, const TokenIndex&) = default;
};

/// date: the closed range [low, high] the value covers: fhir_date_range() of a date or
/// dateTime, a point for an instant, the bounds of a Period or Timing (an open end is
/// Instant::min() or Instant::max()).
struct DateIndex {
  std::string param{};
  time::Instant low{};
  time::Instant high{};
  friend bool operator==(const DateIndex&, const DateIndex&) = default;
};

/// number: `value` sorts; the closed range [low, high] matches. An integer is a point
/// (low == value == high); a decimal may carry its implicit range (number_index()).
struct NumberIndex {
  std::string param{};
  double value = 0.0;
  double low = 0.0;
  double high = 0.0;
  friend bool operator==(const NumberIndex&, const NumberIndex&) = default;
};

/// quantity: the number part as in NumberIndex, plus the unit's system, code and human text.
struct QuantityIndex {
  std::string param{};
  double value = 0.0;
  double low = 0.0;
  double high = 0.0;
  std::optional<std::string> system{};
  std::optional<std::string> code{};
  std::optional<std::string> unit{};
  friend bool operator==(const QuantityIndex&, const QuantityIndex&) = default;
};

/// reference: either a resource on this server (target_type and target_id, optionally the
/// version of a versioned reference) or an absolute `url` (another server, a canonical; a
/// canonical's `|version` goes to target_version). The caller resolves absolute URLs of this
/// server to local references, as the facade does for search values.
struct ReferenceIndex {
  std::string param{};
  std::optional<std::string> target_type{};
  std::optional<std::string> target_id{};
  std::optional<std::string> target_version{};
  std::optional<std::string> url{};
  friend bool operator==(const ReferenceIndex&, const ReferenceIndex&) = default;
};

/// uri: uri and url elements, compared byte for byte.
struct UriIndex {
  std::string param{};
  std::string uri{};
  friend bool operator==(const UriIndex&, const UriIndex&) = default;
};

struct IndexRows {
  std::vector<StringIndex> strings{};
  std::vector<TokenIndex> tokens{};
  std::vector<DateIndex> dates{};
  std::vector<NumberIndex> numbers{};
  std::vector<QuantityIndex> quantities{};
  std::vector<ReferenceIndex> references{};
  std::vector<UriIndex> uris{};
  friend bool operator==(const IndexRows&, const IndexRows&) = default;
};

/// Throws InputError(BadInput) naming `where`, the row kind, its position and parameter when a
/// row has an empty parameter name, a token with neither code nor text, a range with
/// low > high or a number outside it, a non-finite number, or a reference that is neither
/// local (type and id, both valid FHIR names) nor an absolute URL.
void validate(const IndexRows& rows, std::string_view where);

// --- builders for the common cases -------------------------------------------------------

/// A date, dateTime or instant as written in FHIR JSON, covering its precision
/// (fhir_date_range). Throws InputError naming `param` on bad syntax.
[[nodiscard]] DateIndex date_index(std::string param, std::string_view fhir_text);

/// A decimal as written in FHIR JSON, with the implicit range of its significant digits
/// (decimal_range): "2.0" covers [1.95, 2.05). Throws InputError naming `param`.
[[nodiscard]] NumberIndex number_index(std::string param, std::string_view decimal_text);

/// An integer: a point.
[[nodiscard]] NumberIndex integer_index(std::string param, std::int64_t value);

/// A Quantity whose value is written as `decimal_text`, with its implicit range.
[[nodiscard]] QuantityIndex quantity_index(std::string param, std::string_view decimal_text,
                                           std::optional<std::string> system,
                                           std::optional<std::string> code,
                                           std::optional<std::string> unit);

/// A local reference "Type/id" or "Type/id/_history/v", or an absolute URL
/// (anything with "://" or starting "urn:"). Throws InputError naming `param` otherwise.
[[nodiscard]] ReferenceIndex reference_index(std::string param, std::string_view reference);

}  // namespace ptwin::store::fhir
