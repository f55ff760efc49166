// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/detail/subscription_outbox_sql.hpp"

#include <fmt/format.h>

#include <array>
#include <string>

#include "ptwin/core/error.hpp"
#include "ptwin/store/fhir/search_query.hpp"

namespace ptwin::store::fhir::detail {
namespace {

void require_text(std::string_view value, std::string_view field) {
  if (value.empty()) {
    throw InputError(ErrorCode::BadInput, fmt::format("subscription event: {}", field), "",
                     "must not be empty");
  }
}

}  // namespace

std::int64_t append_event(SqlSession& session, const NewSubscriptionEvent& event,
                          time::Instant recorded) {
  require_text(event.subscription_id, "subscription id");
  require_text(event.topic_url, "topic url");
  require_text(event.focus_type, "focus type");
  require_text(event.focus_id, "focus id");
  if (event.interaction != "create" && event.interaction != "update" &&
      event.interaction != "delete") {
    throw InputError(ErrorCode::BadInput, "subscription event: interaction", event.interaction,
                     "must be create, update or delete");
  }
  // The counter row is created on the first event and only ever incremented: a number handed
  // out is never handed out again, even if its event row were purged.
  const std::array<SqlValue, 1> id{std::string(event.subscription_id)};
  session.execute(
      "INSERT INTO fhir_subscription_counters (subscription_id, last_event_number, "
      "delivered_through) SELECT ?, 0, 0 WHERE NOT EXISTS (SELECT 1 FROM "
      "fhir_subscription_counters WHERE subscription_id = ?)",
      std::array<SqlValue, 2>{id[0], id[0]}, "create subscription event counter");
  session.execute(
      "UPDATE fhir_subscription_counters SET last_event_number = last_event_number + 1 "
      "WHERE subscription_id = ?",
      id, "advance subscription event counter");
  constexpr std::array kNumber{SqlType::Int64};
  const auto rows = session.query(
      "SELECT last_event_number FROM fhir_subscription_counters WHERE subscription_id = ?", id,
      kNumber, "read subscription event counter");
  const std::int64_t number = as_int64(rows.at(0).at(0));
  const std::array<SqlValue, 8> params{
      event.subscription_id, number,         event.topic_url,        event.interaction,
      event.focus_type,      event.focus_id, event.focus_version_id, time::to_epoch_ns(recorded)};
  session.execute(
      "INSERT INTO fhir_subscription_events (subscription_id, event_number, topic_url, "
      "interaction, focus_type, focus_id, focus_version_id, recorded_ns) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?)",
      params, "append subscription event");
  return number;
}

std::vector<SubscriptionEvent> select_events(SqlSession& session,
                                             const SubscriptionEventQuery& query) {
  if (query.since < 1) {
    throw InputError(ErrorCode::BadInput, "subscription events: eventsSinceNumber",
                     std::to_string(query.since), "must be 1 or more");
  }
  if (query.until < query.since) {
    throw InputError(ErrorCode::BadInput, "subscription events: eventsUntilNumber",
                     std::to_string(query.until), "must not be below eventsSinceNumber");
  }
  if (query.limit < 1 || query.limit > kMaxPageSize) {
    throw InputError(ErrorCode::BadInput, "subscription events: limit", std::to_string(query.limit),
                     fmt::format("must be 1..{}", kMaxPageSize));
  }
  const std::array<SqlValue, 4> params{query.subscription_id, query.since, query.until,
                                       query.limit};
  constexpr std::array kColumns{SqlType::Int64, SqlType::Text,  SqlType::Text, SqlType::Text,
                                SqlType::Text,  SqlType::Int64, SqlType::Int64};
  const auto rows = session.query(
      "SELECT event_number, topic_url, interaction, focus_type, focus_id, focus_version_id, "
      "recorded_ns FROM fhir_subscription_events WHERE subscription_id = ? AND event_number >= ? "
      "AND event_number <= ? ORDER BY event_number LIMIT ?",
      params, kColumns, "select subscription events");
  std::vector<SubscriptionEvent> events;
  events.reserve(rows.size());
  for (const SqlRow& row : rows) {
    events.push_back({.subscription_id = query.subscription_id,
                      .event_number = as_int64(row[0]),
                      .topic_url = as_text(row[1]),
                      .interaction = as_text(row[2]),
                      .focus_type = as_text(row[3]),
                      .focus_id = as_text(row[4]),
                      .focus_version_id = as_int64(row[5]),
                      .recorded = time::from_epoch_ns(as_int64(row[6]))});
  }
  return events;
}

SubscriptionEventCounters select_counters(SqlSession& session, std::string_view subscription_id) {
  const std::array<SqlValue, 1> id{std::string(subscription_id)};
  constexpr std::array kColumns{SqlType::Int64, SqlType::Int64, SqlType::Int64};
  const auto rows = session.query(
      "SELECT last_event_number, delivered_through, purged_through FROM "
      "fhir_subscription_counters WHERE subscription_id = ?",
      id, kColumns, "read subscription event counters");
  if (rows.empty()) return {};
  return {.last_event_number = as_int64(rows[0][0]),
          .delivered_through = as_int64(rows[0][1]),
          .purged_through = as_int64(rows[0][2])};
}

void mark_delivered(SqlSession& session, std::string_view subscription_id,
                    std::int64_t event_number) {
  const SubscriptionEventCounters counters = select_counters(session, subscription_id);
  if (event_number > counters.last_event_number || event_number < 0) {
    throw InputError(
        ErrorCode::BadInput,
        fmt::format("subscription '{}': delivered event number", subscription_id),
        std::to_string(event_number),
        fmt::format("must be 0..{} (the last event assigned)", counters.last_event_number));
  }
  if (event_number <= counters.delivered_through) return;
  const std::array<SqlValue, 2> params{event_number, std::string(subscription_id)};
  session.execute(
      "UPDATE fhir_subscription_counters SET delivered_through = ? WHERE subscription_id = ?",
      params, "mark subscription events delivered");
}

SubscriptionEventPurge purge_events(SqlSession& session, time::Instant recorded_before) {
  const std::int64_t cutoff = time::to_epoch_ns(recorded_before);
  // Per subscription, the purge may go up to the delivered mark but stops before the first
  // event recorded at or after the cutoff, so that what is purged is always a prefix of the
  // numbers and purged_through says exactly which numbers are gone.
  const std::array<SqlValue, 1> params{cutoff};
  constexpr std::array kColumns{SqlType::Text, SqlType::Int64, SqlType::Int64};
  const auto rows = session.query(
      "SELECT c.subscription_id, c.purged_through, CASE WHEN k.first_kept IS NULL OR "
      "k.first_kept > c.delivered_through THEN c.delivered_through ELSE k.first_kept - 1 END "
      "FROM fhir_subscription_counters c LEFT JOIN (SELECT subscription_id, "
      "min(event_number) AS first_kept FROM fhir_subscription_events WHERE recorded_ns >= ? "
      "GROUP BY subscription_id) k ON k.subscription_id = c.subscription_id",
      params, kColumns, "plan subscription event purge");
  SubscriptionEventPurge purge;
  constexpr std::array kCount{SqlType::Int64};
  for (const SqlRow& row : rows) {
    const std::string& id = as_text(row[0]);
    const std::int64_t through = as_int64(row[2]);
    if (through <= as_int64(row[1])) continue;
    const std::array<SqlValue, 2> range{id, through};
    const auto counted = session.query(
        "SELECT count(*) FROM fhir_subscription_events WHERE subscription_id = ? AND "
        "event_number <= ?",
        range, kCount, "count purged subscription events");
    purge.events += as_int64(counted.at(0).at(0));
    session.execute(
        "DELETE FROM fhir_subscription_events WHERE subscription_id = ? AND event_number <= ?",
        range, "purge subscription events");
    const std::array<SqlValue, 2> mark{through, id};
    session.execute(
        "UPDATE fhir_subscription_counters SET purged_through = ? WHERE subscription_id = ?",
        mark, "mark subscription events purged");
    ++purge.subscriptions;
  }
  return purge;
}

bool take_lease_row(SqlSession& session, std::string_view name, std::string_view owner,
                    time::Instant now, std::chrono::nanoseconds duration) {
  require_text(name, "lease name");
  require_text(owner, "lease owner");
  if (duration.count() <= 0) {
    throw InputError(ErrorCode::BadInput, "lease: duration", std::to_string(duration.count()),
                     "must be > 0 ns");
  }
  const std::int64_t now_ns = time::to_epoch_ns(now);
  const std::int64_t expires_ns = now_ns + duration.count();
  // The caller's write transaction excludes every other writer (SQLite BEGIN IMMEDIATE,
  // PostgreSQL the store's advisory lock), so the read and the write below cannot interleave
  // with another process taking the same lease.
  const std::array<SqlValue, 1> key{std::string(name)};
  constexpr std::array kColumns{SqlType::Text, SqlType::Int64};
  const auto rows = session.query("SELECT owner, expires_ns FROM fhir_leases WHERE name = ?",
                                  key, kColumns, "read lease");
  if (!rows.empty() && as_text(rows[0][0]) != owner && as_int64(rows[0][1]) > now_ns) {
    return false;  // held by another owner and not expired
  }
  const std::array<SqlValue, 3> params{std::string(name), std::string(owner), expires_ns};
  session.execute(
      "INSERT INTO fhir_leases (name, owner, expires_ns) VALUES (?, ?, ?) ON CONFLICT (name) "
      "DO UPDATE SET owner = excluded.owner, expires_ns = excluded.expires_ns",
      params, "take lease");
  return true;
}

void release_lease_row(SqlSession& session, std::string_view name, std::string_view owner) {
  const std::array<SqlValue, 2> params{std::string(name), std::string(owner)};
  session.execute("DELETE FROM fhir_leases WHERE name = ? AND owner = ?", params,
                  "release lease");
}

}  // namespace ptwin::store::fhir::detail
