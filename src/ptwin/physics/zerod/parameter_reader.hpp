// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reads a block's parameters from its JSON object, with units, bounds and a report of every key
// that no one asked for (usually a typo). Quantities are written as "<number> <UCUM unit>",
// e.g. "1.2 mm[Hg].s/mL"; dimensionless values may be plain numbers.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/core/units.hpp"

namespace ptwin::physics::zerod {

enum class Bound { Any, NonNegative, Positive };

class ParameterReader {
 public:
  /// `where` names the object in errors, e.g. "closed_loop.json: blocks[3] (aorta).parameters".
  ParameterReader(const nlohmann::json& parameters, std::string where);

  /// A required quantity; throws InputError(MissingField | UnitMismatch | BadInput) naming the key.
  [[nodiscard]] double quantity_si(std::string_view key, units::Dimension dimension,
                                   Bound bound = Bound::NonNegative);
  /// An optional quantity; `fallback_si` when absent (documented defaults only, e.g. L = 0).
  [[nodiscard]] double quantity_si_or(std::string_view key, units::Dimension dimension,
                                      double fallback_si, Bound bound = Bound::NonNegative);
  [[nodiscard]] double number(std::string_view key, Bound bound = Bound::Any);
  [[nodiscard]] double number_or(std::string_view key, double fallback, Bound bound = Bound::Any);
  [[nodiscard]] std::string text_or(std::string_view key, std::string fallback);
  [[nodiscard]] bool has(std::string_view key) const;
  /// The raw JSON of a key (for structured values like time functions); marks it as read.
  [[nodiscard]] const nlohmann::json& raw(std::string_view key);
  [[nodiscard]] std::string path(std::string_view key) const;

  /// Throws InputError(UnknownField) listing every key that was never read.
  void reject_unread() const;

 private:
  double check_bound(std::string_view key, double value, Bound bound) const;
  const nlohmann::json& parameters_;
  std::string where_;
  std::set<std::string, std::less<>> read_;
};

/// Parses "<number> <unit>" into SI for `dimension`; `where` names the field in errors.
[[nodiscard]] double parse_quantity_si(const nlohmann::json& value, units::Dimension dimension,
                                       std::string_view where);

}  // namespace ptwin::physics::zerod
