// SPDX-License-Identifier: Apache-2.0
// The durable inbox of the MQTT subscriber (docs/mqtt.md#durability):
// - against the harness's mosquitto, a subscriber process is killed with SIGKILL while a stream
//   of QoS 1 messages flows through a slow store; a second subscriber with the same client id
//   and inbox then stores the rest. Every message published is in the store exactly once:
//   published = stored + quarantined, each reading's sample once, each bad payload once;
// - a byte-identical message published again is a repeat, counted and not stored;
// - without a broker: rows left Storing by a crash whose write had committed are recognised in
//   the store and not written again; those whose write had not, and Pending ones, are stored.
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "integration/ingest/mqtt_subscriber_fixture.hpp"
#include "integration/ingest/mqtt_test_publisher.hpp"
#include "integration/ingest/mqtt_test_stores.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/mqtt/biosensor_subscriber.hpp"
#include "ptwin/ingest/mqtt/payload_parser.hpp"
#include "ptwin/store/message_inbox.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace ptwin::ingest::mqtt::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kMessages = 2000;
constexpr std::int64_t kKillAfterSamples = 300;  // stored by the first process before the kill
constexpr std::string_view kHeartRate = "8867-4";

bool is_bad(int i) { return i % 50 == 7; }  // 40 of 2000

/// Message i: a heart rate at t0 + i ms (unique times), or, for the bad ones, an unknown unit.
std::string payload(int i, std::int64_t t0_ms) {
  return fmt::format(
      R"({{"device":"mon-1","patient":"p1","quantity":"heart_rate","unit":"{}","value":{},)"
      R"("t":{}}})",
      is_bad(i) ? "/mni" : "/min", 40 + i % 100, t0_ms + i);
}

