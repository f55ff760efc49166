// SPDX-License-Identifier: Apache-2.0
// The subscription outbox over time, through the facade and rest-hook delivery on SQLite and
// PostgreSQL: the retention purge of delivered events (never of undelivered ones), $events
// answering 410 Gone for purged numbers, and the delivery lease that lets one of two
// delivering processes on one database send, so that no event is sent by both.
#include <atomic>
#include <thread>

#include "subscriptions_fixture.hpp"

namespace ptwin::server::fhir::testing {
namespace {

std::string diagnostics(const Reply& reply) {
  return reply.json().at("issue").at(0).value("diagnostics", "");
}

TEST_P(SubscriptionsTest, RetentionPurgesDeliveredEventsAndEventsAnswersGoneForThem) {
  retention_ = std::chrono::hours(1);
  start_server();
  const std::string id = active_subscription();
  for (int i = 0; i < 3; ++i) (void)create(encounter("planned"));
  EXPECT_EQ(delivery_->run_once().events_delivered, 3);
  set_receiver_down(true);
  (void)create(encounter("planned"));  // event 4: not delivered
  EXPECT_EQ(delivery_->run_once().events_delivered, 0);
  clock_.advance(std::chrono::hours(2));
  const subscriptions::DeliveryRound round = delivery_->run_once();
  EXPECT_EQ(round.events_purged, 3);  // 1..3: delivered and older than an hour; 4 stays
  EXPECT_EQ(round.events_delivered, 0);

  Reply reply = get("/Subscription/" + id + "/$events?eventsSinceNumber=2&eventsUntilNumber=3");
  EXPECT_EQ(reply.status, 410) << reply.body;
  EXPECT_EQ(reply.json().at("issue").at(0).at("code"), "deleted");
  EXPECT_NE(diagnostics(reply).find("events 2 to 3 are no longer held"), std::string::npos)
      << reply.body;
  EXPECT_NE(diagnostics(reply).find("events from 4 on are held"), std::string::npos);
  reply = get("/Subscription/" + id + "/$events?eventsSinceNumber=3");
  EXPECT_EQ(reply.status, 410);
  EXPECT_NE(diagnostics(reply).find("event 3 is no longer held"), std::string::npos)
      << reply.body;
  reply = get("/Subscription/" + id + "/$events?eventsSinceNumber=4");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const nlohmann::json bundle = reply.json();
  const nlohmann::json& held = bundle["entry"][0]["resource"];
  ASSERT_EQ(held["notificationEvent"].size(), 1U);
  EXPECT_EQ(held["notificationEvent"][0]["eventNumber"], "4");
  // Without eventsSinceNumber: what is still held, no refusal.
  reply = get("/Subscription/" + id + "/$events");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json()["entry"][0]["resource"]["notificationEvent"].size(), 1U);

  // The undelivered event is delivered once the endpoint is back; numbering goes on.
  set_receiver_down(false);
  clock_.advance(std::chrono::minutes(10));  // past the retry backoff
  EXPECT_EQ(delivery_->run_once().events_delivered, 1);
  (void)create(encounter("planned"));
  EXPECT_EQ(delivery_->run_once().events_delivered, 1);
  EXPECT_EQ(acknowledged_events(), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  // The purge runs at most once per purge_interval (60 s here).
  clock_.advance(std::chrono::hours(2));
  EXPECT_EQ(delivery_->run_once().events_purged, 2);
  EXPECT_EQ(delivery_->run_once().events_purged, 0);
}

TEST_P(SubscriptionsTest, WithoutRetentionNothingIsPurged) {
  const std::string id = active_subscription();
  (void)create(encounter("planned"));
  EXPECT_EQ(delivery_->run_once().events_delivered, 1);
  clock_.advance(std::chrono::hours(24 * 365));
  EXPECT_EQ(delivery_->run_once().events_purged, 0);
  EXPECT_EQ(get("/Subscription/" + id + "/$events?eventsSinceNumber=1").status, 200);
}

TEST_P(SubscriptionsTest, TwoDeliveryWorkersOnOneDatabaseSendEachEventOnce) {
  (void)active_subscription();
  // A second process: its own connection, recorder and delivery worker on the same database.
  const auto other_store = open_second_store();
  const auto other_recorder = open_recorder(*other_store);
  auto other = std::make_unique<subscriptions::RestHookDelivery>(
      *other_store, *other_recorder, clock_,
      subscriptions::DeliverySettings{.base_url = base_,
                                      .first_retry_delay = std::chrono::seconds(1),
                                      .max_retry_delay = std::chrono::seconds(8),
                                      .failures_before_error = 3,
                                      .default_timeout = std::chrono::seconds(5),
                                      .max_notifications_per_round = 100,
                                      .websocket = nullptr,
                                      .retention = std::nullopt,
                                      .purge_interval = std::chrono::seconds(60),
                                      .lease_duration = std::chrono::seconds(30),
                                      .lease_owner = "second-process"});
  EXPECT_FALSE(other->run_once().has_lease);  // the first worker holds the lease
  // Both poll as fast as they can while events are written.
  delivery_->start(std::chrono::milliseconds(1));
  other->start(std::chrono::milliseconds(1));
  constexpr int kEvents = 30;
  for (int i = 0; i < kEvents; ++i) (void)create(encounter("planned"));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (acknowledged_events().size() < kEvents && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // a repeat would show by now
  delivery_->stop();
  other->stop();
  std::vector<std::int64_t> expected(kEvents);
  for (int i = 0; i < kEvents; ++i) expected[static_cast<std::size_t>(i)] = i + 1;
  EXPECT_EQ(acknowledged_events(), expected);  // each once, in order: no double send

  // The holder stops (its lease is released): the other takes over at its next round.
  delivery_.reset();
  (void)create(encounter("planned"));
  const subscriptions::DeliveryRound taken = other->run_once();
  EXPECT_TRUE(taken.has_lease);
  EXPECT_EQ(taken.events_delivered, 1);
  // A holder that goes silent (a crash: no release) loses the lease once it expires.
  start_server();  // a new first worker; `other` still holds the lease
  (void)create(encounter("planned"));
  EXPECT_FALSE(delivery_->run_once().has_lease);
  other.reset();  // stands in for a crash below: take the lease back without a release
  {
    const auto transaction = other_store->begin(store::fhir::TransactionMode::ReadWrite);
    EXPECT_TRUE(transaction->take_lease(subscriptions::kDeliveryLease, "crashed-process",
                                        std::chrono::seconds(30)));
    transaction->commit();
  }
  EXPECT_FALSE(delivery_->run_once().has_lease);
  clock_.advance(std::chrono::seconds(31));
  const subscriptions::DeliveryRound after_expiry = delivery_->run_once();
  EXPECT_TRUE(after_expiry.has_lease);
  EXPECT_EQ(after_expiry.events_delivered, 1);
  std::vector<std::int64_t> all = expected;
  all.push_back(kEvents + 1);
  all.push_back(kEvents + 2);
  EXPECT_EQ(acknowledged_events(), all);
}

}  // namespace
}  // namespace ptwin::server::fhir::testing
