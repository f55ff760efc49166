// SPDX-License-Identifier: Apache-2.0
#pragma once
// The alerts the dashboard lists: the anti-fatigue AlertPolicy (clinical/alerts) run on each
// patient's twin risk, with the acknowledgements and snoozes clinicians make from the page.
//
// Attached to the sample stream after the HypotensionRiskStage: when a stored batch holds MAP or
// cardiac output, every patient whose twin moved on since the last look gives the policy one
// SignalSample per horizon ("hypotension_risk_5m", "hypotension_risk_15m": the probabilities of
// the twin's forecasts) at the twin's time. The policy's clock is the data's: an acknowledgement
// is given to it at the patient's latest twin time (so a replay of old data snoozes in its own
// time), while the wall-clock moment of the click is kept for display and audit.
//
// Thread-safe: feeds call on_stored on their threads, HTTP handlers read and acknowledge.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/clinical/alerts/alert_policy.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/stream/sample_stream.hpp"
#include "ptwin/twin/live/hypotension_risk_stage.hpp"

namespace ptwin::server::dashboard {

/// One alert episode (from raised to cleared) of one patient under one rule.
struct RiskAlert {
  std::uint64_t id = 0;  // the policy's alert id
  std::string patient;
  std::string rule;
  clinical::alerts::AlertState state = clinical::alerts::AlertState::Open;  // Idle once cleared
  int level = 1;
  double value = 0.0;          // the latest risk (probability); frozen at the value that cleared it
  time::Instant raised_at{};   // data time
  time::Instant changed_at{};  // data time of the latest notification or action
  std::string last_event;      // "raised", "reraised", "escalated", "cleared", "acknowledged"
  std::optional<std::string> acknowledged_by;
  std::optional<time::Instant> acknowledged_at;  // wall clock of the click
  std::optional<time::Instant> snoozed_until;    // data time
};

enum class AlertActionOutcome {
  Done,      // acknowledged and snoozed
  NotFound,  // no alert with this id
  NotOpen,   // the alert is snoozed or cleared: nothing to acknowledge
};

class RiskAlertBoard final : public ingest::stream::SampleSink {
 public:
  /// The signal names fed to the policy.
  static constexpr std::string_view kRisk5MinSignal = "hypotension_risk_5m";
  static constexpr std::string_view kRisk15MinSignal = "hypotension_risk_15m";
  /// Episodes kept; the oldest cleared ones are dropped beyond this.
  static constexpr std::size_t kMaxAlerts = 1000;

  /// `rules` (at least one) watch the signals above. Throws InputError for bad rules
  /// (AlertPolicy).
  RiskAlertBoard(const twin::live::HypotensionRiskStage& risk,
                 std::vector<clinical::alerts::AlertRule> rules, const time::Clock& clock);

  void on_stored(const ingest::stream::StoredSamples& stored) override;

  /// Every episode kept, newest first.
  [[nodiscard]] std::vector<RiskAlert> alerts() const;
  /// The episode with this id, if kept.
  [[nodiscard]] std::optional<RiskAlert> find(std::uint64_t id) const;
  /// Acknowledges an open alert and snoozes it for `snooze` (default: the rule's). Throws
  /// InputError naming "snooze" for a snooze <= 0 (AlertPolicy::acknowledge).
  [[nodiscard]] AlertActionOutcome acknowledge(
      std::uint64_t id, std::string_view who,
      std::optional<std::chrono::nanoseconds> snooze = std::nullopt);
  [[nodiscard]] const std::vector<clinical::alerts::AlertRule>& rules() const { return rules_; }

  /// The rules `ptwin serve` uses: the 15-minute risk reaching 0.5 for a minute raises, below
  /// 0.3 clears; snooze 30 min, re-alert when 0.2 worse, escalate every 10 min unacknowledged.
  [[nodiscard]] static std::vector<clinical::alerts::AlertRule> default_rules();

 private:
  void apply(const std::vector<clinical::alerts::AlertNotification>& notifications);
  void drop_oldest_cleared();
  void refresh_values(const std::vector<twin::live::PatientRisk>& patients);

  const twin::live::HypotensionRiskStage& risk_;
  std::vector<clinical::alerts::AlertRule> rules_;
  const time::Clock& clock_;
  mutable std::mutex mutex_;
  clinical::alerts::AlertPolicy policy_;
  std::map<std::string, time::Instant, std::less<>> fed_until_;  // patient -> last twin time fed
  std::map<std::uint64_t, RiskAlert> alerts_;                    // by id
};

}  // namespace ptwin::server::dashboard
