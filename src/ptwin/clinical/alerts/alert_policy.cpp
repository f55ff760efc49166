// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/alerts/alert_policy.hpp"

#include <fmt/format.h>

#include <cmath>
#include <set>
#include <utility>

#include "ptwin/core/error.hpp"

namespace ptwin::clinical::alerts {
namespace {

double seconds(std::chrono::nanoseconds duration) {
  return std::chrono::duration<double>(duration).count();
}

}  // namespace

AlertPolicy::AlertPolicy(std::vector<AlertRule> rules) : rules_(std::move(rules)) {
  std::set<std::string, std::less<>> names;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    validate_alert_rule(rules_[i], i);
    if (!names.insert(rules_[i].name).second) {
      throw InputError(ErrorCode::BadInput, fmt::format("alert_rules.{}", rules_[i].name),
                       rules_[i].name, "another rule has the same name; names must be unique");
    }
  }
}

void AlertPolicy::observe(const SignalSample& sample, std::vector<AlertNotification>& out) {
  if (!std::isfinite(sample.value)) {
    throw InputError(ErrorCode::BadInput, "sample.value", fmt::format("{}", sample.value),
                     fmt::format("must be finite (patient {}, signal {})", sample.patient,
                                 sample.signal));
  }
  auto found = episodes_.find(sample.patient);
  bool is_watched = false;
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    if (rules_[r].signal != sample.signal) continue;
    is_watched = true;
    if (found == episodes_.end()) {
      found = episodes_.emplace(sample.patient, std::vector<Episode>(rules_.size())).first;
    }
    step(r, found->second[r], sample, out);
  }
  if (!is_watched) ++unwatched_samples_;
}

void AlertPolicy::step(std::size_t r, Episode& episode, const SignalSample& sample,
                       std::vector<AlertNotification>& out) {
  const AlertRule& rule = rules_[r];
  if (episode.has_sample && sample.time < episode.last_time) {
    throw InputError(ErrorCode::BadInput, "sample.time", time::format_iso8601(sample.time),
                     fmt::format("is earlier than the previous sample ({}) of patient {} under "
                                 "rule {}; feed each patient's samples in time order",
                                 time::format_iso8601(episode.last_time), sample.patient,
                                 rule.name));
  }
  episode.has_sample = true;
  episode.last_time = sample.time;
  episode.last_value = sample.value;
  switch (episode.state) {
    case AlertState::Idle: return on_idle(r, episode, sample, out);
    case AlertState::Pending: return on_pending(r, episode, sample, out);
    case AlertState::Open:
    case AlertState::Snoozed: return on_alerting(r, episode, sample, out);
  }
}

void AlertPolicy::on_idle(std::size_t r, Episode& episode, const SignalSample& sample,
                          std::vector<AlertNotification>& out) {
  const AlertRule& rule = rules_[r];
  if (!is_breach(rule, sample.value)) return;
  episode.breach_start = sample.time;
  if (rule.minimum_duration.count() == 0) {
    raise(r, episode, sample.patient, sample.time, NotificationKind::Raised,
          fmt::format("value {} reached raise threshold {}", sample.value, rule.raise_threshold),
          out);
    return;
  }
  change_state(r, episode, sample.patient, sample.time, AlertState::Pending,
               fmt::format("value {} reached raise threshold {}; waiting {} s in breach",
                           sample.value, rule.raise_threshold, seconds(rule.minimum_duration)));
}

void AlertPolicy::on_pending(std::size_t r, Episode& episode, const SignalSample& sample,
                             std::vector<AlertNotification>& out) {
  const AlertRule& rule = rules_[r];
  const auto in_breach_for = sample.time - episode.breach_start;
  if (!is_breach(rule, sample.value)) {
    change_state(r, episode, sample.patient, sample.time, AlertState::Idle,
                 fmt::format("value {} left breach after {} s, before the minimum duration",
                             sample.value, seconds(in_breach_for)));
  } else if (in_breach_for >= rule.minimum_duration) {
    raise(r, episode, sample.patient, sample.time, NotificationKind::Raised,
          fmt::format("in breach for {} s (minimum {} s), value {}", seconds(in_breach_for),
                      seconds(rule.minimum_duration), sample.value),
          out);
  }
}

void AlertPolicy::on_alerting(std::size_t r, Episode& episode, const SignalSample& sample,
                              std::vector<AlertNotification>& out) {
  const AlertRule& rule = rules_[r];
  if (is_clear(rule, sample.value)) {
    notify(r, episode, sample.patient, sample.time, NotificationKind::Cleared, out);
    change_state(r, episode, sample.patient, sample.time, AlertState::Idle,
                 fmt::format("value {} reached clear threshold {}", sample.value,
                             rule.clear_threshold));
    episode.level = 0;
    return;
  }
  if (episode.state == AlertState::Snoozed && sample.time < episode.snoozed_until &&
      is_worse(rule, sample.value, episode.acknowledged_value)) {
    raise(r, episode, sample.patient, sample.time, NotificationKind::Reraised,
          fmt::format("value {} is worse than {} at acknowledgement by at least {}",
                      sample.value, episode.acknowledged_value, *rule.worsening_margin),
          out);
    return;
  }
  advance_timers(r, episode, sample.patient, sample.time, out);
}

