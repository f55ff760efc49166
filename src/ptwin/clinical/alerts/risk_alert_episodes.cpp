// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/alerts/risk_alert_episodes.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ptwin/core/assert.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/vital_signs_reader.hpp"

namespace ptwin::clinical::alerts {
namespace {

bool holds_twin_input(const ingest::stream::StoredSamples& stored) {
  namespace loinc = ingest::fhir::loinc;
  return std::any_of(stored.samples.begin(), stored.samples.end(), [](const Sample& s) {
    return s.code == loinc::kMeanPressure || s.code == loinc::kCardiacOutput;
  });
}

}  // namespace

RiskAlertEpisodes::RiskAlertEpisodes(const twin::live::HypotensionRiskStage& risk,
                                     std::vector<AlertRule> rules, const time::Clock& clock)
    : risk_(risk), rules_(rules), clock_(clock), policy_(std::move(rules)) {
  // The risk band of the patient list is read from the first rule's thresholds.
  PTWIN_ASSERT(!rules_.empty(), "the alert episodes need at least one rule");
}

void RiskAlertEpisodes::add_listener(AlertListener& listener) { listeners_.push_back(&listener); }

std::vector<AlertRule> RiskAlertEpisodes::rules_from(const RiskAlertSettings& s) {
  if (!(s.clear > 0.0 && s.clear < s.raise && s.raise < 1.0)) {
    throw InputError(ErrorCode::BadInput, "alerts: raise, clear",
                     fmt::format("{}, {}", s.raise, s.clear),
                     "must satisfy 0 < clear < raise < 1");
  }
  AlertRule rule;
  rule.name = "hypotension_risk_15m";
  rule.signal = std::string(kRisk15MinSignal);
  rule.direction = AlertDirection::Above;
  rule.raise_threshold = s.raise;
  rule.clear_threshold = s.clear;
  rule.minimum_duration = s.minimum_duration;
  rule.snooze = s.snooze;
  // 0 switches re-alerting on worsening, and escalation, off.
  if (s.worsening_margin > 0.0) rule.worsening_margin = s.worsening_margin;
  if (s.escalate_after.count() > 0) rule.escalate_after = s.escalate_after;
  rule.max_level = s.max_level;
  validate_alert_rule(rule, 0);
  return {rule};
}

std::vector<AlertRule> RiskAlertEpisodes::default_rules() { return rules_from({}); }

std::string RiskAlertEpisodes::describe_rule(std::string_view name) const {
  const auto rule = std::find_if(rules_.begin(), rules_.end(),
                                 [&](const AlertRule& r) { return r.name == name; });
  if (rule == rules_.end()) {
    throw InputError(ErrorCode::NotFound, "rule", std::string(name),
                     "no alert rule of this name in the twin's policy");
  }
  const bool is_above = rule->direction == AlertDirection::Above;
  const auto horizon = rule->signal == kRisk5MinSignal ? "5-min" : "15-min";
  return fmt::format("{} hypotension risk {} {:g} for {} s (clears at {} {:g})", horizon,
                     is_above ? ">=" : "<=", rule->raise_threshold,
                     std::chrono::duration_cast<std::chrono::seconds>(rule->minimum_duration)
                         .count(),
                     is_above ? "<=" : ">=", rule->clear_threshold);
}

void RiskAlertEpisodes::on_stored(const ingest::stream::StoredSamples& stored) {
  if (!holds_twin_input(stored)) return;
  const auto patients = risk_.snapshot();
  std::vector<AlertNotification> notifications;
  const std::lock_guard lock(mutex_);
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
  // Under the lock, so that every listener sees one patient's notifications in the policy's
  // order even when two feeds update that patient at once. A listener never calls back.
  if (notifications.empty()) return;
  for (auto* listener : listeners_) listener->on_alerts(notifications);
}

// An alert shows the risk now, not only the one that raised it.
void RiskAlertEpisodes::refresh_values(const std::vector<twin::live::PatientRisk>& patients) {
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

void RiskAlertEpisodes::apply(const std::vector<AlertNotification>& notifications) {
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
    alert.last_event = std::string(to_string(n.kind));
    alert.state = n.kind == NotificationKind::Cleared ? AlertState::Idle : AlertState::Open;
    if (is_interruption(n.kind)) alert.snoozed_until.reset();
  }
  drop_oldest_cleared();
}

void RiskAlertEpisodes::drop_oldest_cleared() {
  for (auto it = alerts_.begin(); alerts_.size() > kMaxAlerts && it != alerts_.end();) {
    it = it->second.state == AlertState::Idle ? alerts_.erase(it) : std::next(it);
  }
}

std::vector<RiskAlert> RiskAlertEpisodes::alerts() const {
  const std::lock_guard lock(mutex_);
  std::vector<RiskAlert> out;
  for (auto it = alerts_.rbegin(); it != alerts_.rend(); ++it) out.push_back(it->second);
  return out;
}

std::optional<RiskAlert> RiskAlertEpisodes::find(std::uint64_t id) const {
  const std::lock_guard lock(mutex_);
  const auto found = alerts_.find(id);
  if (found == alerts_.end()) return std::nullopt;
  return found->second;
}

AlertActionOutcome RiskAlertEpisodes::acknowledge(std::uint64_t id, std::string_view who,
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
      AcknowledgeOutcome::Acknowledged) {
    return AlertActionOutcome::NotOpen;
  }
  alert.state = policy_.state(alert.patient, alert.rule);
  alert.changed_at = data_time;
  alert.last_event = "acknowledged";
  alert.acknowledged_by = std::string(who);
  alert.acknowledged_at = clock_.now();
  alert.snoozed_until = data_time + duration;
  const AlertAcknowledgement acknowledgement{.alert_id = alert.id,
                                             .patient = alert.patient,
                                             .rule = alert.rule,
                                             .by = std::string(who),
                                             .at = *alert.acknowledged_at,
                                             .snoozed_until = *alert.snoozed_until,
                                             .snooze = duration};
  for (auto* listener : listeners_) listener->on_acknowledged(acknowledgement);
  return AlertActionOutcome::Done;
}

}  // namespace ptwin::clinical::alerts
