// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/index_rows.hpp"

#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/store/fhir/date_range.hpp"
#include "ptwin/store/fhir/decimal_range.hpp"
#include "ptwin/store/fhir/search_values.hpp"

namespace ptwin::store::fhir {
namespace {

class RowChecker {
 public:
  RowChecker(std::string_view where, std::string_view kind) : where_(where), kind_(kind) {}

  void param(std::size_t index, const std::string& name) const {
    if (name.empty()) fail(index, name, "has an empty parameter name");
  }
  [[noreturn]] void fail(std::size_t index, std::string_view param, const std::string& rule) const {
    throw InputError(ErrorCode::BadInput,
                     fmt::format("{}: {} index row {} ('{}')", where_, kind_, index, param), "",
                     rule);
  }
  void number(std::size_t index, const std::string& name, double value, double low,
              double high) const {
    if (!std::isfinite(value) || !std::isfinite(low) || !std::isfinite(high)) {
      fail(index, name, "has a value or bound that is not finite");
    }
    if (!(low <= value && value <= high)) fail(index, name, "needs low <= value <= high");
  }

 private:
  std::string_view where_;
  std::string_view kind_;
};

void validate_references(const std::vector<ReferenceIndex>& rows, std::string_view where) {
  const RowChecker check(where, "reference");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ReferenceIndex& row = rows[i];
    check.param(i, row.param);
    const bool is_local = row.target_type && row.target_id;
    if (is_local == row.url.has_value()) {
      check.fail(i, row.param, "needs either target type and id, or an absolute url");
    }
    if (is_local && (!is_resource_type_name(*row.target_type) || !is_resource_id(*row.target_id))) {
      check.fail(i, row.param, "has a target type or id that breaks FHIR's syntax");
    }
    if (!is_local && (row.target_type || row.target_id || row.url->empty())) {
      check.fail(i, row.param, "mixes a url with a local target, or has an empty url");
    }
  }
}

}  // namespace

void validate(const IndexRows& rows, std::string_view where) {
  const RowChecker strings(where, "string");
  for (std::size_t i = 0; i < rows.strings.size(); ++i) strings.param(i, rows.strings[i].param);
  const RowChecker tokens(where, "token");
  for (std::size_t i = 0; i < rows.tokens.size(); ++i) {
    tokens.param(i, rows.tokens[i].param);
    if (!rows.tokens[i].code && !rows.tokens[i].text) {
      tokens.fail(i, rows.tokens[i].param, "has neither a code nor a text");
    }
  }
  const RowChecker dates(where, "date");
  for (std::size_t i = 0; i < rows.dates.size(); ++i) {
    dates.param(i, rows.dates[i].param);
    if (rows.dates[i].low > rows.dates[i].high)
      dates.fail(i, rows.dates[i].param, "has low > high");
  }
  const RowChecker numbers(where, "number");
  for (std::size_t i = 0; i < rows.numbers.size(); ++i) {
    const NumberIndex& row = rows.numbers[i];
    numbers.param(i, row.param);
    numbers.number(i, row.param, row.value, row.low, row.high);
  }
  const RowChecker quantities(where, "quantity");
  for (std::size_t i = 0; i < rows.quantities.size(); ++i) {
    const QuantityIndex& row = rows.quantities[i];
    quantities.param(i, row.param);
    quantities.number(i, row.param, row.value, row.low, row.high);
  }
  validate_references(rows.references, where);
  const RowChecker uris(where, "uri");
  for (std::size_t i = 0; i < rows.uris.size(); ++i) uris.param(i, rows.uris[i].param);
}

DateIndex date_index(std::string param, std::string_view fhir_text) {
  const InstantRange range = fhir_date_range(fhir_text, fmt::format("date index '{}'", param));
  return DateIndex{.param = std::move(param), .low = range.low, .high = range.high};
}

NumberIndex number_index(std::string param, std::string_view decimal_text) {
  const DecimalRange range = decimal_range(decimal_text, fmt::format("number index '{}'", param));
  return NumberIndex{
      .param = std::move(param), .value = range.value, .low = range.low, .high = range.high};
}

NumberIndex integer_index(std::string param, std::int64_t value) {
  const auto point = static_cast<double>(value);
  return NumberIndex{.param = std::move(param), .value = point, .low = point, .high = point};
}

QuantityIndex quantity_index(std::string param, std::string_view decimal_text,
                             std::optional<std::string> system, std::optional<std::string> code,
                             std::optional<std::string> unit) {
  const DecimalRange range = decimal_range(decimal_text, fmt::format("quantity index '{}'", param));
  return QuantityIndex{.param = std::move(param),
                       .value = range.value,
                       .low = range.low,
                       .high = range.high,
                       .system = std::move(system),
                       .code = std::move(code),
                       .unit = std::move(unit)};
}

ReferenceIndex reference_index(std::string param, std::string_view reference) {
  const ReferenceValue value =
      parse_reference_value(reference, fmt::format("reference index '{}'", param));
  if (!value.url && !value.type) {
    throw InputError(ErrorCode::BadInput, fmt::format("reference index '{}'", param),
                     printable_value(reference), "needs Type/id or an absolute URL");
  }
  return ReferenceIndex{.param = std::move(param),
                        .target_type = value.type,
                        .target_id = value.url ? std::nullopt : value.id,
                        .target_version = value.version,
                        .url = value.url};
}

}  // namespace ptwin::store::fhir
