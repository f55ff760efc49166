// SPDX-License-Identifier: Apache-2.0
#pragma once
// The one alert policy of a running twin (docs/clinical.md#one-policy): the anti-fatigue
// AlertPolicy run on each patient's twin risk, the episodes it raised, and the acknowledgements
// and snoozes clinicians make. The dashboard lists and acknowledges these episodes
// (server/dashboard), and the FHIR output stage writes each of their notifications as the
// episode's DetectedIssue (clinical/fhir/twin_output_stage.hpp): one configuration, one state
// per patient, so an alert on the dashboard is the DetectedIssue in the EHR, and a snooze given
// on the page holds back the re-raise in both.
//
// Attached to the sample stream after the HypotensionRiskStage and before the output stage:
// when a stored batch holds MAP or cardiac output, every patient whose twin moved on since the
// last look gives the policy one SignalSample per horizon ("hypotension_risk_5m",
// "hypotension_risk_15m": the probabilities of the twin's forecasts) at the twin's time. The
// notifications are then handed to each listener, on the feed's thread. The policy's clock is
// the data's: an acknowledgement is given to it at the patient's latest twin time (so a replay of
// old data snoozes in its own time), while the wall-clock moment of the click is kept for display
// and audit.
//
// Thread-safe: feeds call on_stored on their threads, HTTP handlers read and acknowledge.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/clinical/alerts/alert_policy.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/stream/sample_stream.hpp"
#include "ptwin/twin/live/hypotension_risk_stage.hpp"

namespace ptwin::clinical::alerts {

/// One alert episode (from raised to cleared) of one patient under one rule.
struct RiskAlert {
  std::uint64_t id = 0;  // the policy's alert id
  std::string patient;
  std::string rule;
  AlertState state = AlertState::Open;  // Idle once cleared
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

/// Told of the policy's notifications, in order, on the feed's thread that produced them and
/// under the episodes' lock: must be quick and must not call back into the episodes.
class AlertListener {
 public:
  AlertListener() = default;
  AlertListener(const AlertListener&) = delete;
  AlertListener& operator=(const AlertListener&) = delete;
  virtual ~AlertListener() = default;
  virtual void on_alerts(std::span<const AlertNotification> notifications) = 0;
  /// An open alert was acknowledged (on the caller's thread, e.g. an HTTP handler's, under the
  /// episodes' lock: the same rules). Default: ignored.
  virtual void on_acknowledged(const AlertAcknowledgement& acknowledgement) {
    (void)acknowledgement;
  }
};

/// The alert configuration of a twin (twin.yaml serve.alerts, docs/serve.md#alerts): one rule on
/// the 15-minute risk.
struct RiskAlertSettings {
  double raise = 0.5;  // probability that raises
  double clear = 0.3;  // probability that clears (the band between is the hysteresis)
  std::chrono::seconds minimum_duration{60};
  std::chrono::seconds snooze{1800};
  double worsening_margin = 0.2;  // re-alert during a snooze when this much worse; 0: never
  std::chrono::seconds escalate_after{600};  // one level up when unacknowledged; 0: never
  int max_level = 3;
};

class RiskAlertEpisodes final : public ingest::stream::SampleSink {
 public:
  /// The signal names fed to the policy.
  static constexpr std::string_view kRisk5MinSignal = "hypotension_risk_5m";
  static constexpr std::string_view kRisk15MinSignal = "hypotension_risk_15m";
  /// Episodes kept; the oldest cleared ones are dropped beyond this.
  static constexpr std::size_t kMaxAlerts = 1000;

  /// `rules` (at least one) watch the signals above. Throws InputError for bad rules
  /// (AlertPolicy).
  RiskAlertEpisodes(const twin::live::HypotensionRiskStage& risk, std::vector<AlertRule> rules,
                    const time::Clock& clock);

  /// Adds a listener; attach every listener before the first batch. `listener` must outlive
  /// this object's use.
  void add_listener(AlertListener& listener);

  void on_stored(const ingest::stream::StoredSamples& stored) override;

  /// Every episode kept, newest first.
  [[nodiscard]] std::vector<RiskAlert> alerts() const;
  /// The episode with this id, if kept.
  [[nodiscard]] std::optional<RiskAlert> find(std::uint64_t id) const;
  /// Acknowledges an open alert and snoozes it for `snooze` (default: the rule's), and tells
  /// the listeners (on_acknowledged). Throws
  /// InputError naming "snooze" for a snooze <= 0 (AlertPolicy::acknowledge).
  [[nodiscard]] AlertActionOutcome acknowledge(
      std::uint64_t id, std::string_view who,
      std::optional<std::chrono::nanoseconds> snooze = std::nullopt);
  [[nodiscard]] const std::vector<AlertRule>& rules() const { return rules_; }
  /// The rule named `name` in words, e.g. "15-min hypotension risk >= 0.5 for 60 s (clears at
  /// <= 0.3)"; throws InputError(NotFound) naming "rule" for an unknown one.
  [[nodiscard]] std::string describe_rule(std::string_view name) const;

  /// The rule built from `settings`; throws InputError naming the field for values outside
  /// 0 < clear < raise < 1, negative durations or a max_level below 1.
  [[nodiscard]] static std::vector<AlertRule> rules_from(const RiskAlertSettings& settings);
  /// rules_from({}): the 15-minute risk reaching 0.5 for a minute raises, below 0.3 clears;
  /// snooze 30 min, re-alert when 0.2 worse, escalate every 10 min unacknowledged.
  [[nodiscard]] static std::vector<AlertRule> default_rules();

 private:
  void apply(const std::vector<AlertNotification>& notifications);
  void drop_oldest_cleared();
  void refresh_values(const std::vector<twin::live::PatientRisk>& patients);

  const twin::live::HypotensionRiskStage& risk_;
  std::vector<AlertRule> rules_;
  const time::Clock& clock_;
  std::vector<AlertListener*> listeners_;  // fixed before the first batch
  mutable std::mutex mutex_;
  AlertPolicy policy_;
  std::map<std::string, time::Instant, std::less<>> fed_until_;  // patient -> last twin time fed
  std::map<std::uint64_t, RiskAlert> alerts_;                    // by id
};

}  // namespace ptwin::clinical::alerts
