// SPDX-License-Identifier: Apache-2.0
#pragma once
// One output variable of a simulation run, sampled at the times the solver reported.

#include <string>
#include <vector>

namespace ptwin::store {

struct ResultSeries {
  std::string variable;         // e.g. "pressure:aorta", unique within a run
  std::string unit;             // SI unit of `values`, e.g. "Pa", "m3/s"
  std::vector<double> times_s;  // simulated time of each point, non-decreasing
  std::vector<double> values;   // in `unit`, one per entry of times_s
  friend bool operator==(const ResultSeries&, const ResultSeries&) = default;
};

/// Checks what every backend relies on: non-empty variable and unit, at least one point,
/// times_s and values of equal length, every number finite, times non-decreasing. Throws
/// InputError(BadInput / MissingField) whose `where` names the variable and the index.
void validate(const ResultSeries& series);

}  // namespace ptwin::store
