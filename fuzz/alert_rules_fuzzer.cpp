// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the alert rules reader (JSON). ptwin::Error is the expected way to reject
// input; any other exception, or accepted rules that AlertPolicy refuses or that break a
// documented rule, is a finding.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ptwin/clinical/alerts/alert_policy.hpp"
#include "ptwin/clinical/alerts/alert_rules_reader.hpp"
#include "ptwin/core/error.hpp"

namespace {

void check_rules(const std::vector<ptwin::clinical::alerts::AlertRule>& rules) {
  for (const auto& rule : rules) {
    const bool is_valid = !rule.name.empty() && !rule.signal.empty() &&
                          std::isfinite(rule.raise_threshold) &&
                          std::isfinite(rule.clear_threshold) && rule.snooze.count() > 0 &&
                          rule.minimum_duration.count() >= 0 && rule.max_level >= 1;
    if (!is_valid) std::abort();
  }
  // The reader validates as the policy does: the policy must accept what the reader returns.
  ptwin::clinical::alerts::AlertPolicy policy(rules);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    check_rules(ptwin::clinical::alerts::read_alert_rules(text, "fuzz.json"));
  } catch (const ptwin::Error&) {
  }
  return 0;
}
