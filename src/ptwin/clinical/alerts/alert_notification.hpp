// SPDX-License-Identifier: Apache-2.0
#pragma once
// What an alert source tells the outside world (a pager, the dashboard, an EHR writer), the
// states of one patient's alert under one rule, and the audit record of every state change.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "ptwin/core/time.hpp"

namespace ptwin::clinical::alerts {

enum class NotificationKind {
  Raised,     // a new alert (interrupts someone)
  Reraised,   // the same alert again after a snooze: expired or worse (interrupts someone)
  Escalated,  // unacknowledged too long: one level up
  Cleared,    // the signal reached the clear threshold
};

[[nodiscard]] constexpr std::string_view to_string(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::Raised: return "raised";
    case NotificationKind::Reraised: return "reraised";
    case NotificationKind::Escalated: return "escalated";
    case NotificationKind::Cleared: return "cleared";
  }
  return "unknown";
}

/// True for the kinds that interrupt a clinician anew (counted as alerts in evaluations).
[[nodiscard]] constexpr bool is_interruption(NotificationKind kind) {
  return kind == NotificationKind::Raised || kind == NotificationKind::Reraised;
}

struct AlertNotification {
  NotificationKind kind = NotificationKind::Raised;
  time::Instant time;
  std::string patient;
  std::string rule;
  int level = 1;
  double value = 0.0;         // the signal value that caused it (SI)
  std::uint64_t alert_id = 0;  // one id per alert episode, from raise to clear
};

/// A clinician's acknowledgement of an open alert (the dashboard's acknowledge or snooze).
struct AlertAcknowledgement {
  std::uint64_t alert_id = 0;
  std::string patient;
  std::string rule;
  std::string by;                     // who, as the dashboard request says
  time::Instant at{};                 // wall clock of the click
  time::Instant snoozed_until{};      // data time
  std::chrono::nanoseconds snooze{0};  // its length
};

enum class AlertState {
  Idle,      // no alert
  Pending,   // in breach, waiting for the minimum duration
  Open,      // raised, not acknowledged
  Snoozed,   // acknowledged; quiet until the snooze ends or the value gets worse
};

[[nodiscard]] constexpr std::string_view to_string(AlertState state) {
  switch (state) {
    case AlertState::Idle: return "idle";
    case AlertState::Pending: return "pending";
    case AlertState::Open: return "open";
    case AlertState::Snoozed: return "snoozed";
  }
  return "unknown";
}

/// One state change of one patient's alert under one rule, with the reason.
struct AlertAuditRecord {
  time::Instant time;
  std::string patient;
  std::string rule;
  AlertState from = AlertState::Idle;
  AlertState to = AlertState::Idle;
  int level = 0;
  double value = 0.0;  // the last signal value (SI)
  std::uint64_t alert_id = 0;
  std::string reason;
};

}  // namespace ptwin::clinical::alerts
