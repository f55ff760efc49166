// SPDX-License-Identifier: Apache-2.0
#pragma once
// Shared setup of the MQTT subscriber integration tests: the broker from PTWIN_TEST_MQTT_URL
// (scripts/with_mosquitto.sh), an in-memory SQLite store, a manual clock, names unique to the
// test, and payload builders.

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "integration/ingest/mqtt_test_publisher.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/mqtt/subscriber_settings.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace ptwin::ingest::mqtt::testing {

// 2026-11-20T08:15:00Z: the manual clock stamps every receipt with it, and payloads carry it.
inline constexpr std::int64_t kNowMs = 1'795'162'500'000;

/// Polls `condition` every 5 ms until it holds (true) or `timeout` passes (false). The broker is
/// another process: there is no event to block on, and the timeout keeps the test bounded.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds{10}) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
  return true;
}

/// One heart-rate reading of patient p1, `beats_per_min` /min, taken at `t_ms`.
inline std::string heart_rate_reading(std::string_view device, int beats_per_min,
                                      std::int64_t t_ms = kNowMs) {
  return fmt::format(
      R"({{"device":"{}","patient":"p1","quantity":"heart_rate","unit":"/min","value":{},)"
      R"("t":{}}})",
      device, beats_per_min, t_ms);
}

class MqttSubscriberTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("PTWIN_TEST_MQTT_URL");
    if (url == nullptr) {
      GTEST_SKIP() << "PTWIN_TEST_MQTT_URL is not set: run under scripts/with_mosquitto.sh "
                      "(scripts/test.sh does)";
    }
    broker_ = parse_broker_url(url, "PTWIN_TEST_MQTT_URL");
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    unique_ = fmt::format("{}.{}-{}", test->test_suite_name(), test->name(), ::getpid());
    for (auto& c : unique_) {
      if (c == '/') c = '_';
    }
    prefix_ = "ptwin-test/" + unique_;
  }

  /// Subscribes to everything under the test's prefix at `qos`, with short backoffs.
  [[nodiscard]] SubscriberSettings settings(int qos) const {
    SubscriberSettings settings;
    settings.host = broker_.host;
    settings.port = broker_.port;
    settings.client_id = "sub-" + unique_;
    settings.subscriptions = {{prefix_ + "/#", qos}};
    settings.reconnect_delay_min = std::chrono::milliseconds{100};
    settings.reconnect_delay_max = std::chrono::milliseconds{400};
    settings.stop_timeout = std::chrono::seconds{5};
    return settings;
  }

  [[nodiscard]] TestPublisher publisher(std::string_view name = "pub") const {
    return TestPublisher(broker_.host, broker_.port, fmt::format("{}-{}", name, unique_));
  }

  [[nodiscard]] std::string topic(std::string_view leaf) const {
    return fmt::format("{}/{}", prefix_, leaf);
  }

  BrokerAddress broker_;
  std::string unique_;
  std::string prefix_;
  store::SqliteStore store_{":memory:"};
  time::ManualClock clock_{time::from_epoch_ms(kNowMs)};
};

}  // namespace ptwin::ingest::mqtt::testing
