// SPDX-License-Identifier: Apache-2.0
// ptwin on both sides of a topic-based subscription, over loopback HTTP: one FHIR facade plays
// the EHR (recording and delivering events), and a NotificationEndpoint with a
// SubscriptionReceiver plays the twin's side. Between them a link that can lose notifications
// after acknowledging them (as a failing proxy would) or be down (503). The receiver must hand
// every event to the twin exactly once and in order: lost ones recovered with $events, id-only
// focuses read from the EHR, refused Bundles quarantined and counted.
#include "ptwin/ingest/fhir/notifications/subscription_receiver.hpp"

#include <atomic>
#include <numeric>

#include "ptwin/ingest/fhir/client/fhir_client.hpp"
#include "ptwin/server/fhir/subscriptions/notification_endpoint.hpp"
#include "subscriptions_fixture.hpp"
#include "support/bad_input_corpus.hpp"

namespace ptwin::server::fhir::testing {
namespace {

namespace notifications = ingest::fhir::notifications;

enum class Link { Up, LosesNotifications, Down };

class SubscriptionReceiverTest : public SubscriptionsTest {
 protected:
  void SetUp() override {
    SubscriptionsTest::SetUp();
    if (IsSkipped()) return;
    client_ = std::make_unique<ingest::fhir::FhirClient>(
        ingest::fhir::FhirClientSettings{.base_url = base_,
                                         .bearer_token = std::nullopt,
                                         .timeout = std::chrono::seconds(10),
                                         .connect_timeout = std::chrono::seconds(5),
                                         .max_pages = 10,
                                         .is_tls_verified = true});
    twin_receiver_ = std::make_unique<notifications::SubscriptionReceiver>(
        *client_, "twin-feed",
        [this](const notifications::ReceivedEvent& event) { handled_.push_back(event); });
    endpoint_ = std::make_unique<subscriptions::NotificationEndpoint>(
        *twin_receiver_, clock_,
        [this](const store::QuarantineEntry& entry) { quarantined_.push_back(entry); });
    twin_server_ =
        std::make_unique<HttpServer>(HttpServerSettings{}, [this](const HttpRequest& request) {
          switch (link_.load()) {
            case Link::Up:
              return endpoint_->handle(request);
            case Link::LosesNotifications:
              return HttpResponse::with_body(200, "application/fhir+json", "{}");
            case Link::Down:
              break;
          }
          return HttpResponse::with_body(503, "application/fhir+json", "{}");
        });
  }
  void TearDown() override {
    twin_server_.reset();
    endpoint_.reset();
    twin_receiver_.reset();
    client_.reset();
    SubscriptionsTest::TearDown();
  }

  /// The topic and Subscription/twin-feed (id-only, one event per notification) posting to
  /// the twin's endpoint, handshaken.
  void subscribe() {
    (void)create(topic());
    nlohmann::json feed = subscription("id-only", 1);
    feed["id"] = "twin-feed";
    feed["endpoint"] = twin_server_->origin() + "/notifications";
    ASSERT_EQ(put("/Subscription/twin-feed", feed).status, 201);
    ASSERT_EQ(delivery_->run_once().handshakes, 1);
    ASSERT_EQ(subscription_status("twin-feed"), "active");
  }
  std::vector<std::int64_t> handled_numbers() const {
    std::vector<std::int64_t> numbers;
    for (const auto& event : handled_) numbers.push_back(event.event_number);
    return numbers;
  }

