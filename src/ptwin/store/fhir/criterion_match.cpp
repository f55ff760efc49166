// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/criterion_match.hpp"

#include <algorithm>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/store/fhir/range_match.hpp"
#include "ptwin/store/fhir/string_normalization.hpp"

namespace ptwin::store::fhir {
namespace {

// Each predicate below mirrors one append_* of detail/search_sql.cpp. SQL's NULL (an absent
// optional column) never equals anything, hence the has_value() checks.

[[noreturn]] void fail(const Criterion& criterion, std::string_view value, std::string_view rule) {
  throw InputError(ErrorCode::BadInput, fmt::format("search parameter '{}'", criterion.param),
                   printable_value(value), std::string(rule));
}

std::string normalized(const Criterion& criterion, std::string_view text) {
  return normalize_search_string(text, fmt::format("search parameter '{}'", criterion.param));
}

// append_starts_with(): the range [prefix, successor(prefix)) in byte order, "1 = 1" for "".
bool starts_with_range(std::string_view value, const std::string& prefix) {
  if (prefix.empty()) return true;
  const std::string successor = prefix_successor(prefix);
  return value >= std::string_view(prefix) &&
         (successor.empty() || value < std::string_view(successor));
}

bool string_row_matches(const Criterion& criterion, const StringValue& value,
                        const StringIndex& row) {
  if (criterion.modifier == Modifier::Exact) return row.value == value.text;
  const std::string stored =
      normalize_search_string(row.value, fmt::format("string index '{}'", row.param));
  const std::string searched = normalized(criterion, value.text);
  if (criterion.modifier == Modifier::Contains) {
    return stored.find(searched) != std::string::npos;  // LIKE '%text%' on lower-case text
  }
  return starts_with_range(stored, searched);
}

bool token_row_matches(const TokenValue& value, const TokenIndex& row) {
  if (value.code && row.code != value.code) return false;
  if (value.system) {
    if (value.system->empty()) return !row.system.has_value();  // `|code`: IS NULL
    if (row.system != value.system) return false;
  }
  return true;
}

bool token_text_matches(const Criterion& criterion, const StringValue& value,
                        const TokenIndex& row) {
  const std::string searched = normalized(criterion, value.text);
  if (searched.empty()) return true;  // "1 = 1", rows without text included
  if (!row.text) return false;
  return starts_with_range(normalize_search_string(*row.text, fmt::format("token '{}'", row.param)),
                           searched);
}

bool quantity_row_matches(const QuantityValue& value, const QuantityIndex& row) {
  if (!range_matches(value.number.prefix, number_match_bounds(value.number), row.low, row.high)) {
    return false;
  }
  if (value.system) {
    return row.system == value.system && row.code == value.code.value_or("");
  }
  if (value.code) return row.code == value.code || row.unit == value.code;
  return true;
}

bool reference_row_matches(const ReferenceValue& value, const ReferenceIndex& row) {
  if (value.url) {
    if (row.url != value.url) return false;
  } else {
    if (row.target_id != value.id.value_or("")) return false;
    if (value.type && row.target_type != value.type) return false;
  }
  return !value.version || row.target_version == value.version;
}

bool uri_row_matches(const Criterion& criterion, const UriValue& value, const UriIndex& row) {
  if (criterion.modifier == Modifier::Below) return starts_with_range(row.uri, value.uri);
  if (criterion.modifier == Modifier::Above) {
    return !row.uri.empty() && std::string_view(value.uri).starts_with(row.uri);
  }
  return row.uri == value.uri;
}

// Does one row of the criterion's type satisfy one of its values? `Row` is the index row type
// the criterion's parameter type is stored in.
template <typename Row>
bool row_matches(const Criterion& criterion, const SearchValue& value, const Row& row,
                 time::Instant now) {
  if constexpr (std::is_same_v<Row, StringIndex>) {
    return string_row_matches(criterion, std::get<StringValue>(value), row);
  } else if constexpr (std::is_same_v<Row, TokenIndex>) {
    if (const auto* text = std::get_if<StringValue>(&value)) {
      return token_text_matches(criterion, *text, row);
    }
    return token_row_matches(std::get<TokenValue>(value), row);
  } else if constexpr (std::is_same_v<Row, DateIndex>) {
    const auto& date = std::get<DateValue>(value);
    return range_matches(date.prefix, date_match_bounds(date, now), time::to_epoch_ns(row.low),
                         time::to_epoch_ns(row.high));
  } else if constexpr (std::is_same_v<Row, NumberIndex>) {
    const auto& number = std::get<NumberValue>(value);
    return range_matches(number.prefix, number_match_bounds(number), row.low, row.high);
  } else if constexpr (std::is_same_v<Row, QuantityIndex>) {
    return quantity_row_matches(std::get<QuantityValue>(value), row);
  } else if constexpr (std::is_same_v<Row, ReferenceIndex>) {
    return reference_row_matches(std::get<ReferenceValue>(value), row);
  } else {
    return uri_row_matches(criterion, std::get<UriValue>(value), row);
  }
}

// append_indexed(): `pk [NOT] IN (resources with a row of the parameter matching some value)`.
template <typename Row>
bool indexed_matches(const Criterion& criterion, const std::vector<Row>& rows, time::Instant now) {
  const bool is_missing_check = criterion.modifier == Modifier::Missing;
  const bool is_negated =
      criterion.modifier == Modifier::Not ||
      (is_missing_check && std::get<MissingValue>(criterion.values.front()).is_missing);
  const bool has_match = std::any_of(rows.begin(), rows.end(), [&](const Row& row) {
    if (row.param != criterion.param) return false;
    if (is_missing_check) return true;
    return std::any_of(
        criterion.values.begin(), criterion.values.end(),
        [&](const SearchValue& value) { return row_matches(criterion, value, row, now); });
  });
  return has_match != is_negated;
}

// append_resource_id(): `id [NOT] IN (codes)`.
bool id_matches(const Criterion& criterion, const ResourceFacts& facts) {
  if (facts.id.empty()) fail(criterion, "", "needs the resource's id, which is not known");
  const bool is_listed =
      std::any_of(criterion.values.begin(), criterion.values.end(), [&](const SearchValue& value) {
        return std::get<TokenValue>(value).code.value_or("") == facts.id;
      });
  return is_listed != (criterion.modifier == Modifier::Not);
}

// append_last_updated(): the instant is a point range [t, t].
bool last_updated_matches(const Criterion& criterion, const ResourceFacts& facts,
                          time::Instant now) {
  if (!facts.last_updated) {
    fail(criterion, "", "needs the resource's meta.lastUpdated, which is not known");
  }
  const std::int64_t instant_ns = time::to_epoch_ns(*facts.last_updated);
  return std::any_of(
      criterion.values.begin(), criterion.values.end(), [&](const SearchValue& value) {
        const auto& date = std::get<DateValue>(value);
        return range_matches(date.prefix, date_match_bounds(date, now), instant_ns, instant_ns);
      });
}

}  // namespace

bool needs_other_resources(const Criterion& criterion) {
  return criterion.chain.has_value() || criterion.reverse_chain.has_value();
}

bool matches(const Criterion& criterion, const IndexRows& rows, time::Instant now,
             const ResourceFacts& facts) {
  if (criterion.chain) {
    fail(criterion, criterion.chain->reference_param,
         "is chained: it tests the resources a reference points to, not this one");
  }
  if (criterion.reverse_chain) {
    fail(criterion, criterion.reverse_chain->source_type,
         "is a reverse chain (_has): it tests other resources that point to this one");
  }
  if (criterion.param == kIdParam) return id_matches(criterion, facts);
  if (criterion.param == kLastUpdatedParam) return last_updated_matches(criterion, facts, now);
  switch (criterion.type) {
    case SearchParamType::String:
      return indexed_matches(criterion, rows.strings, now);
    case SearchParamType::Token:
      return indexed_matches(criterion, rows.tokens, now);
    case SearchParamType::Date:
      return indexed_matches(criterion, rows.dates, now);
    case SearchParamType::Number:
      return indexed_matches(criterion, rows.numbers, now);
    case SearchParamType::Quantity:
      return indexed_matches(criterion, rows.quantities, now);
    case SearchParamType::Reference:
      return indexed_matches(criterion, rows.references, now);
    case SearchParamType::Uri:
      return indexed_matches(criterion, rows.uris, now);
  }
  return false;
}

bool matches_all(std::span<const Criterion> criteria, const IndexRows& rows, time::Instant now,
                 const ResourceFacts& facts) {
  return std::all_of(criteria.begin(), criteria.end(), [&](const Criterion& criterion) {
    return matches(criterion, rows, now, facts);
  });
}

}  // namespace ptwin::store::fhir
