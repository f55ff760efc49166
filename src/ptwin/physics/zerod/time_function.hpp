// SPDX-License-Identifier: Apache-2.0
#pragma once
// Prescribed signals f(t) for boundary conditions: constant, a (periodic) table with linear or
// periodic cubic-spline interpolation, or a Fourier series
//   f(t) = a0 + sum_k [ a_k cos(k w t) + b_k sin(k w t) ],  w = 2 pi / T.
// Values are SI; the JSON form carries its unit.

#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/core/units.hpp"

namespace ptwin::physics::zerod {

class TimeFunction {
 public:
  enum class Kind { Constant, LinearTable, SplineTable, Fourier };

  static TimeFunction constant(double value_si);
  /// Table of (t, f) points, times strictly increasing. With `is_periodic`, the period is
  /// t_last - t_first, f(t_last) must equal f(t_first), and t is wrapped into the table.
  static TimeFunction table(std::vector<double> times_s, std::vector<double> values_si,
                            bool is_periodic, bool is_spline, std::string_view where);
  static TimeFunction fourier(double period_s, double mean_si, std::vector<double> cosine_si,
                              std::vector<double> sine_si);

  /// Reads a JSON description (see docs/physics.md#time-functions); `where` names the field.
  static TimeFunction from_json(const nlohmann::json& json, units::Dimension dimension,
                                std::string_view where);

  [[nodiscard]] double value(double t_s) const;
  [[nodiscard]] double derivative(double t_s) const;
  /// Time average: over one period for periodic signals, over the table span otherwise
  /// (exact for every kind: a0 of a Fourier series, the integral of the interpolant of a table).
  [[nodiscard]] double mean() const;
  /// The period of a periodic signal, if it has one.
  [[nodiscard]] std::optional<double> period_s() const;
  [[nodiscard]] Kind kind() const { return kind_; }

 private:
  [[nodiscard]] double wrap(double t_s) const;
  [[nodiscard]] std::size_t interval(double t_s) const;
  Kind kind_ = Kind::Constant;
  bool is_periodic_ = false;
  double constant_ = 0.0;
  std::vector<double> times_s_;
  std::vector<double> values_;
  std::vector<double> second_derivatives_;  // spline moments
  double period_s_ = 0.0;
  std::vector<double> cosine_;
  std::vector<double> sine_;
};

}  // namespace ptwin::physics::zerod