  std::unique_ptr<ingest::fhir::FhirClient> client_;
  std::unique_ptr<notifications::SubscriptionReceiver> twin_receiver_;
  std::unique_ptr<subscriptions::NotificationEndpoint> endpoint_;
  std::unique_ptr<HttpServer> twin_server_;
  std::atomic<Link> link_{Link::Up};
  std::vector<notifications::ReceivedEvent> handled_;
  std::vector<store::QuarantineEntry> quarantined_;
};

TEST_P(SubscriptionReceiverTest, LostEventsAreRecoveredAndEveryEventIsHandledOnceInOrder) {
  subscribe();
  const std::string e1 = create(encounter("planned"));
  const std::string e2 = create(encounter("planned"));
  EXPECT_EQ(delivery_->run_once().events_delivered, 2);
  link_ = Link::LosesNotifications;  // events 3 and 4 are acknowledged but never arrive
  (void)create(encounter("planned"));
  (void)create(encounter("planned"));
  EXPECT_EQ(delivery_->run_once().events_delivered, 2);
  link_ = Link::Up;
  nlohmann::json admitted = encounter("in-progress");
  admitted["id"] = e1;
  ASSERT_EQ(put("/Encounter/" + e1, admitted).status, 200);  // event 5: reveals the gap
  EXPECT_EQ(delivery_->run_once().events_delivered, 1);
  link_ = Link::Down;  // event 6 waits until the twin is reachable again
  (void)create(encounter("planned"));
  EXPECT_EQ(delivery_->run_once().failures, 1);
  link_ = Link::Up;
  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(delivery_->run_once().events_delivered, 1);
  ASSERT_EQ(http("DELETE", base_ + "/Encounter/" + e2).status, 200);  // event 7
  EXPECT_EQ(delivery_->run_once().events_delivered, 1);

  std::vector<std::int64_t> expected(7);
  std::iota(expected.begin(), expected.end(), 1);
  EXPECT_EQ(handled_numbers(), expected);
  ASSERT_EQ(handled_.size(), 7U);
  EXPECT_FALSE(handled_[1].is_recovered);
  EXPECT_TRUE(handled_[2].is_recovered);
  EXPECT_TRUE(handled_[3].is_recovered);
  EXPECT_FALSE(handled_[4].is_recovered);
  // id-only focuses were read from the EHR: event 1's Encounter, and event 5's admission.
  ASSERT_TRUE(handled_[0].resource.has_value());
  EXPECT_EQ((*handled_[0].resource)["id"], e1);
  EXPECT_EQ((*handled_[4].resource)["status"], "in-progress");
  EXPECT_EQ(handled_[4].method, "PUT");
  // The delete reaches the twin as a deletion, with no resource.
  EXPECT_EQ(handled_[6].method, "DELETE");
  EXPECT_FALSE(handled_[6].resource.has_value());
  EXPECT_EQ(twin_receiver_->last_handled(), 7);
  const subscriptions::EndpointCounts counts = endpoint_->counts();
  EXPECT_EQ(counts.received, counts.accepted + counts.refused + counts.failed);
  EXPECT_EQ(counts.refused, 0);
}

TEST_P(SubscriptionReceiverTest, AHeartbeatRevealsEventsLostBeforeIt) {
  subscribe();
  link_ = Link::LosesNotifications;
  (void)create(encounter("planned"));
  EXPECT_EQ(delivery_->run_once().events_delivered, 1);
  link_ = Link::Up;
  clock_.advance(std::chrono::seconds(60));
  EXPECT_EQ(delivery_->run_once().heartbeats, 1);
  EXPECT_EQ(handled_numbers(), std::vector<std::int64_t>{1});
  EXPECT_TRUE(handled_[0].is_recovered);
}

// A restarted twin: a new receiver from the saved number asks $status and $events for what it
// missed while it was not running, and handles that only.
TEST_P(SubscriptionReceiverTest, CatchUpHandlesTheEventsAfterTheSavedNumberOnly) {
  subscribe();
  for (int i = 0; i < 3; ++i) (void)create(encounter("planned"));
  EXPECT_EQ(delivery_->run_once().events_delivered, 3);
  link_ = Link::Down;  // the twin is down: events 4 and 5 wait on the EHR
  (void)create(encounter("planned"));
  (void)create(encounter("planned"));
  EXPECT_EQ(delivery_->run_once().failures, 1);
  ASSERT_EQ(handled_numbers(), (std::vector<std::int64_t>{1, 2, 3}));

  std::vector<notifications::ReceivedEvent> after_restart;
  notifications::SubscriptionReceiver restarted(
      *client_, "twin-feed",
      [&](const notifications::ReceivedEvent& event) { after_restart.push_back(event); }, 3);
  const auto outcome = restarted.catch_up();
  EXPECT_EQ(outcome.recovered, 2);
  ASSERT_EQ(after_restart.size(), 2U);
  EXPECT_EQ(after_restart[0].event_number, 4);
  EXPECT_EQ(after_restart[1].event_number, 5);
  EXPECT_TRUE(after_restart[0].is_recovered);
  EXPECT_EQ(restarted.last_handled(), 5);
  EXPECT_EQ(restarted.catch_up().recovered, 0);  // nothing new: nothing handled twice

  // A saved number above the EHR's count: the Subscription was created anew, so every event
  // of it is handled.
  std::vector<std::int64_t> renumbered;
  notifications::SubscriptionReceiver stale(
      *client_, "twin-feed",
      [&](const notifications::ReceivedEvent& event) { renumbered.push_back(event.event_number); },
      40);
  (void)stale.catch_up();
  EXPECT_EQ(renumbered, (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
}

TEST_P(SubscriptionReceiverTest, RepeatedNotificationsAreHandledOnce) {
  subscribe();
  (void)create(encounter("planned"));
  (void)delivery_->run_once();
  // The EHR sends event 1 again (its acknowledgement was lost): $events gives the same Bundle.
  const std::string again = get("/Subscription/twin-feed/$events?eventsSinceNumber=1").body;
  const Reply reply = http("POST", twin_server_->origin() + "/notifications", again, kJson);
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(handled_numbers(), std::vector<std::int64_t>{1});
}

TEST_P(SubscriptionReceiverTest, RefusedBundlesAreQuarantinedAndCounted) {
  subscribe();
  const auto cases =
      ::ptwin::testing::scoped_corpus(std::filesystem::path(PTWIN_SOURCE_DIR) / "tests" / "data" /
                                          "bad_inputs" / "subscription_notifications",
                                      ".json", {"notification"}, "notification");
  ASSERT_GE(cases.size(), 10U);
  for (const auto& bad : cases) {
    const std::string body = ::ptwin::testing::read_bytes(bad.input);
    EXPECT_EQ(http("POST", twin_server_->origin() + "/notifications", body, kJson).status, 400)
        << bad.input.filename();
  }
  // A well-formed notification about another subscription is refused too.
  (void)create(encounter("planned"));
  nlohmann::json other = get("/Subscription/twin-feed/$events").json();
  other["entry"][0]["resource"]["subscription"]["reference"] = base_ + "/Subscription/other";
  EXPECT_EQ(http("POST", twin_server_->origin() + "/notifications", other.dump(), kJson).status,
            400);
  ASSERT_EQ(quarantined_.size(), cases.size() + 1);
  EXPECT_EQ(quarantined_[0].raw_bytes, ::ptwin::testing::read_bytes(cases[0].input));
  EXPECT_EQ(quarantined_[0].source, "fhir-notification:Subscription/twin-feed");
  const subscriptions::EndpointCounts counts = endpoint_->counts();
  EXPECT_EQ(counts.refused, static_cast<std::int64_t>(cases.size() + 1));
  EXPECT_EQ(counts.received, counts.accepted + counts.refused + counts.failed);
  EXPECT_TRUE(handled_.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, SubscriptionReceiverTest,
                         ::testing::Values(Backend::Sqlite, Backend::Postgres), backend_name);

}  // namespace
}  // namespace ptwin::server::fhir::testing
