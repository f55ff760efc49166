// SPDX-License-Identifier: Apache-2.0
#pragma once
// One verification case: what is compared with what, how, and how closely (STYLE.md §10).
// Every verification test declares one of these next to its assertion so the V&V report
// (docs/verification.md) and the test cannot drift apart.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace ptwin::testing {

struct VerificationCase {
  std::string_view id;                // e.g. "zerod.rc.discharge"
  std::string_view source;            // paper, DOI, or "closed form" with a docs anchor
  std::string_view quantity;          // what is compared, with its time window
  std::string_view norm;              // e.g. "max relative error"
  double tolerance;                   // in the units of `norm`
  std::string_view tolerance_reason;  // why this tolerance (discretisation order, ...)
};

/// Attaches the case and the observed value to the test's XML record (ctest --output-junit),
/// so a report can list observed against allowed for every case.
inline void record_verification(const VerificationCase& verification_case, double observed) {
  ::testing::Test::RecordProperty("verification_id", std::string(verification_case.id));
  ::testing::Test::RecordProperty("verification_norm", std::string(verification_case.norm));
  ::testing::Test::RecordProperty("verification_tolerance",
                                  fmt::format("{:.6g}", verification_case.tolerance));
  ::testing::Test::RecordProperty("verification_observed", fmt::format("{:.6g}", observed));
}

}  // namespace ptwin::testing
