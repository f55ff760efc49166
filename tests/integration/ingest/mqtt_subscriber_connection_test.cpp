// SPDX-License-Identifier: Apache-2.0
// BiosensorSubscriber's connection and session against real mosquitto brokers: QoS 1 messages
// published while it was away arrive with the persistent session; after a broker restart it
// reconnects and subscribes again; it logs in with a username and password; a store that keeps
// failing cannot hold stop() forever, and the message it could not take is left unacknowledged
// for the next session.
#include <cstdlib>
#include <set>
#include <stdexcept>
#include <string>

#include "integration/ingest/mqtt_subscriber_fixture.hpp"
#include "integration/ingest/mqtt_test_broker.hpp"
#include "integration/ingest/mqtt_test_stores.hpp"
#include "ptwin/ingest/mqtt/biosensor_subscriber.hpp"

namespace ptwin::ingest::mqtt::testing {
namespace {

constexpr auto kWholeDay = std::chrono::hours{24};

// Heart rates (in /min) of patient p1 stored in `store`.
std::set<int> stored_heart_rates(const store::Store& store) {
  std::set<int> values;
  for (const auto& sample : store.samples("p1", "8867-4", time::from_epoch_ms(kNowMs) - kWholeDay,
                                          time::from_epoch_ms(kNowMs) + kWholeDay)) {
    values.insert(static_cast<int>(std::lround(sample.value_si * 60.0)));
  }
  return values;
}

TEST_F(MqttSubscriberTest, ReceivesQos1MessagesPublishedWhileItWasStopped) {
  {
    BiosensorSubscriber first(settings(1), store_, clock_);
    first.start();
    ASSERT_TRUE(eventually([&] { return first.metrics().is_subscribed; }));
  }  // stopped: the broker keeps the session (clean session false) and queues for it
  constexpr int kMessages = 20;
  {
    auto pub = publisher();
    for (int i = 0; i < kMessages; ++i) {
      pub.publish(topic("mon-1/vitals"), heart_rate_reading("mon-1", i), 1);
    }
    pub.wait_until_delivered();
  }
  BiosensorSubscriber second(settings(1), store_, clock_);
  second.start();
  ASSERT_TRUE(eventually([&] {
    return second.metrics().accepted >= static_cast<std::uint64_t>(kMessages);
  })) << "accepted "
      << second.metrics().accepted;
  second.stop();
  EXPECT_EQ(stored_heart_rates(store_).size(), static_cast<std::size_t>(kMessages));
  EXPECT_TRUE(second.metrics().is_conserved());
}

// The broker of the harness must outlive every test, so this test runs its own and restarts it
// on the same port. The broker keeps no state across the restart: messages after it arrive only
// if the subscriber subscribed again.
TEST_F(MqttSubscriberTest, ReconnectsAndSubscribesAgainAfterTheBrokerRestarts) {
  const char* binary = std::getenv("PTWIN_TEST_MOSQUITTO_BIN");
  if (binary == nullptr) {
    GTEST_SKIP() << "PTWIN_TEST_MOSQUITTO_BIN is not set: run under scripts/with_mosquitto.sh";
  }
  TestBroker broker(binary);
  broker.start();
  broker_ = BrokerAddress{"127.0.0.1", broker.port()};
  BiosensorSubscriber subscriber(settings(1), store_, clock_);
  subscriber.start();
  ASSERT_TRUE(eventually([&] { return subscriber.metrics().is_subscribed; }));
  const auto publish_range = [&](int first, int count) {
    auto pub = publisher();
    for (int i = first; i < first + count; ++i) {
      pub.publish(topic("mon-1/vitals"), heart_rate_reading("mon-1", i), 1);
    }
    pub.wait_until_delivered();
  };
  publish_range(0, 10);
  ASSERT_TRUE(eventually([&] { return subscriber.metrics().accepted >= 10U; }));

  broker.stop();
  ASSERT_TRUE(eventually([&] { return !subscriber.metrics().is_connected; }));
  EXPECT_EQ(subscriber.metrics().connection_losses, 1U);
  broker.start();
  ASSERT_TRUE(eventually([&] {
    const auto m = subscriber.metrics();
    return m.connections >= 2 && m.is_subscribed;
  })) << "connections "
      << subscriber.metrics().connections;
  publish_range(10, 10);
  ASSERT_TRUE(eventually([&] { return subscriber.metrics().accepted >= 20U; }))
      << "accepted " << subscriber.metrics().accepted << " of 20 after the restart";
  subscriber.stop();

  EXPECT_EQ(stored_heart_rates(store_).size(), 20U);
  const auto metrics = subscriber.metrics();
  EXPECT_EQ(metrics.received, 20U);
  EXPECT_TRUE(metrics.is_conserved());
}

TEST_F(MqttSubscriberTest, AuthenticatesWithUsernameAndPassword) {
  const char* binary = std::getenv("PTWIN_TEST_MOSQUITTO_BIN");
  if (binary == nullptr) {
    GTEST_SKIP() << "PTWIN_TEST_MOSQUITTO_BIN is not set: run under scripts/with_mosquitto.sh";
  }
  TestBroker broker(binary);
  broker.require_password("icu-gateway", "s3cret pass");
  broker.start();
  broker_ = BrokerAddress{"127.0.0.1", broker.port()};
  auto authenticated = settings(1);
  authenticated.username = "icu-gateway";
  authenticated.password = "s3cret pass";
  BiosensorSubscriber subscriber(authenticated, store_, clock_);
  subscriber.start();
  ASSERT_TRUE(eventually([&] { return subscriber.metrics().is_subscribed; }));
  {
    TestPublisher pub(broker_.host, broker_.port, "pub-" + unique_, "icu-gateway", "s3cret pass");
    pub.publish(topic("mon-1/vitals"), heart_rate_reading("mon-1", 72), 1);
    pub.wait_until_delivered();
  }
  ASSERT_TRUE(eventually([&] { return subscriber.metrics().accepted >= 1U; }));
  subscriber.stop();
  EXPECT_EQ(stored_heart_rates(store_), std::set<int>{72});
  // The broker refuses anonymous clients: the credentials were what let the subscriber in.
  EXPECT_THROW(TestPublisher(broker_.host, broker_.port, "anonymous-" + unique_),
               std::runtime_error);
}

TEST_F(MqttSubscriberTest, StopGivesUpOnAFailingStoreAndLeavesTheWaitingMessageUnacknowledged) {
  FailingStore failing_store(store_);
  auto failing = settings(1);
  failing.queue_capacity = 1;
  failing.max_batch_messages = 1;
  failing.stop_timeout = std::chrono::milliseconds{300};
  failing.store_retry_delay_max = std::chrono::milliseconds{50};
  constexpr int kMessages = 5;
  std::uint64_t handed_over = 0;
  {
    BiosensorSubscriber subscriber(failing, failing_store, clock_);
    subscriber.start();
    ASSERT_TRUE(eventually([&] { return subscriber.metrics().is_subscribed; }));
    {
      auto pub = publisher();
      for (int i = 0; i < kMessages; ++i) {
        pub.publish(topic("mon-1/vitals"), heart_rate_reading("mon-1", i), 1);
      }
      pub.wait_until_delivered();
    }
    // Message 0 is retried by the writer, message 1 fills the queue, message 2 waits in the
    // network thread for room.
    ASSERT_TRUE(eventually([&] { return subscriber.metrics().received >= 3U; }));
    const auto started = std::chrono::steady_clock::now();
    subscriber.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds{3});
    const auto metrics = subscriber.metrics();
    handed_over = metrics.received;
    EXPECT_EQ(metrics.accepted, 0U);
    EXPECT_EQ(metrics.abandoned, metrics.received);
    EXPECT_EQ(metrics.pending, 0U);
    EXPECT_TRUE(metrics.is_conserved());
    EXPECT_GT(failing_store.attempts(), 1);
    EXPECT_GT(metrics.store_failures, 0U);
  }
  // The same session with a working store: the message that waited for room, and every later
  // one, was never acknowledged, so the broker delivers it again.
  BiosensorSubscriber recovered(settings(1), store_, clock_);
  recovered.start();
  const auto first_unacknowledged = static_cast<int>(handed_over) - 1;
  ASSERT_TRUE(eventually([&] {
    const auto values = stored_heart_rates(store_);
    for (int i = first_unacknowledged; i < kMessages; ++i) {
      if (values.count(i) == 0) return false;
    }
    return true;
  })) << "redelivered: "
      << recovered.metrics().accepted << " messages";
  recovered.stop();
  EXPECT_TRUE(recovered.metrics().is_conserved());
}

}  // namespace
}  // namespace ptwin::ingest::mqtt::testing
