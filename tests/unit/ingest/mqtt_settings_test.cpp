// SPDX-License-Identifier: Apache-2.0
// Settings of the MQTT biosensor subscriber: every broken rule names the setting and its value;
// broker URLs of the form mqtt://host[:port].
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/mqtt/subscriber_settings.hpp"

namespace ptwin::ingest::mqtt {
namespace {

SubscriberSettings valid_settings() {
  SubscriberSettings settings;
  settings.client_id = "ptwin-icu-1";
  settings.subscriptions = {{"icu/+/vitals", 1}, {"icu/+/waveforms/#", 0}};
  return settings;
}

// The message of the InputError that validate() throws after `change`.
std::string rejection(const std::function<void(SubscriberSettings&)>& change) {
  auto settings = valid_settings();
  change(settings);
  try {
    validate(settings);
  } catch (const InputError& error) {
    return error.what();
  }
  return "accepted";
}

void expect_contains(const std::string& message, std::string_view fragment) {
  EXPECT_NE(message.find(fragment), std::string::npos)
      << "'" << fragment << "' not in: " << message;
}

TEST(MqttSubscriberSettings, AcceptsTheDefaultsWithAClientIdAndTopics) {
  EXPECT_NO_THROW(validate(valid_settings()));
}

TEST(MqttSubscriberSettings, NamesTheBrokenSettingAndItsValue) {
  expect_contains(rejection([](auto& s) { s.client_id.clear(); }), "mqtt.client_id: ''");
  expect_contains(rejection([](auto& s) { s.client_id = "icu 1"; }), "mqtt.client_id: 'icu 1'");
  expect_contains(rejection([](auto& s) { s.port = 0; }), "mqtt.port: '0'");
  expect_contains(rejection([](auto& s) { s.host = ""; }), "mqtt.host: ''");
  expect_contains(rejection([](auto& s) { s.password = "secret"; }), "mqtt.username: ''");
  expect_contains(rejection([](auto& s) { s.keepalive = std::chrono::seconds{2}; }),
                  "mqtt.keepalive: '2 s'");
  expect_contains(rejection([](auto& s) { s.subscriptions.clear(); }), "mqtt.subscriptions: ''");
  expect_contains(rejection([](auto& s) { s.subscriptions[1].filter = "icu/#/vitals"; }),
                  "mqtt.subscriptions[1].filter: 'icu/#/vitals'");
  expect_contains(rejection([](auto& s) { s.subscriptions[0].filter = "icu/bed+/x"; }),
                  "mqtt.subscriptions[0].filter: 'icu/bed+/x'");
  expect_contains(rejection([](auto& s) { s.subscriptions[0].qos = 2; }),
                  "mqtt.subscriptions[0].qos: '2' must be 0 or 1");
  expect_contains(rejection([](auto& s) { s.subscriptions[1].filter = "icu/+/vitals"; }),
                  "mqtt.subscriptions[1].filter: 'icu/+/vitals' is listed twice");
  expect_contains(rejection([](auto& s) { s.queue_capacity = 0; }), "mqtt.queue_capacity: '0'");
  expect_contains(rejection([](auto& s) { s.max_batch_messages = 0; }),
                  "mqtt.max_batch_messages: '0'");
  expect_contains(
      rejection([](auto& s) { s.reconnect_delay_max = std::chrono::milliseconds{100}; }),
      "mqtt.reconnect_delay_max: '100 ms'");
  expect_contains(rejection([](auto& s) { s.payload.max_values = 0; }),
                  "mqtt.payload.max_values: '0'");
}

TEST(MqttSubscriberSettings, AnInboxNeedsAPathAndANonNegativeWindow) {
  expect_contains(rejection([](auto& s) { s.inbox = InboxSettings{}; }), "mqtt.inbox.path: ''");
  expect_contains(rejection([](auto& s) {
                    s.inbox = InboxSettings{.path = "inbox.db", .options = {}};
                    s.inbox->options.kept_done_messages = -1;
                  }),
                  "mqtt.inbox.options.kept_done_messages: '-1' must be >= 0");
  EXPECT_EQ(rejection([](auto& s) { s.inbox = InboxSettings{.path = "inbox.db", .options = {}}; }),
            "accepted");
}

TEST(MqttBrokerUrl, ReadsHostAndPort) {
  const auto address = parse_broker_url("mqtt://127.0.0.1:18830");
  EXPECT_EQ(address.host, "127.0.0.1");
  EXPECT_EQ(address.port, 18830);
  EXPECT_EQ(parse_broker_url("mqtt://broker.icu.example").port, 1883);
  const auto ipv6 = parse_broker_url("mqtt://[::1]:1884");
  EXPECT_EQ(ipv6.host, "::1");
  EXPECT_EQ(ipv6.port, 1884);
}

TEST(MqttBrokerUrl, RejectsWhatItCannotConnectTo) {
  for (const auto* url : {"mqtts://host", "tcp://host:1883", "mqtt://", "mqtt://host:0",
                          "mqtt://host:65536", "mqtt://host:", "mqtt://host:18x",
                          "mqtt://user:pw@host", "mqtt://host/path", "mqtt://[::1"}) {
    SCOPED_TRACE(url);
    try {
      (void)parse_broker_url(url, "PTWIN_TEST_MQTT_URL");
      ADD_FAILURE() << "accepted";
    } catch (const InputError& error) {
      expect_contains(error.what(), std::string("PTWIN_TEST_MQTT_URL: '") + url + "'");
    }
  }
}

}  // namespace
}  // namespace ptwin::ingest::mqtt
