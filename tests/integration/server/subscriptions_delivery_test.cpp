// SPDX-License-Identifier: Apache-2.0
// Topic-based subscriptions through the FHIR facade, end to end over loopback HTTP: events
// recorded with the change that caused them, handshake, rest-hook notifications with the
// Subscription's headers and batching, heartbeats, retries with backoff, the error status and
// recovery without loss, a restart resuming from the acknowledged mark, and $status/$events.
#include <algorithm>
#include <atomic>
#include <future>
#include <numeric>
#include <thread>

#include "subscriptions_fixture.hpp"

namespace ptwin::server::fhir::testing {
namespace {

std::vector<std::int64_t> one_to(std::int64_t last) {
  std::vector<std::int64_t> numbers(static_cast<std::size_t>(last));
  std::iota(numbers.begin(), numbers.end(), 1);
  return numbers;
}

TEST_P(SubscriptionsTest, HandshakeActivatesAndNotificationsCarryEventsInOrder) {
  const std::string id = active_subscription("id-only", 2);
  ASSERT_EQ(deliveries().size(), 1U);
  EXPECT_EQ(deliveries()[0].type(), "handshake");
  EXPECT_EQ(deliveries()[0].status()["status"], "requested");

  std::vector<std::string> encounters;
  for (int i = 0; i < 3; ++i) encounters.push_back(create(encounter("planned")));
  const subscriptions::DeliveryRound round = delivery_->run_once();
  EXPECT_EQ(round.notifications, 2);  // maxCount 2: events 1-2, then 3
  EXPECT_EQ(round.events_delivered, 3);
  const std::vector<Delivery> sent = deliveries();
  ASSERT_EQ(sent.size(), 3U);
  EXPECT_EQ(sent[1].event_numbers(), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(sent[2].event_numbers(), (std::vector<std::int64_t>{3}));
  const Delivery& first = sent[1];
  EXPECT_EQ(first.bundle["type"], "subscription-notification");
  EXPECT_EQ(first.status()["type"], "event-notification");
  EXPECT_EQ(first.status()["eventsSinceSubscriptionStart"], "2");
  EXPECT_EQ(first.status()["subscription"]["reference"], base_ + "/Subscription/" + id);
  EXPECT_EQ(first.status()["topic"], kEncounterTopic);
  EXPECT_EQ(first.headers.at("Authorization"), "Bearer test-token");
  // id-only: the focus and an entry with its fullUrl and the interaction, no resource.
  const std::string focus = base_ + "/Encounter/" + encounters[0];
  EXPECT_EQ(first.status()["notificationEvent"][0]["focus"]["reference"], focus);
  ASSERT_EQ(first.bundle["entry"].size(), 3U);
  EXPECT_EQ(first.bundle["entry"][1]["fullUrl"], focus);
  EXPECT_EQ(first.bundle["entry"][1]["request"]["method"], "POST");
  EXPECT_FALSE(first.bundle["entry"][1].contains("resource"));
  // Nothing is sent twice once acknowledged.
  EXPECT_EQ(delivery_->run_once().notifications, 0);
  EXPECT_EQ(acknowledged_events(), one_to(3));
}

TEST_P(SubscriptionsTest, FullResourceCarriesTheVersionThatTriggeredTheEvent) {
  (void)active_subscription("full-resource");
  const std::string encounter_id = create(encounter("planned"));
  nlohmann::json updated = encounter("in-progress");
  updated["id"] = encounter_id;
  ASSERT_EQ(put("/Encounter/" + encounter_id, updated).status, 200);
  ASSERT_EQ(http("DELETE", base_ + "/Encounter/" + encounter_id).status, 200);
  (void)delivery_->run_once();
  const std::vector<Delivery> sent = deliveries();
  ASSERT_EQ(sent.size(), 4U);  // handshake + three single-event notifications
  EXPECT_EQ(sent[1].bundle["entry"][1]["resource"]["status"], "planned");
  EXPECT_EQ(sent[2].bundle["entry"][1]["resource"]["status"], "in-progress");
  EXPECT_EQ(sent[2].bundle["entry"][1]["request"]["method"], "PUT");
  EXPECT_EQ(sent[3].bundle["entry"][1]["request"]["method"], "DELETE");
  EXPECT_FALSE(sent[3].bundle["entry"][1].contains("resource"));
}

TEST_P(SubscriptionsTest, FilterByLimitsEventsToTheSubscriptionsPatient) {
  (void)create(topic());
  nlohmann::json only_p2 = subscription();
  only_p2["filterBy"] = {{{"filterParameter", "patient"}, {"value", "Patient/p2"}}};
  const std::string id = create(only_p2);
  (void)delivery_->run_once();
  (void)create(encounter("planned", "p1"));
  (void)create(encounter("planned", "p2"));
  const nlohmann::json status = get("/Subscription/" + id + "/$status").json();
  EXPECT_EQ(status["entry"][0]["resource"]["eventsSinceSubscriptionStart"], "1");
}

TEST_P(SubscriptionsTest, EventsAreCommittedWithTheirChangeOrNotAtAll) {
  const std::string id = active_subscription();
  (void)create(encounter("planned"));
  // A transaction whose second entry is invalid rolls back, its Encounter event with it.
  const nlohmann::json bundle{
      {"resourceType", "Bundle"},
      {"type", "transaction"},
      {"entry",
       {{{"resource", encounter("planned")},
         {"request", {{"method", "POST"}, {"url", "Encounter"}}}},
        {{"resource", {{"resourceType", "Encounter"}, {"status", "not-a-status"}}},
         {"request", {{"method", "POST"}, {"url", "Encounter"}}}}}}};
  EXPECT_NE(post("", bundle).status, 200);
  (void)create(encounter("completed"));
  const nlohmann::json events = get("/Subscription/" + id + "/$events").json();
  // Two committed changes: numbers 1 and 2, none skipped and none reused.
  EXPECT_EQ(events["entry"][0]["resource"]["eventsSinceSubscriptionStart"], "2");
  ASSERT_EQ(events["entry"][0]["resource"]["notificationEvent"].size(), 2U);
  EXPECT_EQ(events["entry"][0]["resource"]["notificationEvent"][1]["eventNumber"], "2");
}

TEST_P(SubscriptionsTest, AFailingEndpointGoesToErrorKeepsEventsAndRecoversWithoutLoss) {
  const std::string id = active_subscription();
  set_receiver_down(true);
  for (int i = 0; i < 3; ++i) (void)create(encounter("planned"));
  // Failures 1, 2, 3 at t, t+1 s, t+3 s (backoff 1 s, 2 s, then 4 s).
  EXPECT_EQ(delivery_->run_once().failures, 1);
  EXPECT_EQ(delivery_->run_once().failures, 0);  // not due yet: nothing is sent
  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(delivery_->run_once().failures, 1);
  EXPECT_EQ(subscription_status(id), "active");
  clock_.advance(std::chrono::seconds(2));
  const subscriptions::DeliveryRound third = delivery_->run_once();
  EXPECT_EQ(third.failures, 1);
  EXPECT_EQ(third.status_changes, 1);
  EXPECT_EQ(subscription_status(id), "error");
  EXPECT_EQ(delivery_->state(id)->consecutive_failures, 3);
  // While in error the subscription keeps collecting events.
  for (int i = 0; i < 2; ++i) (void)create(encounter("planned"));
  const nlohmann::json status = get("/Subscription/" + id + "/$status").json();
  EXPECT_EQ(status["entry"][0]["resource"]["status"], "error");
  EXPECT_EQ(status["entry"][0]["resource"]["eventsSinceSubscriptionStart"], "5");
  // The backoff is capped (8 s) and retried for as long as it takes.
  clock_.advance(std::chrono::seconds(4));
  EXPECT_EQ(delivery_->run_once().failures, 1);
  clock_.advance(std::chrono::seconds(8));
  EXPECT_EQ(delivery_->run_once().failures, 1);
  set_receiver_down(false);
  clock_.advance(std::chrono::seconds(8));
  const subscriptions::DeliveryRound recovered = delivery_->run_once();
  EXPECT_EQ(recovered.events_delivered, 5);
  EXPECT_EQ(recovered.status_changes, 1);
  EXPECT_EQ(subscription_status(id), "active");
  // Every event exactly once, in order, among the acknowledged notifications.
  EXPECT_EQ(acknowledged_events(), one_to(5));
}

TEST_P(SubscriptionsTest, AHeartbeatFollowsAQuietPeriod) {
  const std::string id = active_subscription();
  (void)create(encounter("planned"));
  (void)delivery_->run_once();
  clock_.advance(std::chrono::seconds(59));
  EXPECT_EQ(delivery_->run_once().heartbeats, 0);
  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(delivery_->run_once().heartbeats, 1);
  const Delivery heartbeat = deliveries().back();
  EXPECT_EQ(heartbeat.type(), "heartbeat");
  EXPECT_EQ(heartbeat.status()["eventsSinceSubscriptionStart"], "1");
  EXPECT_FALSE(heartbeat.status().contains("notificationEvent"));
}

TEST_P(SubscriptionsTest, ARestartResumesFromTheAcknowledgedMark) {
  const std::string id = active_subscription();
  (void)create(encounter("planned"));
  (void)delivery_->run_once();
  (void)create(encounter("planned"));
  (void)create(encounter("planned"));
  start_server();  // a new process over the same database: registry from the store
  EXPECT_EQ(recorder_->registry().subscription_count(), 1U);
  EXPECT_EQ(delivery_->run_once().events_delivered, 2);
  (void)create(encounter("planned"));
  EXPECT_EQ(delivery_->run_once().events_delivered, 1);
  EXPECT_EQ(acknowledged_events(), one_to(4));
}

TEST_P(SubscriptionsTest, EventsOperationReturnsStoredEventsByRangeAndContent) {
  const std::string id = active_subscription();
  std::vector<std::string> encounters;
  for (int i = 0; i < 4; ++i) encounters.push_back(create(encounter("planned")));
  const Reply reply = get("/Subscription/" + id +
                          "/$events?eventsSinceNumber=2&eventsUntilNumber=3&content=full-resource");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const nlohmann::json bundle = reply.json();
  EXPECT_EQ(bundle["type"], "subscription-notification");
  const nlohmann::json& status = bundle["entry"][0]["resource"];
  EXPECT_EQ(status["type"], "query-event");
  EXPECT_EQ(status["eventsSinceSubscriptionStart"], "4");
  ASSERT_EQ(status["notificationEvent"].size(), 2U);
  EXPECT_EQ(status["notificationEvent"][0]["eventNumber"], "2");
  ASSERT_EQ(bundle["entry"].size(), 3U);
  EXPECT_EQ(bundle["entry"][1]["resource"]["id"], encounters[1]);
  EXPECT_EQ(bundle["entry"][2]["resource"]["id"], encounters[2]);

  const nlohmann::json empty = get("/Subscription/" + id + "/$events?content=empty").json();
  EXPECT_EQ(empty["entry"].size(), 1U);
  EXPECT_EQ(empty["entry"][0]["resource"]["notificationEvent"].size(), 4U);
  EXPECT_EQ(get("/Subscription/" + id + "/$events?eventsSinceNumber=0").status, 400);
  EXPECT_EQ(get("/Subscription/" + id + "/$events?eventsSinceNumber=3&eventsUntilNumber=2").status,
            400);
  EXPECT_EQ(get("/Subscription/" + id + "/$events?content=everything").status, 400);
  EXPECT_EQ(get("/Subscription/" + id + "/$events?since=1").status, 400);
  EXPECT_EQ(get("/Subscription/unknown/$events").status, 404);
  EXPECT_EQ(get("/Subscription/" + id + "/$purge").status, 404);

  const nlohmann::json status_bundle = get("/Subscription/" + id + "/$status").json();
  EXPECT_EQ(status_bundle["type"], "searchset");
  EXPECT_EQ(status_bundle["entry"][0]["resource"]["type"], "query-status");
  EXPECT_EQ(status_bundle["entry"][0]["resource"]["status"], "active");
}

TEST_P(SubscriptionsTest, SubscriptionsThatCannotBeServedAreRefused) {
  (void)create(topic());
  nlohmann::json unknown_topic = subscription();
  unknown_topic["topic"] = "http://ptwin.test/SubscriptionTopic/none";
  Reply reply = post("/Subscription", unknown_topic);
  EXPECT_EQ(reply.status, 400) << reply.body;
  EXPECT_NE(reply.body.find("SubscriptionTopic/none"), std::string::npos) << reply.body;
  nlohmann::json email = subscription();
  email["channelType"]["code"] = "email";
  email["endpoint"] = "mailto:ward@example.org";
  reply = post("/Subscription", email);
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(reply.body.find("channelType.code"), std::string::npos) << reply.body;
  nlohmann::json bad_filter = subscription();
  bad_filter["filterBy"] = {{{"filterParameter", "status"}, {"value", "planned"}}};
  EXPECT_EQ(post("/Subscription", bad_filter).status, 400);  // not in canFilterBy
  EXPECT_EQ(recorder_->registry().subscription_count(), 0U);
  // A topic with subscriptions cannot be deleted; without, it can.
  const std::string id = create(subscription());
  const nlohmann::json topics = get("/SubscriptionTopic").json();
  const std::string topic_id = topics["entry"][0]["resource"]["id"];
  EXPECT_EQ(http("DELETE", base_ + "/SubscriptionTopic/" + topic_id).status, 400);
  EXPECT_EQ(recorder_->registry().topic_count(), 1U);
  EXPECT_EQ(http("DELETE", base_ + "/Subscription/" + id).status, 200);
  EXPECT_EQ(recorder_->registry().subscription_count(), 0U);
  EXPECT_EQ(http("DELETE", base_ + "/SubscriptionTopic/" + topic_id).status, 200);
  EXPECT_EQ(recorder_->registry().topic_count(), 0U);
}

TEST_P(SubscriptionsTest, ASubscriptionWhoseTransactionRollsBackIsNotRegistered) {
  (void)create(topic());
  // The Subscription entry is registered as it is written, then the invalid Encounter rolls
  // the transaction back: the registry must follow the store, not the attempt.
  const nlohmann::json bundle{
      {"resourceType", "Bundle"},
      {"type", "transaction"},
      {"entry",
       {{{"resource", subscription()}, {"request", {{"method", "POST"}, {"url", "Subscription"}}}},
        {{"resource", {{"resourceType", "Encounter"}, {"status", "not-a-status"}}},
         {"request", {{"method", "POST"}, {"url", "Encounter"}}}}}}};
  EXPECT_NE(post("", bundle).status, 200);
  EXPECT_EQ(recorder_->registry().subscription_count(), 0U);
  EXPECT_EQ(get("/Subscription").json().value("total", -1), 0);
  // The same transaction without the bad entry registers it.
  nlohmann::json good = bundle;
  good["entry"].erase(1);
  EXPECT_EQ(post("", good).status, 200);
  EXPECT_EQ(recorder_->registry().subscription_count(), 1U);
}

TEST_P(SubscriptionsTest, ASubscriptionSetOffReceivesNothing) {
  const std::string id = active_subscription();
  nlohmann::json off = get("/Subscription/" + id).json();
  off["status"] = "off";
  ASSERT_EQ(put("/Subscription/" + id, off).status, 200);
  (void)create(encounter("planned"));
  EXPECT_EQ(delivery_->run_once().notifications, 0);
  const nlohmann::json status = get("/Subscription/" + id + "/$status").json();
  EXPECT_EQ(status["entry"][0]["resource"]["eventsSinceSubscriptionStart"], "0");
}

TEST_P(SubscriptionsTest, AnEndpointSlowerThanTheTimeoutCountsAsAFailure) {
  const std::string id = active_subscription();
  // The subscriber holds its answer until the test releases it, after delivery gave up
  // waiting (Subscription.timeout 1 s).
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ptwin::testing::HttpTestServer slow([released](const ptwin::testing::HttpRequest&) {
    released.wait();
    return ptwin::testing::HttpResponse{};
  });
  nlohmann::json subscription_json = get("/Subscription/" + id).json();
  subscription_json["endpoint"] = slow.origin() + "/hook";
  subscription_json["timeout"] = 1;
  ASSERT_EQ(put("/Subscription/" + id, subscription_json).status, 200);
  (void)create(encounter("planned"));
  const auto started = std::chrono::steady_clock::now();
  const subscriptions::DeliveryRound round = delivery_->run_once();
  const auto waited = std::chrono::steady_clock::now() - started;
  release.set_value();
  EXPECT_EQ(round.failures, 1);
  EXPECT_EQ(round.events_delivered, 0);
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  EXPECT_LT(waited, std::chrono::seconds(4));  // the 5 s default would have waited longer
}

TEST_P(SubscriptionsTest, TheBackgroundThreadDeliversAndStops) {
  (void)create(topic());
  std::promise<void> handshaken;
  std::atomic<bool> is_first = true;
  ptwin::testing::HttpTestServer subscriber([&](const ptwin::testing::HttpRequest&) {
    if (is_first.exchange(false)) handshaken.set_value();
    return ptwin::testing::HttpResponse{};
  });
  nlohmann::json subscription_json = subscription();
  subscription_json["endpoint"] = subscriber.origin() + "/hook";
  const std::string id = create(subscription_json);
  std::future<void> done = handshaken.get_future();
  delivery_->start(std::chrono::milliseconds(20));
  EXPECT_EQ(done.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  delivery_->stop();
  EXPECT_EQ(subscription_status(id), "active");
}

TEST_P(SubscriptionsTest, ACommitWithEventsWakesTheDeliveryThread) {
  const std::string id = active_subscription();
  std::promise<void> notified;
  std::atomic<bool> is_first = true;
  ptwin::testing::HttpTestServer subscriber([&](const ptwin::testing::HttpRequest&) {
    if (is_first.exchange(false)) notified.set_value();
    return ptwin::testing::HttpResponse{};
  });
  nlohmann::json subscription_json = get("/Subscription/" + id).json();
  subscription_json["endpoint"] = subscriber.origin() + "/hook";
  ASSERT_EQ(put("/Subscription/" + id, subscription_json).status, 200);
  recorder_->set_event_listener([this] { delivery_->wake(); });
  // A poll interval far beyond the wait below: once the thread's first round is over, only
  // the wake can deliver in time.
  const std::uint64_t rounds_before = delivery_->completed_rounds();
  delivery_->start(std::chrono::minutes(10));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (delivery_->completed_rounds() == rounds_before &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  ASSERT_GT(delivery_->completed_rounds(), rounds_before);
  (void)create(encounter("planned"));
  std::future<void> done = notified.get_future();
  EXPECT_EQ(done.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  delivery_->stop();
  recorder_->set_event_listener({});
}

TEST_P(SubscriptionsTest, TheCapabilityStatementListsTheSubscriptionOperations) {
  const nlohmann::json capabilities = get("/metadata").json();
  const nlohmann::json* subscription = nullptr;
  for (const auto& resource : capabilities["rest"][0]["resource"]) {
    if (resource["type"] == "Subscription") subscription = &resource;
  }
  ASSERT_NE(subscription, nullptr);
  std::vector<std::string> operations;
  for (const auto& operation : (*subscription)["operation"])
    operations.push_back(operation["name"]);
  EXPECT_EQ(operations, (std::vector<std::string>{"status", "events", "get-ws-binding-token"}));
  EXPECT_NE((*subscription)["documentation"].get<std::string>().find("rest-hook, websocket"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, SubscriptionsTest,
                         ::testing::Values(Backend::Sqlite, Backend::Postgres), backend_name);

}  // namespace
}  // namespace ptwin::server::fhir::testing