void AlertPolicy::advance_timers(std::size_t r, Episode& episode, std::string_view patient,
                                 time::Instant now, std::vector<AlertNotification>& out) {
  const AlertRule& rule = rules_[r];
  if (episode.state == AlertState::Snoozed && now >= episode.snoozed_until &&
      is_breach(rule, episode.last_value)) {
    raise(r, episode, patient, now, NotificationKind::Reraised,
          fmt::format("snooze ended at {} and value {} is still in breach",
                      time::format_iso8601(episode.snoozed_until), episode.last_value),
          out);
    return;
  }
  if (episode.state != AlertState::Open || !rule.escalate_after) return;
  // Escalation is due escalate_after after the current level began, however sparse the data.
  while (episode.level < rule.max_level && now - episode.level_since >= *rule.escalate_after) {
    episode.level_since += *rule.escalate_after;
    ++episode.level;
    change_state(r, episode, patient, now, AlertState::Open,
                 fmt::format("unacknowledged for {} s: escalated to level {}",
                             seconds(*rule.escalate_after), episode.level));
    notify(r, episode, patient, now, NotificationKind::Escalated, out);
  }
}

void AlertPolicy::raise(std::size_t r, Episode& episode, std::string_view patient,
                        time::Instant now, NotificationKind kind, std::string reason,
                        std::vector<AlertNotification>& out) {
  if (kind == NotificationKind::Raised) episode.alert_id = next_alert_id_++;
  episode.level = 1;
  episode.level_since = now;
  change_state(r, episode, patient, now, AlertState::Open, std::move(reason));
  notify(r, episode, patient, now, kind, out);
}

void AlertPolicy::change_state(std::size_t r, Episode& episode, std::string_view patient,
                               time::Instant now, AlertState to, std::string reason) {
  audit_.push_back(AlertAuditRecord{.time = now,
                                    .patient = std::string(patient),
                                    .rule = rules_[r].name,
                                    .from = episode.state,
                                    .to = to,
                                    .level = episode.level,
                                    .value = episode.last_value,
                                    .alert_id = episode.alert_id,
                                    .reason = std::move(reason)});
  episode.state = to;
}

void AlertPolicy::notify(std::size_t r, const Episode& episode, std::string_view patient,
                         time::Instant now, NotificationKind kind,
                         std::vector<AlertNotification>& out) const {
  out.push_back(AlertNotification{.kind = kind,
                                  .time = now,
                                  .patient = std::string(patient),
                                  .rule = rules_[r].name,
                                  .level = episode.level,
                                  .value = episode.last_value,
                                  .alert_id = episode.alert_id});
}

AcknowledgeOutcome AlertPolicy::acknowledge(std::string_view patient, std::string_view rule,
                                            time::Instant time, std::string_view who,
                                            std::optional<std::chrono::nanoseconds> snooze) {
  const std::size_t r = rule_index(rule);
  const auto duration = snooze.value_or(rules_[r].snooze);
  if (duration.count() <= 0) {
    throw InputError(ErrorCode::BadInput, "snooze", fmt::format("{} s", seconds(duration)),
                     "must be greater than 0 s");
  }
  const auto found = episodes_.find(std::string(patient));
  if (found == episodes_.end() || found->second[r].state != AlertState::Open) {
    return AcknowledgeOutcome::NoOpenAlert;
  }
  Episode& episode = found->second[r];
  episode.snoozed_until = time + duration;
  episode.acknowledged_value = episode.last_value;
  change_state(r, episode, patient, time, AlertState::Snoozed,
               fmt::format("acknowledged by {} at value {}; snoozed for {} s", who,
                           episode.last_value, seconds(duration)));
  return AcknowledgeOutcome::Acknowledged;
}

void AlertPolicy::tick(time::Instant now, std::vector<AlertNotification>& out) {
  for (auto& [patient, episodes] : episodes_) {
    for (std::size_t r = 0; r < rules_.size(); ++r) {
      Episode& episode = episodes[r];
      if (episode.state == AlertState::Open || episode.state == AlertState::Snoozed) {
        advance_timers(r, episode, patient, now, out);
      }
    }
  }
}

AlertState AlertPolicy::state(std::string_view patient, std::string_view rule) const {
  const Episode* episode = find(patient, rule);
  return episode == nullptr ? AlertState::Idle : episode->state;
}

int AlertPolicy::level(std::string_view patient, std::string_view rule) const {
  const Episode* episode = find(patient, rule);
  return episode == nullptr ? 0 : episode->level;
}

std::vector<AlertAuditRecord> AlertPolicy::take_audit_trail() {
  return std::exchange(audit_, {});
}

std::size_t AlertPolicy::rule_index(std::string_view rule) const {
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    if (rules_[r].name == rule) return r;
  }
  throw InputError(ErrorCode::NotFound, "rule", std::string(rule),
                   "no alert rule of this name in the policy");
}

const AlertPolicy::Episode* AlertPolicy::find(std::string_view patient,
                                              std::string_view rule) const {
  const std::size_t r = rule_index(rule);
  const auto found = episodes_.find(std::string(patient));
  return found == episodes_.end() ? nullptr : &found->second[r];
}

}  // namespace ptwin::clinical::alerts
