// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/detail/search_sql.hpp"

#include <fmt/format.h>

#include "ptwin/store/fhir/range_match.hpp"
#include "ptwin/store/fhir/string_normalization.hpp"

namespace ptwin::store::fhir::detail {
namespace {

std::string_view index_table(SearchParamType type) {
  switch (type) {
    case SearchParamType::String:
      return "fhir_string_index";
    case SearchParamType::Token:
      return "fhir_token_index";
    case SearchParamType::Date:
      return "fhir_date_index";
    case SearchParamType::Number:
      return "fhir_number_index";
    case SearchParamType::Quantity:
      return "fhir_quantity_index";
    case SearchParamType::Reference:
      return "fhir_reference_index";
    case SearchParamType::Uri:
      return "fhir_uri_index";
  }
  return "fhir_token_index";
}

// One condition per prefix, exactly the comparisons of range_matches() (range_match.hpp).
template <typename T>
void append_range(SqlBuilder& sql, Prefix prefix, const MatchBounds<T>& b, std::string_view low,
                  std::string_view high) {
  switch (prefix) {
    case Prefix::Eq:
      sql << "(" << low << " >= ";
      sql.bind(b.low) << " AND " << high << " <= ";
      sql.bind(b.high) << ")";
      return;
    case Prefix::Ne:
      sql << "(" << low << " < ";
      sql.bind(b.low) << " OR " << high << " > ";
      sql.bind(b.high) << ")";
      return;
    case Prefix::Gt:
      sql << high << " > ";
      sql.bind(b.order_high);
      return;
    case Prefix::Lt:
      sql << low << " < ";
      sql.bind(b.order_low);
      return;
    case Prefix::Ge:
      sql << high << " >= ";
      sql.bind(b.order_low);
      return;
    case Prefix::Le:
      sql << low << " <= ";
      sql.bind(b.order_high);
      return;
    case Prefix::Sa:
      sql << low << " > ";
      sql.bind(b.order_high);
      return;
    case Prefix::Eb:
      sql << high << " < ";
      sql.bind(b.order_low);
      return;
    case Prefix::Ap:
      sql << "(" << low << " <= ";
      sql.bind(b.approx_high) << " AND " << high << " >= ";
      sql.bind(b.approx_low) << ")";
      return;
  }
}

// `column` starts with `prefix` (both normalised UTF-8): a range an ordinary index can serve.
void append_starts_with(SqlBuilder& sql, std::string_view column, const std::string& prefix) {
  if (prefix.empty()) {
    sql << "1 = 1";
    return;
  }
  const std::string successor = prefix_successor(prefix);
  sql << "(" << column << " >= ";
  sql.bind(prefix);
  if (!successor.empty()) {
    sql << " AND " << column << " < ";
    sql.bind(successor);
  }
  sql << ")";
}

std::string like_pattern_containing(std::string_view text) {
  std::string pattern = "%";
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

std::string normalized(const Criterion& criterion, const std::string& text) {
  return normalize_search_string(text, fmt::format("search parameter '{}'", criterion.param));
}

void append_string(SqlBuilder& sql, const Criterion& criterion, const StringValue& value,
                   std::string_view i) {
  const std::string column = fmt::format("{}.value_normalized", i);
  if (criterion.modifier == Modifier::Exact) {
    sql << i << ".value_exact = ";
    sql.bind(value.text);
  } else if (criterion.modifier == Modifier::Contains) {
    sql << column << " LIKE ";
    sql.bind(like_pattern_containing(normalized(criterion, value.text))) << " ESCAPE '\\'";
  } else {
    append_starts_with(sql, column, normalized(criterion, value.text));
  }
}

void append_token(SqlBuilder& sql, const TokenValue& value, std::string_view i) {
  sql << "(";
  if (value.code) {
    sql << i << ".code = ";
    sql.bind(*value.code);
  }
  if (value.system) {
    if (value.code) sql << " AND ";
    if (value.system->empty()) {
      sql << i << ".system IS NULL";
    } else {
      sql << i << ".system = ";
      sql.bind(*value.system);
    }
  }
  sql << ")";
}

void append_quantity(SqlBuilder& sql, const QuantityValue& value, std::string_view i) {
  sql << "(";
  append_range(sql, value.number.prefix, number_match_bounds(value.number),
               fmt::format("{}.low", i), fmt::format("{}.high", i));
  if (value.system) {
    sql << " AND " << i << ".system = ";
    sql.bind(*value.system) << " AND " << i << ".code = ";
    sql.bind(value.code.value_or(""));
  } else if (value.code) {
    sql << " AND (" << i << ".code = ";
    sql.bind(*value.code) << " OR " << i << ".unit = ";
    sql.bind(*value.code) << ")";
  }
  sql << ")";
}

void append_reference(SqlBuilder& sql, const ReferenceValue& value, std::string_view i) {
  sql << "(";
  if (value.url) {
    sql << i << ".url = ";
    sql.bind(*value.url);
  } else {
    sql << i << ".target_id = ";
    sql.bind(value.id.value_or(""));
    if (value.type) {
      sql << " AND " << i << ".target_type = ";
      sql.bind(*value.type);
    }
  }
  if (value.version) {
    sql << " AND " << i << ".target_version = ";
    sql.bind(*value.version);
  }
  sql << ")";
}

void append_uri(SqlBuilder& sql, const Criterion& criterion, const UriValue& value,
                std::string_view i) {
  const std::string column = fmt::format("{}.uri", i);
  if (criterion.modifier == Modifier::Below) {
    append_starts_with(sql, column, value.uri);
  } else if (criterion.modifier == Modifier::Above) {
    sql << "(length(" << column << ") > 0 AND substr(";
    sql.bind(value.uri) << ", 1, length(" << column << ")) = " << column << ")";
  } else {
    sql << column << " = ";
    sql.bind(value.uri);
  }
}

void append_value(SqlBuilder& sql, const Criterion& criterion, const SearchValue& value,
                  std::string_view i, time::Instant now) {
  if (const auto* text = std::get_if<StringValue>(&value)) {
    if (criterion.type == SearchParamType::Token) {  // :text
      append_starts_with(sql, fmt::format("{}.text_normalized", i),
                         normalized(criterion, text->text));
    } else {
      append_string(sql, criterion, *text, i);
    }
  } else if (const auto* token = std::get_if<TokenValue>(&value)) {
    append_token(sql, *token, i);
  } else if (const auto* date = std::get_if<DateValue>(&value)) {
    append_range(sql, date->prefix, date_match_bounds(*date, now), fmt::format("{}.low_ns", i),
                 fmt::format("{}.high_ns", i));
  } else if (const auto* number = std::get_if<NumberValue>(&value)) {
    append_range(sql, number->prefix, number_match_bounds(*number), fmt::format("{}.low", i),
                 fmt::format("{}.high", i));
  } else if (const auto* quantity = std::get_if<QuantityValue>(&value)) {
    append_quantity(sql, *quantity, i);
  } else if (const auto* reference = std::get_if<ReferenceValue>(&value)) {
    append_reference(sql, *reference, i);
  } else if (const auto* uri = std::get_if<UriValue>(&value)) {
    append_uri(sql, criterion, *uri, i);
  }
}

void append_resource_id(SqlBuilder& sql, const Criterion& criterion, const ResourceScope& scope) {
  sql << scope.alias << ".id " << (criterion.modifier == Modifier::Not ? "NOT IN (" : "IN (");
  for (std::size_t v = 0; v < criterion.values.size(); ++v) {
    if (v > 0) sql << ", ";
    sql.bind(std::get<TokenValue>(criterion.values[v]).code.value_or(""));
  }
  sql << ")";
}

void append_last_updated(SqlBuilder& sql, const Criterion& criterion, const ResourceScope& scope,
                         time::Instant now) {
  const std::string column = fmt::format("{}.last_updated_ns", scope.alias);
  sql << "(";
  for (std::size_t v = 0; v < criterion.values.size(); ++v) {
    if (v > 0) sql << " OR ";
    const auto& date = std::get<DateValue>(criterion.values[v]);
    append_range(sql, date.prefix, date_match_bounds(date, now), column, column);
  }
  sql << ")";
}

// `<alias>.pk [NOT] IN (SELECT the resources with a matching index row)`.
void append_indexed(SqlBuilder& sql, const Criterion& criterion, const ResourceScope& scope,
                    time::Instant now) {
  const bool is_missing_check = criterion.modifier == Modifier::Missing;
  const bool is_negated =
      criterion.modifier == Modifier::Not ||
      (is_missing_check && std::get<MissingValue>(criterion.values.front()).is_missing);
  const std::string i = sql.alias("i");
  if (scope.probes_index) {
    // resource_pk identifies the resource, so its type need not be checked again.
    sql << (is_negated ? "NOT EXISTS" : "EXISTS") << " (SELECT 1 FROM " << index_table(criterion.type)
        << " " << i << " WHERE " << i << ".resource_pk = " << scope.alias << ".pk AND ";
  } else {
    sql << scope.alias << ".pk " << (is_negated ? "NOT IN" : "IN") << " (SELECT " << i
        << ".resource_pk FROM " << index_table(criterion.type) << " " << i << " WHERE ";
    if (scope.resource_type) {
      sql << i << ".resource_type = ";
      sql.bind(*scope.resource_type) << " AND ";
    }
  }
  sql << i << ".param = ";
  sql.bind(criterion.param);
  if (!is_missing_check) {
    sql << " AND (";
    for (std::size_t v = 0; v < criterion.values.size(); ++v) {
      if (v > 0) sql << " OR ";
      append_value(sql, criterion, criterion.values[v], i, now);
    }
    sql << ")";
  }
  sql << ")";
}

void append_direct(SqlBuilder& sql, const Criterion& criterion, const ResourceScope& scope,
                   time::Instant now) {
  if (criterion.param == kIdParam) {
    append_resource_id(sql, criterion, scope);
  } else if (criterion.param == kLastUpdatedParam) {
    append_last_updated(sql, criterion, scope, now);
  } else {
    append_indexed(sql, criterion, scope, now);
  }
}

// reference_param[:Type].param=value: the resources whose reference points to a live
// resource matching the criterion.
void append_chained(SqlBuilder& sql, const Criterion& criterion, const ResourceScope& scope,
                    time::Instant now) {
  const Chain& chain = *criterion.chain;
  const std::string ref = sql.alias("ref");
  const ResourceScope target{.alias = sql.alias("t"), .resource_type = chain.target_type};
  sql << scope.alias << ".pk IN (SELECT " << ref << ".resource_pk FROM fhir_reference_index " << ref
      << " JOIN fhir_resources " << target.alias << " ON " << target.alias
      << ".resource_type = " << ref << ".target_type AND " << target.alias << ".id = " << ref
      << ".target_id WHERE ";
  if (scope.resource_type) {
    sql << ref << ".resource_type = ";
    sql.bind(*scope.resource_type) << " AND ";
  }
  sql << ref << ".param = ";
  sql.bind(chain.reference_param);
  if (chain.target_type) {
    sql << " AND " << ref << ".target_type = ";
    sql.bind(*chain.target_type);
  }
  sql << " AND " << target.alias << ".is_deleted = 0 AND ";
  append_direct(sql, criterion, target, now);
  sql << ")";
}

// _has:Source:reference_param:param=value: the resources that a live Source matching the
// criterion points to through reference_param.
void append_reverse_chained(SqlBuilder& sql, const Criterion& criterion, const ResourceScope& scope,
                            time::Instant now) {
  const ReverseChain& chain = *criterion.reverse_chain;
  const std::string ref = sql.alias("ref");
  const std::string target = sql.alias("t");
  const ResourceScope source{.alias = sql.alias("s"), .resource_type = chain.source_type};
  sql << scope.alias << ".pk IN (SELECT " << target << ".pk FROM fhir_reference_index " << ref
      << " JOIN fhir_resources " << target << " ON " << target << ".resource_type = " << ref
      << ".target_type AND " << target << ".id = " << ref << ".target_id JOIN fhir_resources "
      << source.alias << " ON " << source.alias << ".pk = " << ref << ".resource_pk WHERE " << ref
      << ".resource_type = ";
  sql.bind(chain.source_type) << " AND " << ref << ".param = ";
  sql.bind(chain.reference_param);
  if (scope.resource_type) {
    sql << " AND " << ref << ".target_type = ";
    sql.bind(*scope.resource_type);
  }
  sql << " AND " << source.alias << ".is_deleted = 0 AND ";
  append_direct(sql, criterion, source, now);
  sql << ")";
}

// The sort value of one resource for `key`: the first of its values in the requested order.
void append_sort_value(SqlBuilder& sql, const SortKey& key, std::string_view alias) {
  if (key.param == kIdParam) {
    sql << alias << ".id";
    return;
  }
  if (key.param == kLastUpdatedParam) {
    sql << alias << ".last_updated_ns";
    return;
  }
  const std::string_view aggregate = key.is_descending ? "max" : "min";
  std::string column;
  switch (key.type) {
    case SearchParamType::String:
      column = "s.value_normalized";
      break;
    case SearchParamType::Token:
      column = "s.code";
      break;
    case SearchParamType::Date:
      column = key.is_descending ? "s.high_ns" : "s.low_ns";
      break;
    case SearchParamType::Number:
    case SearchParamType::Quantity:
      column = "s.value";
      break;
    case SearchParamType::Reference:
      column = "coalesce(s.url, s.target_type || '/' || s.target_id)";
      break;
    case SearchParamType::Uri:
      column = "s.uri";
      break;
  }
  sql << "(SELECT " << aggregate << "(" << column << ") FROM " << index_table(key.type)
      << " s WHERE s.resource_pk = " << alias << ".pk AND s.param = ";
  sql.bind(key.param) << ")";
}

}  // namespace

void append_criterion(SqlBuilder& sql, const Criterion& criterion, const ResourceScope& scope,
                      time::Instant now) {
  if (criterion.chain) {
    append_chained(sql, criterion, scope, now);
  } else if (criterion.reverse_chain) {
    append_reverse_chained(sql, criterion, scope, now);
  } else {
    append_direct(sql, criterion, scope, now);
  }
}

void append_order_by(SqlBuilder& sql, std::span<const SortKey> keys, std::string_view alias) {
  sql << " ORDER BY ";
  for (const SortKey& key : keys) {
    append_sort_value(sql, key, alias);
    sql << (key.is_descending ? " DESC NULLS LAST, " : " ASC NULLS LAST, ");
  }
  sql << alias << ".pk ASC";
}

}  // namespace ptwin::store::fhir::detail
