// SPDX-License-Identifier: Apache-2.0
// Math functions (FHIRPath N1 §5.7). Exact where the result is a decimal that Decimal holds
// (abs, ceiling, floor, round, truncate); through binary floating point for the transcendental
// ones, whose results are rounded to the shortest decimal that reads back as the double.
#include <cmath>
#include <cstdint>

#include "ptwin/ingest/fhir/fhirpath/detail/functions.hpp"

namespace ptwin::ingest::fhir::fhirpath::detail::functions {
namespace {

// The input as a number (Integer or Decimal), or nullopt when empty; an error otherwise.
std::optional<Item> number_input(FunctionCall& call) {
  const auto value = input_value(call);
  if (!value) return std::nullopt;
  if (!std::holds_alternative<std::int64_t>(*value) && !std::holds_alternative<Decimal>(*value)) {
    call.fail(describe(*value), "expects an Integer or a Decimal");
  }
  return value;
}

Decimal as_decimal(const Item& number) {
  if (const auto* integer = std::get_if<std::int64_t>(&number))
    return Decimal::from_integer(*integer);
  return std::get<Decimal>(number);
}

double as_double(const Item& number) { return as_decimal(number).to_double(); }

Collection from_double(double value) {
  const auto decimal = Decimal::from_double(value);  // nullopt for NaN and infinities
  if (!decimal) return {};
  return {Item{*decimal}};
}

Collection integer_result(const Decimal& whole) {
  const auto integer = whole.to_int64();
  if (!integer) return {Item{whole}};
  return {Item{*integer}};
}

std::optional<double> number_argument(FunctionCall& call, std::size_t index) {
  const auto value = call.single_argument(index);
  if (!value) return std::nullopt;
  if (!std::holds_alternative<std::int64_t>(*value) && !std::holds_alternative<Decimal>(*value)) {
    call.fail(describe(*value), "expects a number argument");
  }
  return as_double(*value);
}

}  // namespace

Collection abs(FunctionCall& call) {
  const auto value = input_value(call);
  if (!value) return {};
  if (const auto* quantity = std::get_if<Quantity>(&*value)) {
    return {Item{Quantity{quantity->value.abs(), quantity->unit}}};
  }
  const auto number = number_input(call);
  if (const auto* integer = std::get_if<std::int64_t>(&*number)) {
    if (*integer == INT64_MIN) return {};
    return {Item{*integer < 0 ? -*integer : *integer}};
  }
  return {Item{std::get<Decimal>(*number).abs()}};
}

Collection ceiling(FunctionCall& call) {
  const auto number = number_input(call);
  if (!number) return {};
  return integer_result(as_decimal(*number).ceiled(0));
}

Collection floor(FunctionCall& call) {
  const auto number = number_input(call);
  if (!number) return {};
  return integer_result(as_decimal(*number).floored(0));
}

Collection truncate(FunctionCall& call) {
  const auto number = number_input(call);
  if (!number) return {};
  return integer_result(as_decimal(*number).truncated(0));
}

Collection round(FunctionCall& call) {
  const auto number = number_input(call);
  if (!number) return {};
  std::int64_t digits = 0;
  if (call.argument_count() > 0) {
    const auto precision = integer_argument(call, 0);
    if (!precision) return {};
    if (*precision < 0 || *precision > Decimal::kMaxScale) {
      call.fail(std::to_string(*precision), "expects a precision from 0 to 28");
    }
    digits = *precision;
  }
  return {Item{as_decimal(*number).rounded(static_cast<int>(digits))}};
}

Collection exp(FunctionCall& call) {
  const auto number = number_input(call);
  if (!number) return {};
  return from_double(std::exp(as_double(*number)));
}

Collection ln(FunctionCall& call) {
  const auto number = number_input(call);
  if (!number) return {};
  return from_double(std::log(as_double(*number)));
}

Collection log(FunctionCall& call) {
  const auto number = number_input(call);
  const auto base = number_argument(call, 0);
  if (!number || !base) return {};
  return from_double(std::log(as_double(*number)) / std::log(*base));
}

Collection sqrt(FunctionCall& call) {
  const auto number = number_input(call);
  if (!number) return {};
  return from_double(std::sqrt(as_double(*number)));
}

Collection power(FunctionCall& call) {
  const auto number = number_input(call);
  const auto exponent_value = call.single_argument(0);
  if (!number || !exponent_value) return {};
  const auto* base_integer = std::get_if<std::int64_t>(&*number);
  const auto* exponent_integer = std::get_if<std::int64_t>(&*exponent_value);
  if (base_integer != nullptr && exponent_integer != nullptr && *exponent_integer >= 0) {
    const std::int64_t base = *base_integer;
    const std::int64_t exponent = *exponent_integer;
    if (base == 0 || base == 1) return {Item{exponent == 0 ? std::int64_t{1} : base}};
    if (base == -1) return {Item{std::int64_t{exponent % 2 == 0 ? 1 : -1}}};
    std::int64_t result = 1;  // |base| >= 2 overflows within 63 steps
    for (std::int64_t i = 0; i < exponent; ++i) {
      if (__builtin_mul_overflow(result, base, &result)) return {};
    }
    return {Item{result}};
  }
  const auto exponent = number_argument(call, 0);
  return from_double(std::pow(as_double(*number), *exponent));
}

}  // namespace ptwin::ingest::fhir::fhirpath::detail::functions
