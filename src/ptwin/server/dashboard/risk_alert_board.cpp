// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/dashboard/risk_alert_board.hpp"

#include <algorithm>

#include "ptwin/core/assert.hpp"
#include "ptwin/ingest/fhir/vital_signs_reader.hpp"

namespace ptwin::server::dashboard {
namespace {

using namespace std::chrono_literals;
using clinical::alerts::AlertNotification;
using clinical::alerts::AlertRule;
using clinical::alerts::AlertState;
using clinical::alerts::NotificationKind;

bool holds_twin_input(const ingest::stream::StoredSamples& stored) {
  namespace loinc = ingest::fhir::loinc;
  return std::any_of(stored.samples.begin(), stored.samples.end(), [](const Sample& s) {
    return s.code == loinc::kMeanPressure || s.code == loinc::kCardiacOutput;
  });
}

}  // namespace

RiskAlertBoard::RiskAlertBoard(const twin::live::HypotensionRiskStage& risk,
                               std::vector<AlertRule> rules, const time::Clock& clock)
    : risk_(risk), rules_(rules), clock_(clock), policy_(std::move(rules)) {
  // The risk band of the patient list is read from the first rule's thresholds.
  PTWIN_ASSERT(!rules_.empty(), "the alert board needs at least one rule");
}

std::vector<AlertRule> RiskAlertBoard::default_rules() {
  AlertRule rule;
  rule.name = "hypotension_risk_15m";
  rule.signal = std::string(kRisk15MinSignal);
  rule.direction = clinical::alerts::AlertDirection::Above;
  rule.raise_threshold = 0.5;
  rule.clear_threshold = 0.3;
  rule.minimum_duration = 1min;
  rule.snooze = 30min;
  rule.worsening_margin = 0.2;
  rule.escalate_after = 10min;
  rule.max_level = 3;
  return {rule};
}

void RiskAlertBoard::on_stored(const ingest::stream::StoredSamples& stored) {
  if (!holds_twin_input(stored)) return;
  const auto patients = risk_.snapshot();
  const std::lock_guard lock(mutex_);
  std::vector<AlertNotification> notifications;
  for (const auto& p : patients) {
    auto [fed, inserted] = fed_until_.try_emplace(p.patient_id, p.updated_to);
    // Feeds run concurrently: a patient seen by another feed's call already is not fed again.
    if (!inserted && p.updated_to <= fed->second) continue;
    fed->second = p.updated_to;
    for (const auto& [signal, forecast] :
         {std::pair{kRisk5MinSignal, &p.in_5_min}, std::pair{kRisk15MinSignal, &p.in_15_min}}) {
      policy_.observe({.time = p.updated_to,
                       .patient = p.patient_id,
                       .signal = std::string(signal),
                       .value = forecast->probability},
                      notifications);
    }
  }
  apply(notifications);
  refresh_values(patients);
}

// An alert shows the risk now, not only the one that raised it.
void RiskAlertBoard::refresh_values(const std::vector<twin::live::PatientRisk>& patients) {
  for (auto& [id, alert] : alerts_) {
    if (alert.state == AlertState::Idle) continue;
    const auto p = std::find_if(patients.begin(), patients.end(),
                                [&](const auto& risk) { return risk.patient_id == alert.patient; });
    const auto rule = std::find_if(rules_.begin(), rules_.end(),
                                   [&](const AlertRule& r) { return r.name == alert.rule; });
    if (p == patients.end() || rule == rules_.end()) continue;
    if (rule->signal == kRisk5MinSignal) alert.value = p->in_5_min.probability;
    if (rule->signal == kRisk15MinSignal) alert.value = p->in_15_min.probability;
  }
}

void RiskAlertBoard::apply(const std::vector<AlertNotification>& notifications) {
  for (const auto& n : notifications) {
    auto [it, inserted] = alerts_.try_emplace(n.alert_id);
    RiskAlert& alert = it->second;
    if (inserted) {
      alert.id = n.alert_id;
      alert.patient = n.patient;
      alert.rule = n.rule;
      alert.raised_at = n.time;
    }
    alert.level = n.level;
    alert.value = n.value;
    alert.changed_at = n.time;
    alert.last_event = std::string(clinical::alerts::to_string(n.kind));
    alert.state = n.kind == NotificationKind::Cleared ? AlertState::Idle : AlertState::Open;
    if (clinical::alerts::is_interruption(n.kind)) alert.snoozed_until.reset();
  }
  drop_oldest_cleared();
}

void RiskAlertBoard::drop_oldest_cleared() {
  for (auto it = alerts_.begin(); alerts_.size() > kMaxAlerts && it != alerts_.end();) {
    it = it->second.state == AlertState::Idle ? alerts_.erase(it) : std::next(it);
  }
}

std::vector<RiskAlert> RiskAlertBoard::alerts() const {
  const std::lock_guard lock(mutex_);
  std::vector<RiskAlert> out;
  for (auto it = alerts_.rbegin(); it != alerts_.rend(); ++it) out.push_back(it->second);
  return out;
}

std::optional<RiskAlert> RiskAlertBoard::find(std::uint64_t id) const {
  const std::lock_guard lock(mutex_);
  const auto found = alerts_.find(id);
  if (found == alerts_.end()) return std::nullopt;
  return found->second;
}

AlertActionOutcome RiskAlertBoard::acknowledge(std::uint64_t id, std::string_view who,
                                               std::optional<std::chrono::nanoseconds> snooze) {
  const std::lock_guard lock(mutex_);
  const auto found = alerts_.find(id);
  if (found == alerts_.end()) return AlertActionOutcome::NotFound;
  RiskAlert& alert = found->second;
  if (alert.state != AlertState::Open) return AlertActionOutcome::NotOpen;
  const auto rule = std::find_if(rules_.begin(), rules_.end(),
                                 [&](const AlertRule& r) { return r.name == alert.rule; });
  const auto duration = snooze.value_or(rule->snooze);
  // The policy's time is the data's: the patient's latest twin time.
  const auto data_time = fed_until_.at(alert.patient);
  if (policy_.acknowledge(alert.patient, alert.rule, data_time, who, duration) !=
      clinical::alerts::AcknowledgeOutcome::Acknowledged) {
    return AlertActionOutcome::NotOpen;
  }
  alert.state = policy_.state(alert.patient, alert.rule);
  alert.changed_at = data_time;
  alert.last_event = "acknowledged";
  alert.acknowledged_by = std::string(who);
  alert.acknowledged_at = clock_.now();
  alert.snoozed_until = data_time + duration;
  return AlertActionOutcome::Done;
}

}  // namespace ptwin::server::dashboard
