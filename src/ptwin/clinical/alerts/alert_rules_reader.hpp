// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reads alert rules from JSON, with quantities written as "<number> <unit>" and converted to
// SI here, at the edge:
//
//   {"alert_rules": [
//     {"name": "hypotension", "signal": "map", "direction": "below",
//      "raise_threshold": "65 mm[Hg]", "clear_threshold": "72 mm[Hg]",
//      "minimum_duration": "5 min", "snooze": "30 min", "worsening_margin": "5 mm[Hg]",
//      "escalate_after": "10 min", "max_level": 3},
//     {"name": "deterioration", "signal": "risk", "direction": "above",
//      "raise_threshold": 0.8, "clear_threshold": 0.6}]}
//
// name, signal, direction, raise_threshold and clear_threshold are required. A threshold is a
// JSON number (dimensionless, e.g. a probability) or a string with a UCUM unit; the clear
// threshold and the worsening margin must have the raise threshold's dimension. Durations are
// strings with a time unit ("90 s", "5 min", "1 h"). Defaults are those of AlertRule. Unknown
// keys are refused (a typo must not silently drop a setting). Field reference:
// docs/clinical.md#alerts.

#include <string_view>
#include <vector>

#include "ptwin/clinical/alerts/alert_rule.hpp"

namespace ptwin::clinical::alerts {

/// Parses and validates the rules. Throws InputError whose where() is
/// "<source>: alert_rules[<i>].<field>" (or "<source>" for JSON syntax), with the offending
/// value and the rule broken: BadInput (syntax, type, range, dimension, duplicate name),
/// MissingField, UnknownField, UnknownUnit, UnitMismatch.
[[nodiscard]] std::vector<AlertRule> read_alert_rules(std::string_view json_text,
                                                      std::string_view source);

}  // namespace ptwin::clinical::alerts
