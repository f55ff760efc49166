// SPDX-License-Identifier: Apache-2.0
// Conversion functions (FHIRPath N1 §5.5): toX() returns the converted value or an empty
// collection, convertsToX() says whether toX() would return one.
#include <algorithm>
#include <array>
#include <cctype>

#include "ptwin/ingest/fhir/fhirpath/detail/functions.hpp"
#include "ptwin/ingest/fhir/fhirpath/ucum.hpp"

namespace ptwin::ingest::fhir::fhirpath::detail::functions {
namespace {

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool is_integer_text(const std::string& text) {
  std::size_t start = (!text.empty() && (text.front() == '+' || text.front() == '-')) ? 1 : 0;
  return text.size() > start &&
         std::all_of(text.begin() + static_cast<std::ptrdiff_t>(start), text.end(),
                     [](unsigned char c) { return std::isdigit(c) != 0; });
}

std::optional<Item> as_boolean_value(const Item& value) {
  if (std::holds_alternative<bool>(value)) return value;
  if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    if (*integer == 0 || *integer == 1) return Item{*integer == 1};
  }
  if (const auto* decimal = std::get_if<Decimal>(&value)) {
    if (decimal->compare(Decimal::from_integer(0)) == 0) return Item{false};
    if (decimal->compare(Decimal::from_integer(1)) == 0) return Item{true};
  }
  if (const auto* text = std::get_if<std::string>(&value)) {
    static constexpr std::array<std::string_view, 6> kTrue{"true", "t", "yes", "y", "1", "1.0"};
    static constexpr std::array<std::string_view, 6> kFalse{"false", "f", "no", "n", "0", "0.0"};
    const std::string lower = lowercase(*text);
    if (std::find(kTrue.begin(), kTrue.end(), lower) != kTrue.end()) return Item{true};
    if (std::find(kFalse.begin(), kFalse.end(), lower) != kFalse.end()) return Item{false};
  }
  return std::nullopt;
}

std::optional<Item> as_integer_value(const Item& value) {
  if (std::holds_alternative<std::int64_t>(value)) return value;
  if (const auto* boolean = std::get_if<bool>(&value)) return Item{std::int64_t{*boolean ? 1 : 0}};
  if (const auto* text = std::get_if<std::string>(&value)) {
    if (!is_integer_text(*text)) return std::nullopt;
    const auto parsed = Decimal::parse(*text);
    if (const auto integer = parsed ? parsed->to_int64() : std::nullopt) return Item{*integer};
  }
  return std::nullopt;
}

std::optional<Item> as_decimal_value(const Item& value) {
  if (std::holds_alternative<Decimal>(value)) return value;
  if (const auto* integer = std::get_if<std::int64_t>(&value))
    return Item{Decimal::from_integer(*integer)};
  if (const auto* boolean = std::get_if<bool>(&value)) {
    return Item{*Decimal::parse(*boolean ? "1.0" : "0.0")};
  }
  if (const auto* text = std::get_if<std::string>(&value)) {
    if (const auto parsed = Decimal::parse(*text)) return Item{*parsed};
  }
  return std::nullopt;
}

std::optional<Item> as_string_value(const Item& value) {
  if (std::holds_alternative<std::string>(value)) return value;
  if (const auto* boolean = std::get_if<bool>(&value))
    return Item{std::string(*boolean ? "true" : "false")};
  if (const auto* integer = std::get_if<std::int64_t>(&value))
    return Item{std::to_string(*integer)};
  if (const auto* decimal = std::get_if<Decimal>(&value)) return Item{decimal->to_string()};
  if (const auto* temporal = std::get_if<Temporal>(&value)) return Item{temporal->to_string()};
  if (const auto* quantity = std::get_if<Quantity>(&value)) return Item{quantity->to_string()};
  return std::nullopt;
}

std::optional<Item> as_date_value(const Item& value) {
  std::optional<Temporal> date;
  if (const auto* temporal = std::get_if<Temporal>(&value)) {
    if (temporal->kind != TemporalKind::Time) date = *temporal;
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    date = Temporal::parse_date(*text);
    if (!date) date = Temporal::parse_date_time(*text);
  }
  if (!date) return std::nullopt;
  date->kind = TemporalKind::Date;
  date->precision = std::min(date->precision, TemporalPrecision::Day);
  date->hour = date->minute = date->second = date->millisecond = 0;
  date->offset_minutes.reset();
  return Item{*date};
}

std::optional<Item> as_date_time_value(const Item& value) {
  std::optional<Temporal> date_time;
  if (const auto* temporal = std::get_if<Temporal>(&value)) {
    if (temporal->kind != TemporalKind::Time) date_time = *temporal;
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    date_time = Temporal::parse_date_time(*text);
  }
  if (!date_time) return std::nullopt;
  date_time->kind = TemporalKind::DateTime;
  return Item{*date_time};
}

std::optional<Item> as_time_value(const Item& value) {
  if (const auto* temporal = std::get_if<Temporal>(&value)) {
    if (temporal->kind == TemporalKind::Time) return value;
    return std::nullopt;
  }
  if (const auto* text = std::get_if<std::string>(&value)) {
    if (const auto time = Temporal::parse_time(*text)) return Item{*time};
  }
  return std::nullopt;
}

// "<number> [<'ucum unit'> | <calendar keyword>]" (FHIRPath N1 §"toQuantity").
std::optional<Quantity> quantity_from_text(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return std::nullopt;
  const auto number_end = text.find_first_of(" \t'", first);
  const auto number = Decimal::parse(text.substr(first, number_end - first));
  if (!number) return std::nullopt;
  if (number_end == std::string::npos) return Quantity{*number, "1"};
  const auto unit_start = text.find_first_not_of(" \t", number_end);
  if (unit_start == std::string::npos) return Quantity{*number, "1"};
  const auto unit_end = text.find_last_not_of(" \t");
  std::string unit = text.substr(unit_start, unit_end - unit_start + 1);
  if (unit.size() >= 2 && unit.front() == '\'' && unit.back() == '\'') {
    unit = unit.substr(1, unit.size() - 2);
    if (unit.empty() || unit.find('\'') != std::string::npos) return std::nullopt;
    return Quantity{*number, unit};
  }
  if (ucum::calendar_keyword(unit)) return Quantity{*number, unit};
  return std::nullopt;
}

std::optional<Item> as_quantity_value(const Item& value) {
  if (std::holds_alternative<Quantity>(value)) return value;
  if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    return Item{Quantity{Decimal::from_integer(*integer), "1"}};
  }
  if (const auto* decimal = std::get_if<Decimal>(&value)) return Item{Quantity{*decimal, "1"}};
  if (const auto* boolean = std::get_if<bool>(&value)) {
    return Item{Quantity{*Decimal::parse(*boolean ? "1.0" : "0.0"), "1"}};
  }
  if (const auto* text = std::get_if<std::string>(&value)) {
    if (const auto quantity = quantity_from_text(*text)) return Item{*quantity};
  }
  return std::nullopt;
}