class TempDirectory {
 public:
  TempDirectory() {
    std::string name = (fs::temp_directory_path() / "ptwin-mqtt-inbox-XXXXXX").string();
    if (::mkdtemp(name.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = name;
  }
  ~TempDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;
  TempDirectory(TempDirectory&&) = delete;
  TempDirectory& operator=(TempDirectory&&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

class MqttInboxTest : public MqttSubscriberTest {
 protected:
  [[nodiscard]] SubscriberSettings inbox_settings() const {
    auto s = settings(1);
    s.inbox = InboxSettings{.path = dir_.path() / "inbox.db", .options = {}};
    return s;
  }
  [[nodiscard]] fs::path store_path() const { return dir_.path() / "store.db"; }

  TempDirectory dir_;
};

// Runs in the child: subscribes through a slow store and reports once subscribed, then waits
// to be killed. Exits 3 on any failure.
[[noreturn]] void subscribe_until_killed(const SubscriberSettings& settings,
                                         const fs::path& store_path, int ready_fd) {
  try {
    store::SqliteStore store(store_path);
    SlowStore slow(store, std::chrono::milliseconds{10});
    const time::SystemClock clock;
    BiosensorSubscriber subscriber(settings, slow, clock);
    subscriber.start();
    if (!eventually([&] { return subscriber.metrics().is_subscribed; })) ::_exit(3);
    const char ready = 'r';
    if (::write(ready_fd, &ready, 1) != 1) ::_exit(3);
    while (true) std::this_thread::sleep_for(std::chrono::seconds{1});
  } catch (...) {
    ::_exit(3);
  }
}

TEST_F(MqttInboxTest, EveryQos1MessageIsStoredExactlyOnceAcrossAKillOfTheSubscriber) {
  auto s = inbox_settings();
  s.queue_capacity = 200;
  s.max_batch_messages = 20;  // 10 ms per batch: the store lags far behind the broker
  const auto the_topic = topic("bed1/vitals");
  const time::SystemClock clock;
  const auto t0_ms = time::to_epoch_ns(clock.now()) / 1'000'000;

  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    subscribe_until_killed(s, store_path(), pipe_fds[1]);
  }
  ::close(pipe_fds[1]);
  pollfd ready{.fd = pipe_fds[0], .events = POLLIN, .revents = 0};
  ASSERT_EQ(::poll(&ready, 1, 15'000), 1) << "the first subscriber did not subscribe in 15 s";
  ::close(pipe_fds[0]);

  auto publisher = this->publisher();
  for (int i = 0; i < kMessages; ++i) publisher.publish(the_topic, payload(i, t0_ms), 1);
  {
    const store::SqliteStore observer(store_path());
    ASSERT_TRUE(eventually([&] { return observer.count_samples() >= kKillAfterSamples; },
                           std::chrono::seconds{30}));
  }
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the first subscriber exited by itself: status " << status;
  publisher.wait_until_delivered(std::chrono::seconds{30});  // the broker holds every message

  int bad_count = 0;
  for (int i = 0; i < kMessages; ++i) bad_count += is_bad(i) ? 1 : 0;
  const auto good_count = kMessages - bad_count;
  store::SqliteStore store(store_path());
  const auto stored_before_restart = store.count_samples();
  SubscriberMetrics m;
  {
    BiosensorSubscriber subscriber(s, store, clock);
    subscriber.start();
    ASSERT_TRUE(eventually(
        [&] {
          return store.count_samples() >= good_count && store.count_quarantined() >= bad_count;
        },
        std::chrono::seconds{60}))
        << "samples " << store.count_samples() << " quarantined " << store.count_quarantined();
    // Repeats still on their way would show up here as extra samples.
    std::this_thread::sleep_for(std::chrono::milliseconds{500});
    subscriber.stop();
    m = subscriber.metrics();
  }
  EXPECT_TRUE(m.is_conserved());
  EXPECT_EQ(m.pending, 0U);
  EXPECT_EQ(m.abandoned, 0U);
  // The kill left acknowledged messages unstored: without the inbox they would be lost.
  EXPECT_GT(m.replayed, 0U) << "the kill found nothing in the inbox; stored before the restart: "
                            << stored_before_restart;

  // Exactly once: one sample per reading, at its time, and nothing else.
  std::map<std::int64_t, int> samples_at;
  for (const auto& sample :
       store.samples("p1", kHeartRate, time::from_epoch_ms(t0_ms),
                     time::from_epoch_ms(t0_ms + kMessages))) {
    ++samples_at[time::to_epoch_ns(sample.time) / 1'000'000 - t0_ms];
  }
  int stored_messages = 0;
  for (int i = 0; i < kMessages; ++i) {
    if (is_bad(i)) continue;
    const auto found = samples_at.find(i);
    ASSERT_NE(found, samples_at.end()) << "message " << i << " was lost";
    EXPECT_EQ(found->second, 1) << "message " << i << " was stored " << found->second << " times";
    ++stored_messages;
  }
  EXPECT_EQ(store.count_samples(), good_count);
  std::map<std::string, int> quarantined;
  for (const auto& record : store.quarantined("mqtt:" + the_topic)) {
    ++quarantined[record.entry.raw_bytes];
  }
  int quarantined_messages = 0;
  for (int i = 0; i < kMessages; ++i) {
    if (!is_bad(i)) continue;
    EXPECT_EQ(quarantined[payload(i, t0_ms)], 1) << "bad message " << i;
    ++quarantined_messages;
  }
  EXPECT_EQ(store.count_quarantined(), bad_count);
  // Conservation over both processes: published = stored + quarantined.
  EXPECT_EQ(kMessages, stored_messages + quarantined_messages);
  const store::MessageInbox inbox(s.inbox->path);
  EXPECT_EQ(inbox.count(store::InboxState::Pending), 0);
  EXPECT_EQ(inbox.count(store::InboxState::Storing), 0);
  std::cout << fmt::format(
      "first process stored {} samples before the kill; the second replayed {} messages from "
      "the inbox, recognised {} repeats, received {}\n",
      stored_before_restart, m.replayed, m.repeats, m.received);
}

TEST_F(MqttInboxTest, AByteIdenticalMessagePublishedAgainIsARepeatAndIsNotStoredTwice) {
  auto s = inbox_settings();
  BiosensorSubscriber subscriber(s, store_, clock_);
  subscriber.start();
  ASSERT_TRUE(eventually([&] { return subscriber.metrics().is_subscribed; }));
  auto publisher = this->publisher();
  const auto reading = heart_rate_reading("mon-1", 72);
  publisher.publish(topic("vitals"), reading, 1);
  publisher.publish(topic("vitals"), heart_rate_reading("mon-1", 73), 1);
  publisher.publish(topic("vitals"), reading, 1);
  publisher.publish(topic("other"), reading, 1);  // another topic: another message
  ASSERT_TRUE(eventually([&] {
    const auto m = subscriber.metrics();
    return m.received == 4 && m.pending == 0;
  }));
  subscriber.stop();
  const auto m = subscriber.metrics();
  EXPECT_EQ(m.accepted, 3U);
  EXPECT_EQ(m.repeats, 1U);
  EXPECT_TRUE(m.is_conserved());
  EXPECT_EQ(store_.count_samples(), 3);
}

// No broker: the subscriber replays its inbox before it connects, and the connection attempts
// to a closed port only log.
TEST(MqttInboxReplay, AWriteThatCommittedBeforeTheCrashIsNotRepeatedTheOthersAreStored) {
  const TempDirectory dir;
  const auto received = time::from_epoch_ms(kNowMs);
  const time::ManualClock clock(received);
  store::SqliteStore store(dir.path() / "store.db");
  const std::string the_topic = "icu/bed4/vitals";
  const auto committed = heart_rate_reading("mon-1", 70, kNowMs - 3000);
  const auto bad_committed = std::string(R"({"device":"mon-1","vaule":1})");
  const auto not_committed = heart_rate_reading("mon-1", 71, kNowMs - 2000);
  const auto pending = heart_rate_reading("mon-1", 72, kNowMs - 1000);
  {
    // What a crashed subscriber leaves: three rows Storing, of which the first two reached the
    // store, and one Pending.
    store::MessageInbox inbox(dir.path() / "inbox.db");
    std::vector<std::int64_t> storing;
    for (const auto& message : {committed, bad_committed, not_committed}) {
      storing.push_back(*inbox.admit(the_topic, message, 1, received));
    }
    (void)inbox.admit(the_topic, pending, 1, received);
    inbox.mark(storing, store::InboxState::Storing);
    const auto source = "mqtt:" + the_topic;
    store.append_samples(parse_biosensor_payload(committed, source, {}, received));
    (void)store.quarantine({.source = source,
                            .reason = "unknown-field: as the crashed process wrote it",
                            .raw_bytes = bad_committed,
                            .received_at = received});
  }
  SubscriberSettings settings;
  settings.port = 1;  // nothing listens there
  settings.client_id = "replay-test";
  settings.subscriptions = {{"icu/#", 1}};
  settings.reconnect_delay_min = std::chrono::milliseconds{50};
  settings.inbox = InboxSettings{.path = dir.path() / "inbox.db", .options = {}};
  SubscriberMetrics m;
  {  // the subscriber holds its inbox file until it is destroyed
    BiosensorSubscriber subscriber(settings, store, clock);
    subscriber.start();
    ASSERT_TRUE(eventually([&] {
      const auto now = subscriber.metrics();
      return now.replayed == 4 && now.pending == 0;
    }));
    subscriber.stop();
    m = subscriber.metrics();
  }
  EXPECT_EQ(m.repeats, 2U);
  EXPECT_EQ(m.accepted, 2U);
  EXPECT_EQ(m.quarantined, 0U);
  EXPECT_TRUE(m.is_conserved());
  const auto samples =
      store.samples("p1", kHeartRate, received - std::chrono::hours{1}, received);
  ASSERT_EQ(samples.size(), 3U);  // 70, 71, 72: each once
  EXPECT_EQ(samples[0].time, time::from_epoch_ms(kNowMs - 3000));
  EXPECT_EQ(samples[1].time, time::from_epoch_ms(kNowMs - 2000));
  EXPECT_EQ(samples[2].time, time::from_epoch_ms(kNowMs - 1000));
  EXPECT_EQ(store.count_quarantined(), 1);
  const store::MessageInbox inbox(dir.path() / "inbox.db");
  EXPECT_TRUE(inbox.unfinished().empty());
  EXPECT_EQ(inbox.count(store::InboxState::Done), 4);
}

}  // namespace
}  // namespace ptwin::ingest::mqtt::testing
