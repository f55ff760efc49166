// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/alerts/alert_rules_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"

namespace ptwin::clinical::alerts {
namespace {

using nlohmann::json;

constexpr std::array kKnownKeys{"name",           "signal",           "direction",
                                "raise_threshold", "clear_threshold", "minimum_duration",
                                "snooze",          "worsening_margin", "escalate_after",
                                "max_level"};

struct Quantity {
  double si = 0.0;
  units::Dimension dimension;
};

std::string shown(const json& value) { return printable_value(value.dump()); }

// "<number> <unit>" or a bare JSON number (dimensionless).
Quantity read_quantity(const json& value, const std::string& where) {
  if (value.is_number()) {
    const double number = value.get<double>();
    if (!std::isfinite(number)) {
      throw InputError(ErrorCode::BadInput, where, shown(value), "must be finite");
    }
    return {number, units::kDimensionless};
  }
  if (!value.is_string()) {
    throw InputError(ErrorCode::BadInput, where, shown(value),
                     "must be a number or a string \"<number> <unit>\", e.g. \"65 mm[Hg]\"");
  }
  const auto& text = value.get_ref<const std::string&>();
  const auto space = text.find(' ');
  double number = 0.0;
  const char* end = text.data() + (space == std::string::npos ? text.size() : space);
  const auto [stop, error] = std::from_chars(text.data(), end, number);
  if (space == std::string::npos || error != std::errc() || stop != end || space + 1 >= text.size()) {
    throw InputError(ErrorCode::BadInput, where, printable_value(text),
                     "must be \"<number> <unit>\" with one space, e.g. \"65 mm[Hg]\" or \"5 min\"");
  }
  const std::string_view unit = std::string_view(text).substr(space + 1);
  const units::ParsedUnit parsed = [&] {
    try {
      return units::parse_unit(unit);
    } catch (const InputError& failure) {
      throw InputError(ErrorCode::UnknownUnit, where, printable_value(text), failure.rule());
    }
  }();
  return {units::to_si(number, unit, parsed.dimension, where), parsed.dimension};
}

double read_in_dimension(const json& value, const std::string& where, units::Dimension expected,
                         std::string_view expected_name) {
  const Quantity quantity = read_quantity(value, where);
  if (!(quantity.dimension == expected)) {
    throw InputError(ErrorCode::UnitMismatch, where, shown(value),
                     fmt::format("must have the dimension of {} ({})", expected_name,
                                 units::to_string(expected)));
  }
  return quantity.si;
}

std::chrono::nanoseconds read_duration(const json& value, const std::string& where) {
  const double seconds = read_in_dimension(value, where, units::kTimeDim, "a time");
  // +-292 years fit in int64 nanoseconds; anything near that is a typo, not a setting.
  if (!(std::abs(seconds) < 1e9)) {
    throw InputError(ErrorCode::BadInput, where, shown(value), "must be shorter than 1e9 s");
  }
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(seconds));
}

std::string read_text(const json& rule, const char* key, const std::string& where) {
  if (!rule.contains(key)) {
    throw InputError(ErrorCode::MissingField, where, "", "is required");
  }
  const json& value = rule.at(key);
  if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
    throw InputError(ErrorCode::BadInput, where, shown(value), "must be a non-empty string");
  }
  return value.get<std::string>();
}

