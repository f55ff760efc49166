// SPDX-License-Identifier: Apache-2.0
#pragma once
// Settings of a BiosensorSubscriber: the broker, the session, the topics, and the queue between
// the network thread and the store writer (docs/mqtt.md#settings).

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/ingest/clock/source_clock_tracker.hpp"
#include "ptwin/ingest/mqtt/payload_parser.hpp"
#include "ptwin/store/message_inbox.hpp"

namespace ptwin::ingest::mqtt {

/// One topic filter (MQTT wildcards + and # allowed) and the QoS asked for it: 0 or 1.
/// QoS 2 is refused: its exactly-once handshake buys nothing over QoS 1 here, because the
/// store does not deduplicate samples anyway (docs/store.md).
struct TopicSubscription {
  std::string filter;
  int qos = 1;
};

/// What the network thread does with a QoS 0 message when the queue is full. QoS 1 messages
/// always wait for room: they are never dropped.
enum class Qos0Overflow {
  Wait,  // wait for room like QoS 1 (default: nothing is dropped)
  Drop,  // drop it, count it in dropped_qos0 and log the count (warn)
};

/// One message whose samples are now in the store, and when the broker delivered it.
struct StoredMessage {
  std::span<const Sample> samples;  // as stored (clock-corrected when correcting)
  time::Instant received_at{};
};

/// Called on the writer thread after each message's samples are stored: where later stages
/// attach (latency metrics, the twin's update). It runs before the next batch is written, so
/// keep it short. An exception it throws is logged (error) and counted in
/// SubscriberMetrics::observer_failures; the message stays stored and counted as accepted.
using StoredMessageObserver = std::function<void(const StoredMessage&)>;

/// The durable inbox of QoS 1 messages (docs/mqtt.md#durability): each one is written to this
/// SQLite file before the callback returns, so before its PUBACK leaves, and marked done once
/// stored. Messages left unfinished by a crash are stored at the next start.
struct InboxSettings {
  std::filesystem::path path;  // required; created if absent
  store::MessageInboxOptions options;
};

struct SubscriberSettings {
  std::string host = "127.0.0.1";
  int port = 1883;
  /// Required: the broker keeps a persistent session (subscriptions, QoS 1 messages queued
  /// while ptwin is away) under this id. Two clients with the same id take it from each other.
  std::string client_id;
  std::optional<std::string> username;
  std::optional<std::string> password;  // sent only with a username (MQTT 3.1.1 §3.1.2.9)
  /// Longest silence before the broker drops the connection is 1.5 times this. The network
  /// thread sends no PINGREQ while it waits for room in the queue: make it longer than the
  /// longest store stall you expect, or the broker will reconnect you and redeliver.
  std::chrono::seconds keepalive{60};
  /// false (default): a persistent session, so that QoS 1 messages published while ptwin is
  /// disconnected are kept by the broker and delivered on reconnection.
  bool is_clean_session = false;
  std::vector<TopicSubscription> subscriptions;

  /// Messages between the network thread and the writer; when full, the network thread stops
  /// reading the socket (see Qos0Overflow) and the broker buffers.
  std::size_t queue_capacity = 1000;
  /// Most messages persisted in one batch (one append_samples transaction).
  std::size_t max_batch_messages = 200;
  Qos0Overflow qos0_overflow = Qos0Overflow::Wait;

  /// Reconnection backoff: the first retry after reconnect_delay_min, each next one after
  /// twice the previous delay, at most reconnect_delay_max; back to the minimum once connected.
  std::chrono::milliseconds reconnect_delay_min{500};
  std::chrono::milliseconds reconnect_delay_max{30'000};
  /// Backoff between retries of a batch the store refused with StoreFailure (from 50 ms).
  std::chrono::milliseconds store_retry_delay_max{5'000};
  /// How long stop() keeps trying to store what was received before it gives up on it.
  std::chrono::milliseconds stop_timeout{10'000};

  PayloadRules payload;
  /// Each device's clock against the broker's delivery times (docs/mqtt.md#device-clocks):
  /// estimated by default, time stamps corrected only with is_correcting.
  clock::ClockTrackingSettings clock_tracking;
  /// Optional: see StoredMessageObserver.
  StoredMessageObserver on_stored;
  /// Optional, and recommended for QoS 1: without it, a QoS 1 message is acknowledged once it
  /// is in the queue, and a crash loses what was queued (docs/mqtt.md#durability).
  std::optional<InboxSettings> inbox;
};

/// Checks every setting; throws InputError naming it (`mqtt.client_id`, `mqtt.subscriptions[1]
/// .qos`, ...) with its value and the rule. Topic filters are checked with libmosquitto's own
/// filter syntax check.
void validate(const SubscriberSettings& settings);

/// Host and port of an `mqtt://host[:port]` URL (port 1883 when absent), e.g. the value of
/// PTWIN_TEST_MQTT_URL. Throws InputError(BadInput) naming `where` for another scheme, a
/// user-info part, a path, or a port outside 1-65535. TLS (`mqtts://`) is not supported yet.
struct BrokerAddress {
  std::string host;
  int port = 1883;
};
[[nodiscard]] BrokerAddress parse_broker_url(std::string_view url,
                                             std::string_view where = "mqtt url");

}  // namespace ptwin::ingest::mqtt
