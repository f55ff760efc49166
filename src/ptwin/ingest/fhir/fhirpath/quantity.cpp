// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/fhirpath/quantity.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "ptwin/ingest/fhir/fhirpath/ucum.hpp"

namespace ptwin::ingest::fhir::fhirpath {
namespace {

// Both values in the base units of a shared dimension, or nullopt.
struct CommonValues {
  Decimal a;
  Decimal b;
};

std::optional<CommonValues> in_common_units(const Quantity& a, const Quantity& b) {
  if (a.unit == b.unit) return CommonValues{a.value, b.value};
  const auto unit_a = ucum::canonical(a.unit);
  const auto unit_b = ucum::canonical(b.unit);
  if (!unit_a || !unit_b || unit_a->exponents != unit_b->exponents) return std::nullopt;
  const auto value_a = a.value.multiply(unit_a->factor);
  const auto value_b = b.value.multiply(unit_b->factor);
  if (!value_a || !value_b) return std::nullopt;
  return CommonValues{*value_a, *value_b};
}

// The UCUM code for a unit used in a product or quotient: keywords of a week and below become
// their definite UCUM units; years and months have none.
std::optional<std::string> ucum_code(const std::string& unit) {
  const auto keyword = ucum::calendar_keyword(unit);
  if (!keyword) return unit;
  switch (*keyword) {
    case CalendarUnit::Year:
    case CalendarUnit::Month:
      return std::nullopt;
    case CalendarUnit::Week:
      return "wk";
    case CalendarUnit::Day:
      return "d";
    case CalendarUnit::Hour:
      return "h";
    case CalendarUnit::Minute:
      return "min";
    case CalendarUnit::Second:
      return "s";
    case CalendarUnit::Millisecond:
      return "ms";
  }
  return std::nullopt;
}

std::string as_factor(const std::string& unit) {
  const bool is_compound = unit.find_first_of("./") != std::string::npos;
  return is_compound ? fmt::format("({})", unit) : unit;
}

}  // namespace

std::string Quantity::to_string() const {
  if (ucum::calendar_keyword(unit)) return fmt::format("{} {}", value.to_string(), unit);
  return fmt::format("{} '{}'", value.to_string(), unit);
}

bool comparable(const Quantity& a, const Quantity& b) { return in_common_units(a, b).has_value(); }

std::optional<int> compare(const Quantity& a, const Quantity& b) {
  const auto values = in_common_units(a, b);
  if (!values) return std::nullopt;
  return values->a.compare(values->b);
}

std::optional<bool> equal(const Quantity& a, const Quantity& b) {
  const auto order = compare(a, b);
  if (!order) return std::nullopt;
  return *order == 0;
}

bool equivalent(const Quantity& a, const Quantity& b) {
  // Precision is judged in the unit of `a`, trailing zeros ignored (FHIRPath N1 §"Equivalent").
  const auto right = convert(b, a.unit);
  if (!right) return false;
  const int digits = std::min(a.value.normalized().scale(), right->value.normalized().scale());
  return a.value.rounded(digits).compare(right->value.rounded(digits)) == 0;
}

std::optional<Quantity> convert(const Quantity& value, std::string_view unit) {
  if (value.unit == unit) return value;
  const auto from = ucum::canonical(value.unit);
  const auto to = ucum::canonical(unit);
  if (!from || !to || from->exponents != to->exponents) return std::nullopt;
  const auto base = value.value.multiply(from->factor);
  if (!base) return std::nullopt;
  const auto converted = base->divide(to->factor);
  if (!converted) return std::nullopt;
  return Quantity{*converted, std::string(unit)};
}

std::optional<Quantity> add(const Quantity& a, const Quantity& b) {
  const auto right = convert(b, a.unit);
  if (!right) return std::nullopt;
  const auto sum = a.value.add(right->value);
  if (!sum) return std::nullopt;
  return Quantity{*sum, a.unit};
}

std::optional<Quantity> subtract(const Quantity& a, const Quantity& b) {
  return add(a, Quantity{b.value.negated(), b.unit});
}

std::optional<Quantity> multiply(const Quantity& a, const Quantity& b) {
  const auto unit_a = ucum_code(a.unit);
  const auto unit_b = ucum_code(b.unit);
  const auto product = a.value.multiply(b.value);
  if (!unit_a || !unit_b || !product) return std::nullopt;
  if (*unit_a == "1") return Quantity{*product, *unit_b};
  if (*unit_b == "1") return Quantity{*product, *unit_a};
  return Quantity{*product, fmt::format("{}.{}", as_factor(*unit_a), as_factor(*unit_b))};
}

std::optional<Quantity> divide(const Quantity& a, const Quantity& b) {
  const auto unit_a = ucum_code(a.unit);
  const auto unit_b = ucum_code(b.unit);
  const auto quotient = a.value.divide(b.value);
  if (!unit_a || !unit_b || !quotient) return std::nullopt;
  if (*unit_a == *unit_b) return Quantity{*quotient, "1"};
  if (*unit_b == "1") return Quantity{*quotient, *unit_a};
  const std::string numerator = *unit_a == "1" ? "" : as_factor(*unit_a);
  return Quantity{*quotient, fmt::format("{}/{}", numerator, as_factor(*unit_b))};
}

}  // namespace ptwin::ingest::fhir::fhirpath
