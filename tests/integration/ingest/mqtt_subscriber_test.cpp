// SPDX-License-Identifier: Apache-2.0
// BiosensorSubscriber against a real mosquitto broker on 127.0.0.1 (scripts/with_mosquitto.sh):
// good messages become SI samples, bad ones are quarantined byte for byte, every message is
// counted once (conservation), and a slow store slows the broker down instead of losing QoS 1
// messages. QoS 0 messages are dropped only when configured so, and counted.
#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "integration/ingest/mqtt_subscriber_fixture.hpp"
#include "integration/ingest/mqtt_test_stores.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/ingest/mqtt/biosensor_subscriber.hpp"

namespace ptwin::ingest::mqtt::testing {
namespace {

using std::chrono::milliseconds;

constexpr auto kWholeDay = std::chrono::hours{24};

// A chunk of 5 mean arterial pressures of patient p2, 4 ms apart, starting at `t_ms`; values
// first .. first + 4 mm[Hg].
std::string pressure_chunk(int first, std::int64_t t_ms) {
  return fmt::format(
      R"({{"device":"art-1","patient":"p2","quantity":"mean_pressure","unit":"mm[Hg]",)"
      R"("values":[{},{},{},{},{}],"interval_ms":4,"t":{}}})",
      first, first + 1, first + 2, first + 3, first + 4, t_ms);
}

struct BadPayload {
  std::string bytes;
  std::string reason_fragment;  // the field and the value the reason must name
};

std::vector<BadPayload> bad_payloads() {
  const auto with = [](std::string_view unit_and_value, std::string_view t) {
    return fmt::format(R"({{"device":"mon-1","patient":"p1","quantity":"heart_rate",{},"t":{}}})",
                       unit_and_value, t);
  };
  return {
      {"HR=72;SPO2=97", "payload: 'HR=72;SPO2=97' is not valid JSON"},
      {std::string("\0\xff\xfe\x01{\"device\"", 14), "payload: '\\x00"},
      {with(R"("unit":"/mni","value":70)", "1795162500000"), "unit (quantity heart_rate): '/mni'"},
      {with(R"("unit":"mm[Hg]","value":70)", "1795162500000"),
       "unit (quantity heart_rate): 'mm[Hg]' has dimension"},
      {with(R"("unit":"/min","value":70)", "4102444800000"), "t: '4102444800000'"},
      {with(R"("unit":"/min","value":"70")", "1795162500000"), "value: '70' must be a number"},
  };
}

class MqttSubscriberQosTest : public MqttSubscriberTest,
                              public ::testing::WithParamInterface<int> {};

TEST_P(MqttSubscriberQosTest, StoresGoodMessagesAndQuarantinesBadOnesByteForByte) {
  const int qos = GetParam();
  BiosensorSubscriber subscriber(settings(qos), store_, clock_);
  subscriber.start();
  ASSERT_TRUE(eventually([&] { return subscriber.metrics().is_subscribed; }));

  constexpr int kReadings = 30;
  constexpr int kChunks = 10;
  const auto bad = bad_payloads();
  {
    auto pub = publisher();
    for (int i = 0; i < kReadings; ++i) {
      pub.publish(topic("mon-1/vitals"), heart_rate_reading("mon-1", 60 + i), qos);
      if (i % 5 == 0) {
        pub.publish(topic("mon-1/vitals"), bad[static_cast<std::size_t>(i / 5)].bytes, qos);
      }
    }
    for (int k = 0; k < kChunks; ++k) {
      pub.publish(topic("art-1/pressure"), pressure_chunk(5 * k, kNowMs - 1000 * k), qos);
    }
    pub.wait_until_delivered();
  }
  const auto total = static_cast<std::uint64_t>(kReadings + kChunks) + bad.size();
  ASSERT_TRUE(eventually([&] {
    const auto m = subscriber.metrics();
    return m.accepted + m.quarantined >= total;
  })) << "received "
      << subscriber.metrics().received << " of " << total;
  subscriber.stop();

  const auto metrics = subscriber.metrics();
  EXPECT_EQ(metrics.received, total);
  EXPECT_EQ(metrics.accepted, static_cast<std::uint64_t>(kReadings + kChunks));
  EXPECT_EQ(metrics.quarantined, bad.size());
  EXPECT_EQ(metrics.dropped_qos0, 0U);
  EXPECT_EQ(metrics.pending, 0U);
  EXPECT_EQ(metrics.abandoned, 0U);
  EXPECT_TRUE(metrics.is_conserved());
  EXPECT_EQ(metrics.samples_stored, static_cast<std::uint64_t>(kReadings + 5 * kChunks));
  EXPECT_EQ(store_.count_samples(), kReadings + 5 * kChunks);

  const auto from = time::from_epoch_ms(kNowMs) - kWholeDay;
  const auto to = time::from_epoch_ms(kNowMs) + kWholeDay;
  const auto heart_rates = store_.samples("p1", "8867-4", from, to);
  ASSERT_EQ(heart_rates.size(), static_cast<std::size_t>(kReadings));
  std::set<double> beats_per_second;
  for (const auto& sample : heart_rates) beats_per_second.insert(sample.value_si);
  EXPECT_EQ(beats_per_second.size(), static_cast<std::size_t>(kReadings));
  EXPECT_DOUBLE_EQ(*beats_per_second.begin(), 60.0 / 60.0);
  EXPECT_EQ(heart_rates.front().source_id, "mqtt:" + topic("mon-1/vitals") + "#mon-1");

  // Chunk k starts 1000 k ms before now; its value j (5 k + j mm[Hg]) is 4 j ms later.
  for (const auto& sample : store_.samples("p2", "8478-0", from, to)) {
    const auto offset_ms = time::to_epoch_ns(sample.time) / 1'000'000 - kNowMs;
    const auto k = (-offset_ms + 999) / 1000;
    const auto j = (offset_ms + 1000 * k) / 4;
    EXPECT_DOUBLE_EQ(sample.value_si, static_cast<double>(5 * k + j) * units::kPaPerMmHg)
        << "at offset " << offset_ms << " ms";
  }

  const auto quarantined = store_.quarantined("mqtt:" + prefix_);
  ASSERT_EQ(quarantined.size(), bad.size());
  for (const auto& expected : bad) {
    const auto found = std::find_if(quarantined.begin(), quarantined.end(), [&](const auto& r) {
      return r.entry.raw_bytes == expected.bytes;
    });
    ASSERT_NE(found, quarantined.end()) << "raw bytes not kept: " << expected.reason_fragment;
    EXPECT_EQ(found->entry.source, "mqtt:" + topic("mon-1/vitals"));
    EXPECT_NE(found->entry.reason.find(expected.reason_fragment), std::string::npos)
        << found->entry.reason;
    EXPECT_EQ(found->entry.received_at, time::from_epoch_ms(kNowMs));
  }
}

TEST_P(MqttSubscriberQosTest, LosesNothingWhenTheStoreIsSlowerThanTheFeed) {
  const int qos = GetParam();
  SlowStore slow_store(store_, milliseconds{15});
  auto slow_settings = settings(qos);
  slow_settings.queue_capacity = 2;
  slow_settings.max_batch_messages = 1;
  BiosensorSubscriber subscriber(slow_settings, slow_store, clock_);
  subscriber.start();
  ASSERT_TRUE(eventually([&] { return subscriber.metrics().is_subscribed; }));

  constexpr int kMessages = 60;
  {
    auto pub = publisher();
    for (int i = 0; i < kMessages; ++i) {
      pub.publish(topic("mon-1/vitals"), heart_rate_reading("mon-1", i), qos);
    }
    pub.wait_until_delivered();
  }
  ASSERT_TRUE(eventually(
      [&] { return subscriber.metrics().accepted >= static_cast<std::uint64_t>(kMessages); },
      std::chrono::seconds{20}))
      << "accepted " << subscriber.metrics().accepted << " of " << kMessages;
  subscriber.stop();

  const auto metrics = subscriber.metrics();
  EXPECT_GT(metrics.queue_full_waits, 0U) << "the store never held the feed back";
  EXPECT_EQ(metrics.received, static_cast<std::uint64_t>(kMessages));
  EXPECT_EQ(metrics.accepted, static_cast<std::uint64_t>(kMessages));
  EXPECT_EQ(metrics.dropped_qos0, 0U);
  EXPECT_TRUE(metrics.is_conserved());
  std::set<double> values;
  for (const auto& sample : store_.samples("p1", "8867-4", time::from_epoch_ms(kNowMs) - kWholeDay,
                                           time::from_epoch_ms(kNowMs) + kWholeDay)) {
    values.insert(sample.value_si * 60.0);
  }
  ASSERT_EQ(values.size(), static_cast<std::size_t>(kMessages));
  EXPECT_DOUBLE_EQ(*values.rbegin(), kMessages - 1);
}

INSTANTIATE_TEST_SUITE_P(Qos, MqttSubscriberQosTest, ::testing::Values(0, 1),
                         [](const ::testing::TestParamInfo<int>& param_info) {
                           return "Qos" + std::to_string(param_info.param);
                         });

TEST_F(MqttSubscriberTest, DropsOnlyQos0MessagesAndOnlyWhenToldAndCountsThem) {
  SlowStore slow_store(store_, milliseconds{20});
  auto dropping = settings(1);  // delivered QoS = min(1, published QoS)
  dropping.queue_capacity = 1;
  dropping.max_batch_messages = 1;
  dropping.qos0_overflow = Qos0Overflow::Drop;
  BiosensorSubscriber subscriber(dropping, slow_store, clock_);
  subscriber.start();
  ASSERT_TRUE(eventually([&] { return subscriber.metrics().is_subscribed; }));

  constexpr int kQos0 = 50;
  constexpr int kQos1 = 20;
  {
    auto pub = publisher();
    for (int i = 0; i < kQos0; ++i) {
      pub.publish(topic("mon-1/vitals"), heart_rate_reading("mon-1", i), 0);
    }
    for (int i = 0; i < kQos1; ++i) {
      pub.publish(topic("mon-2/vitals"), heart_rate_reading("mon-2", 100 + i), 1);
    }
    pub.wait_until_delivered();
  }
  ASSERT_TRUE(eventually(
      [&] {
        const auto m = subscriber.metrics();
        return m.received == static_cast<std::uint64_t>(kQos0 + kQos1) && m.pending == 0;
      },
      std::chrono::seconds{20}))
      << "received " << subscriber.metrics().received;
  subscriber.stop();

  const auto metrics = subscriber.metrics();
  EXPECT_GT(metrics.dropped_qos0, 0U) << "a queue of 1 behind a 20 ms store dropped nothing";
  EXPECT_LE(metrics.dropped_qos0, static_cast<std::uint64_t>(kQos0));
  EXPECT_EQ(metrics.accepted + metrics.dropped_qos0, static_cast<std::uint64_t>(kQos0 + kQos1));
  EXPECT_TRUE(metrics.is_conserved());
  EXPECT_EQ(store_.count_samples(), static_cast<std::int64_t>(metrics.accepted));
  // Every QoS 1 message is stored: values 100 .. 119 /min.
  std::set<double> qos1_values;
  for (const auto& sample : store_.samples("p1", "8867-4", time::from_epoch_ms(kNowMs) - kWholeDay,
                                           time::from_epoch_ms(kNowMs) + kWholeDay)) {
    if (sample.source_id.ends_with("#mon-2")) qos1_values.insert(sample.value_si * 60.0);
  }
  EXPECT_EQ(qos1_values.size(), static_cast<std::size_t>(kQos1));
}

// A monitor whose clock is 30 s behind: its readings' time stamps are paired with the broker's
// delivery times (the manual clock, set to the true time of each reading before it is sent),
// and once min_pairs pairs are in, the samples are stored at the corrected time.
TEST_F(MqttSubscriberTest, CorrectsADeviceClockThatRunsBehindOnceItHasEnoughPairs) {
  auto correcting = settings(1);
  correcting.clock_tracking.is_correcting = true;
  correcting.clock_tracking.min_pairs = 8;
  correcting.clock_tracking.refit_every = 4;
  BiosensorSubscriber subscriber(correcting, store_, clock_);
  subscriber.start();
  ASSERT_TRUE(eventually([&] { return subscriber.metrics().is_subscribed; }));

  constexpr int kReadings = 20;
  constexpr std::int64_t kBehindMs = 30'000;
  {
    auto pub = publisher();
    for (int i = 0; i < kReadings; ++i) {
      const std::int64_t true_ms = kNowMs + 1000 * i;
      clock_.set(time::from_epoch_ms(true_ms));
      pub.publish(topic("mon-1/vitals"), heart_rate_reading("mon-1", 60 + i, true_ms - kBehindMs),
                  1);
      ASSERT_TRUE(eventually([&] {
        return subscriber.metrics().received == static_cast<std::uint64_t>(i + 1);
      }));
    }
    pub.wait_until_delivered();
  }
  ASSERT_TRUE(eventually([&] {
    return subscriber.metrics().accepted == static_cast<std::uint64_t>(kReadings);
  }));
  subscriber.stop();

  const auto clocks = subscriber.device_clocks();
  ASSERT_EQ(clocks.size(), 1U);
  const auto& device = clocks.begin()->second;
  EXPECT_TRUE(clocks.begin()->first.ends_with("#mon-1")) << clocks.begin()->first;
  EXPECT_EQ(device.pairs_seen, static_cast<std::size_t>(kReadings));
  ASSERT_TRUE(device.model.has_value());
  EXPECT_NEAR(device.model->offset_s, 30.0, 1e-6);
  EXPECT_NEAR(device.model->drift, 0.0, 1e-9);

  // Readings 0-6 came before the first fit (at the 8th pair) and keep the device's stamp;
  // from the 8th on, samples carry the true time.
  const auto samples = store_.samples("p1", "8867-4", time::from_epoch_ms(kNowMs) - kWholeDay,
                                      time::from_epoch_ms(kNowMs) + kWholeDay);
  ASSERT_EQ(samples.size(), static_cast<std::size_t>(kReadings));
  for (const auto& sample : samples) {
    const int i = static_cast<int>(std::lround(sample.value_si * 60.0)) - 60;
    const std::int64_t true_ms = kNowMs + 1000 * i;
    const std::int64_t expected_ms = i < 7 ? true_ms - kBehindMs : true_ms;
    EXPECT_EQ(time::to_epoch_ns(sample.time) / 1'000'000, expected_ms) << "reading " << i;
  }
}

}  // namespace
}  // namespace ptwin::ingest::mqtt::testing
