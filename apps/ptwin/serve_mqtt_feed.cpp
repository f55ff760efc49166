// SPDX-License-Identifier: Apache-2.0
// The MQTT feed of `ptwin serve`: a BiosensorSubscriber (docs/mqtt.md) whose
// stored messages go to the sample stream with their delivery time.
#include <fmt/format.h>

#include <filesystem>

#include "ptwin/ingest/mqtt/biosensor_subscriber.hpp"
#include "served_feed.hpp"

namespace ptwin::app {
namespace {

namespace mqtt = ingest::mqtt;

std::filesystem::path inbox_path(const FeedContext& context) {
  auto path = context.store_path;
  path += ".mqtt-inbox";
  return path;
}

mqtt::SubscriberSettings subscriber_settings(const MqttFeedConfig& config,
                                             const FeedContext& context) {
  mqtt::SubscriberSettings settings;
  settings.host = config.host;
  settings.port = config.port;
  settings.client_id = config.client_id;
  for (const auto& topic : config.topics) {
    settings.subscriptions.push_back({.filter = topic.filter, .qos = topic.qos});
  }
  settings.clock_tracking.is_correcting = config.clock_tracking == ClockTracking::Correct;
  // QoS 1 messages are durable before their PUBACK (docs/mqtt.md#durability).
  settings.inbox = mqtt::InboxSettings{.path = inbox_path(context), .options = {}};
  settings.on_stored = [&stream = context.stream,
                        &clock = context.clock](const mqtt::StoredMessage& message) {
    stream.publish({.feed = "mqtt",
                    .samples = message.samples,
                    .received_at = message.received_at,
                    .stored_at = clock.now()});
  };
  return settings;
}

class MqttFeed final : public ServedFeed {
 public:
  MqttFeed(const MqttFeedConfig& config, const FeedContext& context)
      : config_(config),
        inbox_(inbox_path(context)),
        subscriber_(subscriber_settings(config, context), context.store, context.clock) {
    subscriber_.start();
  }
  ~MqttFeed() override { subscriber_.stop(); }

  [[nodiscard]] std::string_view name() const override { return "mqtt"; }
  [[nodiscard]] std::string describe() const override {
    std::string topics;
    for (const auto& topic : config_.topics) {
      if (!topics.empty()) topics += ',';
      topics += fmt::format("{}(qos{})", topic.filter, topic.qos);
    }
    return fmt::format("broker mqtt://{}:{} client_id={} topics={} clock_tracking={} inbox={}",
                       config_.host, config_.port, config_.client_id, topics,
                       to_string(config_.clock_tracking), inbox_.string());
  }
  [[nodiscard]] FeedCounts counts() const override {
    const auto m = subscriber_.metrics();
    // A repeat (a redelivery of a message already taken) is stored: from its first copy.
    return {.received = m.received,
            .accepted = m.accepted + m.repeats,
            .quarantined = m.quarantined,
            .not_stored = m.dropped_qos0 + m.abandoned,
            .pending = m.pending,
            .samples_stored = m.samples_stored};
  }
  [[nodiscard]] nlohmann::json status() const override {
    const auto m = subscriber_.metrics();
    nlohmann::json clocks = nlohmann::json::object();
    for (const auto& [source, clock] : subscriber_.device_clocks()) {
      nlohmann::json entry{{"pairs_seen", clock.pairs_seen}, {"is_usable", clock.is_usable}};
      if (clock.model) {
        entry["offset_s"] = clock.model->offset_s;
        entry["drift"] = clock.model->drift;
        entry["median_residual_s"] = clock.median_residual_s;
      }
      clocks[source] = std::move(entry);
    }
    return {{"is_connected", m.is_connected},     {"is_subscribed", m.is_subscribed},
            {"connections", m.connections},       {"connection_losses", m.connection_losses},
            {"store_failures", m.store_failures}, {"device_clocks", std::move(clocks)},
            {"inbox", {{"path", inbox_.string()}, {"replayed", m.replayed}, {"repeats", m.repeats}}}};
  }
  void stop() override { subscriber_.stop(); }

 private:
  MqttFeedConfig config_;
  std::filesystem::path inbox_;
  mqtt::BiosensorSubscriber subscriber_;
};

}  // namespace

std::unique_ptr<ServedFeed> start_mqtt_feed(const MqttFeedConfig& config,
                                            const FeedContext& context) {
  return std::make_unique<MqttFeed>(config, context);
}

}  // namespace ptwin::app