using Conversion = std::optional<Item> (*)(const Item&);

Collection convert(FunctionCall& call, Conversion conversion) {
  const auto value = input_value(call);
  if (!value) return {};
  const auto converted = conversion(*value);
  if (!converted) return {};
  return {*converted};
}

Collection converts(FunctionCall& call, Conversion conversion) {
  const auto value = input_value(call);
  if (!value) return {};
  return {Item{conversion(*value).has_value()}};
}

// toQuantity(unit): the quantity converted to `unit`, empty when the units do not convert.
std::optional<Item> quantity_in_unit(FunctionCall& call) {
  const auto value = input_value(call);
  if (!value) return std::nullopt;
  const auto quantity = as_quantity_value(*value);
  if (!quantity || call.argument_count() == 0) return quantity;
  const auto unit = string_argument(call, 0);
  if (!unit) return std::nullopt;
  const auto converted = fhirpath::convert(std::get<Quantity>(*quantity), *unit);
  if (!converted) return std::nullopt;
  return Item{*converted};
}

}  // namespace

Collection iif(FunctionCall& call) {
  const Collection& focus = call.input();
  if (focus.size() > 1) call.fail(describe(focus), "expects at most one item as its focus");
  const Collection criterion = call.argument_with_focus(0, focus);
  bool is_true = false;
  if (!criterion.empty()) {
    if (criterion.size() > 1) call.fail(describe(criterion), "expects a single Boolean criterion");
    const auto value = operand_value(criterion.front());
    const auto* boolean = value ? std::get_if<bool>(&*value) : nullptr;
    if (boolean == nullptr) call.fail(describe(criterion), "expects a Boolean criterion");
    is_true = *boolean;
  }
  if (is_true) return call.argument_with_focus(1, focus);
  if (call.argument_count() > 2) return call.argument_with_focus(2, focus);
  return {};
}

Collection to_boolean(FunctionCall& call) { return convert(call, &as_boolean_value); }
Collection converts_to_boolean(FunctionCall& call) { return converts(call, &as_boolean_value); }
Collection to_integer(FunctionCall& call) { return convert(call, &as_integer_value); }
Collection converts_to_integer(FunctionCall& call) { return converts(call, &as_integer_value); }
Collection to_decimal(FunctionCall& call) { return convert(call, &as_decimal_value); }
Collection converts_to_decimal(FunctionCall& call) { return converts(call, &as_decimal_value); }
Collection to_string(FunctionCall& call) { return convert(call, &as_string_value); }
Collection converts_to_string(FunctionCall& call) { return converts(call, &as_string_value); }
Collection to_date(FunctionCall& call) { return convert(call, &as_date_value); }
Collection converts_to_date(FunctionCall& call) { return converts(call, &as_date_value); }
Collection to_date_time(FunctionCall& call) { return convert(call, &as_date_time_value); }
Collection converts_to_date_time(FunctionCall& call) { return converts(call, &as_date_time_value); }
Collection to_time(FunctionCall& call) { return convert(call, &as_time_value); }
Collection converts_to_time(FunctionCall& call) { return converts(call, &as_time_value); }

Collection to_quantity(FunctionCall& call) {
  const auto quantity = quantity_in_unit(call);
  if (!quantity) return {};
  return {*quantity};
}

Collection converts_to_quantity(FunctionCall& call) {
  if (call.input().empty()) return {};
  return {Item{quantity_in_unit(call).has_value()}};
}

}  // namespace ptwin::ingest::fhir::fhirpath::detail::functions