AlertRule read_rule(const json& entry, const std::string& prefix) {
  if (!entry.is_object()) {
    throw InputError(ErrorCode::BadInput, prefix, shown(entry), "must be an object");
  }
  for (const auto& [key, value] : entry.items()) {
    if (std::find(kKnownKeys.begin(), kKnownKeys.end(), key) == kKnownKeys.end()) {
      throw InputError(ErrorCode::UnknownField, fmt::format("{}.{}", prefix, printable_value(key)),
                       shown(value), "is not an alert rule field (see docs/clinical.md#alerts)");
    }
  }
  const auto where = [&](std::string_view field) { return fmt::format("{}.{}", prefix, field); };
  AlertRule rule;
  rule.name = read_text(entry, "name", where("name"));
  rule.signal = read_text(entry, "signal", where("signal"));
  const std::string direction = read_text(entry, "direction", where("direction"));
  if (direction != "above" && direction != "below") {
    throw InputError(ErrorCode::BadInput, where("direction"), direction,
                     "must be \"above\" or \"below\"");
  }
  rule.direction = direction == "above" ? AlertDirection::Above : AlertDirection::Below;
  for (const char* key : {"raise_threshold", "clear_threshold"}) {
    if (!entry.contains(key)) throw InputError(ErrorCode::MissingField, where(key), "", "is required");
  }
  const Quantity raise = read_quantity(entry.at("raise_threshold"), where("raise_threshold"));
  rule.raise_threshold = raise.si;
  rule.clear_threshold = read_in_dimension(entry.at("clear_threshold"), where("clear_threshold"),
                                           raise.dimension, "raise_threshold");
  if (entry.contains("worsening_margin")) {
    rule.worsening_margin = read_in_dimension(
        entry.at("worsening_margin"), where("worsening_margin"), raise.dimension,
        "raise_threshold");
  }
  if (entry.contains("minimum_duration")) {
    rule.minimum_duration = read_duration(entry.at("minimum_duration"), where("minimum_duration"));
  }
  if (entry.contains("snooze")) rule.snooze = read_duration(entry.at("snooze"), where("snooze"));
  if (entry.contains("escalate_after")) {
    rule.escalate_after = read_duration(entry.at("escalate_after"), where("escalate_after"));
  }
  if (entry.contains("max_level")) {
    const json& level = entry.at("max_level");
    if (!level.is_number_integer() || level.get<long long>() < 1 || level.get<long long>() > 100) {
      throw InputError(ErrorCode::BadInput, where("max_level"), shown(level),
                       "must be an integer from 1 to 100");
    }
    rule.max_level = level.get<int>();
  }
  return rule;
}

json parse(std::string_view text, std::string_view source) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& error) {
    throw InputError(ErrorCode::BadInput, std::string(source), fmt::format("byte {}", error.byte),
                     "is not valid JSON");
  } catch (const json::out_of_range& error) {
    throw InputError(ErrorCode::BadInput, std::string(source), error.what(),
                     "holds a number that no double can represent");
  }
}

}  // namespace

std::vector<AlertRule> read_alert_rules(std::string_view json_text, std::string_view source) {
  const json document = parse(json_text, source);
  if (!document.is_object() || !document.contains("alert_rules")) {
    throw InputError(ErrorCode::MissingField, fmt::format("{}: alert_rules", source), "",
                     "is required: {\"alert_rules\": [ ... ]}");
  }
  const json& list = document.at("alert_rules");
  if (!list.is_array()) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}: alert_rules", source), shown(list),
                     "must be an array of rules");
  }
  std::vector<AlertRule> rules;
  std::set<std::string, std::less<>> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string prefix = fmt::format("{}: alert_rules[{}]", source, i);
    AlertRule rule = read_rule(list.at(i), prefix);
    try {
      validate_alert_rule(rule, i);
    } catch (const InputError& error) {
      // Same check as AlertPolicy's; here the message points into the file.
      // The value as written in the file ("60 mm[Hg]"), not in SI.
      const std::string field = error.where().substr(error.where().rfind('.') + 1);
      const json& entry = list.at(i);
      throw InputError(error.code(), fmt::format("{}.{}", prefix, field),
                       entry.contains(field) ? shown(entry.at(field)) : error.value(),
                       error.rule());
    }
    if (!names.insert(rule.name).second) {
      throw InputError(ErrorCode::BadInput, prefix + ".name", rule.name,
                       "another rule has the same name; names must be unique");
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

}  // namespace ptwin::clinical::alerts
