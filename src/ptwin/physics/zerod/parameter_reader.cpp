// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/parameter_reader.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::physics::zerod {
namespace {

// from_chars reads "nan" and "inf", and a JSON number may overflow to inf; neither is a value.
double finite(double value, const std::string& shown, std::string_view where) {
  if (!std::isfinite(value)) {
    throw InputError(ErrorCode::BadInput, std::string(where), shown, "is not a finite number");
  }
  return value;
}

}  // namespace

double parse_quantity_si(const nlohmann::json& value, units::Dimension dimension,
                         std::string_view where) {
  if (value.is_number()) {
    if (dimension != units::kDimensionless) {
      throw InputError(ErrorCode::UnitMismatch, std::string(where), value.dump(),
                       fmt::format("has no unit; write it as \"<value> <unit>\" with a unit of "
                                   "dimension {}",
                                   units::to_string(dimension)));
    }
    return finite(value.get<double>(), value.dump(), where);
  }
  if (!value.is_string()) {
    throw InputError(ErrorCode::BadInput, std::string(where), value.dump(),
                     "is not a quantity string such as \"1.5 mm[Hg]/mL\"");
  }
  const auto text = value.get<std::string>();
  const auto space = text.find(' ');
  const std::string_view number_text = std::string_view(text).substr(0, space);
  double number = 0.0;
  const auto [end, ec] =
      std::from_chars(number_text.data(), number_text.data() + number_text.size(), number);
  if (ec != std::errc{} || end != number_text.data() + number_text.size()) {
    throw InputError(ErrorCode::BadInput, std::string(where), text,
                     "does not start with a number (expected \"<value> <unit>\")");
  }
  if (space == std::string::npos) {
    if (dimension == units::kDimensionless) return finite(number, text, where);
    throw InputError(ErrorCode::UnitMismatch, std::string(where), text,
                     fmt::format("has no unit; the field needs dimension {}",
                                 units::to_string(dimension)));
  }
  auto unit = std::string_view(text).substr(space + 1);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  return units::to_si(number, unit, dimension, where);
}

ParameterReader::ParameterReader(const nlohmann::json& parameters, std::string where)
    : parameters_(parameters), where_(std::move(where)) {
  if (!parameters_.is_object()) {
    throw InputError(ErrorCode::BadInput, where_, parameters_.dump(), "is not a JSON object");
  }
}

std::string ParameterReader::path(std::string_view key) const {
  return fmt::format("{}.{}", where_, key);
}

bool ParameterReader::has(std::string_view key) const {
  return parameters_.contains(std::string(key));
}

const nlohmann::json& ParameterReader::raw(std::string_view key) {
  if (!has(key)) throw InputError(ErrorCode::MissingField, path(key), "", "is required");
  read_.emplace(key);
  return parameters_.at(std::string(key));
}

double ParameterReader::check_bound(std::string_view key, double value, Bound bound) const {
  if (!std::isfinite(value)) {
    throw InputError(ErrorCode::BadInput, path(key), fmt::format("{}", value), "is not finite");
  }
  if (bound == Bound::NonNegative && value < 0.0) {
    throw InputError(ErrorCode::BadInput, path(key), parameters_.at(std::string(key)).dump(),
                     "must not be negative");
  }
  if (bound == Bound::Positive && value <= 0.0) {
    throw InputError(ErrorCode::BadInput, path(key), parameters_.at(std::string(key)).dump(),
                     "must be positive");
  }
  return value;
}

double ParameterReader::quantity_si(std::string_view key, units::Dimension dimension,
                                    Bound bound) {
  const auto& value = raw(key);
  return check_bound(key, parse_quantity_si(value, dimension, path(key)), bound);
}

double ParameterReader::quantity_si_or(std::string_view key, units::Dimension dimension,
                                       double fallback_si, Bound bound) {
  return has(key) ? quantity_si(key, dimension, bound) : fallback_si;
}

double ParameterReader::number(std::string_view key, Bound bound) {
  const auto& value = raw(key);
  if (!value.is_number()) {
    throw InputError(ErrorCode::BadInput, path(key), value.dump(), "is not a number");
  }
  return check_bound(key, value.get<double>(), bound);
}

double ParameterReader::number_or(std::string_view key, double fallback, Bound bound) {
  return has(key) ? number(key, bound) : fallback;
}

std::string ParameterReader::text_or(std::string_view key, std::string fallback) {
  if (!has(key)) return fallback;
  const auto& value = raw(key);
  if (!value.is_string()) {
    throw InputError(ErrorCode::BadInput, path(key), value.dump(), "is not a string");
  }
  return value.get<std::string>();
}

void ParameterReader::reject_unread() const {
  std::vector<std::string> unread;
  for (const auto& [key, value] : parameters_.items()) {
    if (!read_.contains(key)) unread.push_back(key);
  }
  if (unread.empty()) return;
  std::vector<std::string> known(read_.begin(), read_.end());
  throw InputError(ErrorCode::UnknownField, where_, fmt::format("{}", fmt::join(unread, ", ")),
                   fmt::format("unknown parameter(s); this block reads: {}",
                               fmt::format("{}", fmt::join(known, ", "))));
}

}  // namespace ptwin::physics::zerod
