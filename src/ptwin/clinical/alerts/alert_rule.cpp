// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/alerts/alert_rule.hpp"

#include <fmt/format.h>

#include <cmath>

#include "ptwin/core/error.hpp"

namespace ptwin::clinical::alerts {
namespace {

std::string field(const AlertRule& rule, std::string_view name) {
  return fmt::format("alert_rules.{}.{}", rule.name, name);
}

std::string seconds(std::chrono::nanoseconds duration) {
  return fmt::format("{} s", std::chrono::duration<double>(duration).count());
}

}  // namespace

bool is_breach(const AlertRule& rule, double value) {
  return rule.direction == AlertDirection::Above ? value >= rule.raise_threshold
                                                 : value <= rule.raise_threshold;
}

bool is_clear(const AlertRule& rule, double value) {
  return rule.direction == AlertDirection::Above ? value <= rule.clear_threshold
                                                 : value >= rule.clear_threshold;
}

bool is_worse(const AlertRule& rule, double value, double reference) {
  if (!rule.worsening_margin) return false;
  return rule.direction == AlertDirection::Above ? value >= reference + *rule.worsening_margin
                                                 : value <= reference - *rule.worsening_margin;
}

void validate_alert_rule(const AlertRule& rule, std::size_t index) {
  if (rule.name.empty()) {
    throw InputError(ErrorCode::MissingField, fmt::format("alert_rules[{}].name", index), "",
                     "give each rule a unique name, e.g. \"hypotension\"");
  }
  if (rule.signal.empty()) {
    throw InputError(ErrorCode::MissingField, field(rule, "signal"), "",
                     "name the signal the rule watches, e.g. \"map\"");
  }
  for (const auto& [name, value] :
       {std::pair{"raise_threshold", rule.raise_threshold},
        std::pair{"clear_threshold", rule.clear_threshold}}) {
    if (!std::isfinite(value)) {
      throw InputError(ErrorCode::BadInput, field(rule, name), fmt::format("{}", value),
                       "must be a finite SI value");
    }
  }
  const bool is_above = rule.direction == AlertDirection::Above;
  if (is_above ? !(rule.clear_threshold < rule.raise_threshold)
               : !(rule.clear_threshold > rule.raise_threshold)) {
    throw InputError(
        ErrorCode::BadInput, field(rule, "clear_threshold"),
        fmt::format("{}", rule.clear_threshold),
        fmt::format("must be {} raise_threshold ({}) for direction {}: the alert clears on the "
                    "safe side of the band",
                    is_above ? "below" : "above", rule.raise_threshold, to_string(rule.direction)));
  }
  if (rule.minimum_duration.count() < 0) {
    throw InputError(ErrorCode::BadInput, field(rule, "minimum_duration"),
                     seconds(rule.minimum_duration), "must be >= 0 s");
  }
  if (rule.snooze.count() <= 0) {
    throw InputError(ErrorCode::BadInput, field(rule, "snooze"), seconds(rule.snooze),
                     "must be greater than 0 s");
  }
  if (rule.worsening_margin && !(*rule.worsening_margin > 0.0 &&
                                 std::isfinite(*rule.worsening_margin))) {
    throw InputError(ErrorCode::BadInput, field(rule, "worsening_margin"),
                     fmt::format("{}", *rule.worsening_margin),
                     "must be finite and greater than 0, or absent to re-alert only after the "
                     "snooze");
  }
  if (rule.escalate_after && rule.escalate_after->count() <= 0) {
    throw InputError(ErrorCode::BadInput, field(rule, "escalate_after"),
                     seconds(*rule.escalate_after), "must be greater than 0 s, or absent");
  }
  if (rule.max_level < 1) {
    throw InputError(ErrorCode::BadInput, field(rule, "max_level"),
                     fmt::format("{}", rule.max_level), "must be at least 1");
  }
}

}  // namespace ptwin::clinical::alerts
