// SPDX-License-Identifier: Apache-2.0
#pragma once
// A stateful alert policy designed against alert fatigue. For each patient and rule it keeps
// one alert at most (de-duplication) and moves it through
//
//   Idle --breach--> Pending --in breach for minimum_duration--> Open (level 1, Raised)
//   Pending --leaves breach--> Idle (nothing was sent)
//   Open --unacknowledged for escalate_after--> Open, level + 1 (Escalated), up to max_level
//   Open --acknowledge()--> Snoozed (until now + snooze)
//   Snoozed --snooze over and in breach | worse by worsening_margin--> Open (Reraised, level 1)
//   Open | Snoozed --clear threshold reached--> Idle (Cleared)
//
// The band between the raise and the clear threshold is the hysteresis: a value inside it
// neither raises nor clears. Time comes only from the data (sample times) and from tick(),
// never from the wall clock, so a replay gives the same alerts. Every state change is written
// to the audit trail with its reason.
//
// Not thread-safe: one policy per stream, or a lock around it.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ptwin/clinical/alerts/alert_rule.hpp"
#include "ptwin/clinical/alerts/alert_source.hpp"

namespace ptwin::clinical::alerts {

enum class AcknowledgeOutcome {
  Acknowledged,  // the open alert is now snoozed
  NoOpenAlert,   // nothing to acknowledge: no alert, pending, or already snoozed
};

class AlertPolicy final : public AlertSource {
 public:
  /// Throws InputError naming the rule and field for a bad rule (validate_alert_rule), and
  /// "alert_rules.<name>" for a duplicate name.
  explicit AlertPolicy(std::vector<AlertRule> rules);

  /// Throws InputError(BadInput) naming "sample.value" for a non-finite value and
  /// "sample.time" for a sample earlier than the previous one of the same patient and rule.
  void observe(const SignalSample& sample, std::vector<AlertNotification>& out) override;

  /// Acknowledges the open alert of `patient` under `rule` at `time`, snoozing it for
  /// `snooze` (default: the rule's). `who` is written to the audit trail.
  /// Throws InputError naming "rule" for an unknown rule, "snooze" for a snooze <= 0.
  [[nodiscard]] AcknowledgeOutcome acknowledge(
      std::string_view patient, std::string_view rule, time::Instant time,
      std::string_view who, std::optional<std::chrono::nanoseconds> snooze = std::nullopt);

  /// Advances time with no new sample: escalations that are due, and snoozes that have
  /// expired while the last value is still in breach. Appends notifications to `out`.
  void tick(time::Instant now, std::vector<AlertNotification>& out);

  /// The state of `patient` under `rule` (Idle if the patient was never seen).
  /// Throws InputError(NotFound) naming "rule" for a rule the policy does not have.
  [[nodiscard]] AlertState state(std::string_view patient, std::string_view rule) const;
  /// The current level (0 when no alert is open or snoozed). Throws as state().
  [[nodiscard]] int level(std::string_view patient, std::string_view rule) const;

  /// Every state change so far, in order.
  [[nodiscard]] const std::vector<AlertAuditRecord>& audit_trail() const { return audit_; }
  /// Moves the audit trail out (to a store), leaving it empty.
  [[nodiscard]] std::vector<AlertAuditRecord> take_audit_trail();
  /// Samples whose signal no rule watches (counted, not otherwise used).
  [[nodiscard]] std::uint64_t unwatched_samples() const { return unwatched_samples_; }

 private:
  struct Episode {
    AlertState state = AlertState::Idle;
    time::Instant breach_start{};
    time::Instant level_since{};
    time::Instant snoozed_until{};
    time::Instant last_time{};
    double last_value = 0.0;
    double acknowledged_value = 0.0;
    int level = 0;
    std::uint64_t alert_id = 0;
    bool has_sample = false;
  };

  void step(std::size_t rule_index, Episode& episode, const SignalSample& sample,
            std::vector<AlertNotification>& out);
  void on_idle(std::size_t rule_index, Episode& episode, const SignalSample& sample,
               std::vector<AlertNotification>& out);
  void on_pending(std::size_t rule_index, Episode& episode, const SignalSample& sample,
                  std::vector<AlertNotification>& out);
  void on_alerting(std::size_t rule_index, Episode& episode, const SignalSample& sample,
                   std::vector<AlertNotification>& out);
  void advance_timers(std::size_t rule_index, Episode& episode, std::string_view patient,
                      time::Instant now, std::vector<AlertNotification>& out);
  void raise(std::size_t rule_index, Episode& episode, std::string_view patient,
             time::Instant now, NotificationKind kind, std::string reason,
             std::vector<AlertNotification>& out);
  void change_state(std::size_t rule_index, Episode& episode, std::string_view patient,
                    time::Instant now, AlertState to, std::string reason);
  void notify(std::size_t rule_index, const Episode& episode, std::string_view patient,
              time::Instant now, NotificationKind kind, std::vector<AlertNotification>& out) const;
  [[nodiscard]] std::size_t rule_index(std::string_view rule) const;
  [[nodiscard]] const Episode* find(std::string_view patient, std::string_view rule) const;

  std::vector<AlertRule> rules_;
  // patient -> one episode per rule (index as in rules_).
  std::unordered_map<std::string, std::vector<Episode>> episodes_;
  std::vector<AlertAuditRecord> audit_;
  std::uint64_t next_alert_id_ = 1;
  std::uint64_t unwatched_samples_ = 0;
};

}  // namespace ptwin::clinical::alerts
