// SPDX-License-Identifier: Apache-2.0
#pragma once
// The device side of the MQTT biosensor feed: a libmosquitto publisher that sends payloads
// (docs/mqtt.md#payload) at QoS 0 or 1 and can wait until the broker has every one of them.
// Used by `ptwin load-test` to drive a running `ptwin serve` through a real broker, and by
// anything else that plays a monitor (replays, simulators).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "ptwin/ingest/mqtt/detail/mosquitto_handle.hpp"

namespace ptwin::ingest::mqtt {

struct PublisherSettings {
  std::string host = "127.0.0.1";
  int port = 1883;
  std::string client_id;  // 1-64 characters; the broker refuses a duplicate connection
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::chrono::seconds keepalive{30};
  std::chrono::milliseconds connect_timeout{5000};
};

class BiosensorPublisher {
 public:
  /// Connects (clean session) and starts libmosquitto's network thread. Throws Error
  /// (Unavailable) naming the broker when it does not accept the connection in time.
  explicit BiosensorPublisher(const PublisherSettings& settings);
  ~BiosensorPublisher();
  BiosensorPublisher(const BiosensorPublisher&) = delete;
  BiosensorPublisher& operator=(const BiosensorPublisher&) = delete;
  BiosensorPublisher(BiosensorPublisher&&) = delete;
  BiosensorPublisher& operator=(BiosensorPublisher&&) = delete;

  /// Queues one message, payload byte for byte, at QoS 0 or 1. Throws Error naming the topic
  /// when libmosquitto refuses it (not connected, payload too large).
  void publish(const std::string& topic, std::string_view payload, int qos);

  /// Waits until every message published so far has left (QoS 0) or was acknowledged by the
  /// broker (QoS 1). Throws Error(Timeout) with the count still outstanding after `timeout`.
  void wait_until_delivered(std::chrono::milliseconds timeout);

  [[nodiscard]] std::uint64_t published() const;
  [[nodiscard]] std::uint64_t delivered() const;

 private:
  void on_connect(int code);
  void on_publish();

  std::string broker_;  // host:port, for messages
  detail::MosquittoHandle handle_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  int connect_result_ = -1;  // CONNACK code; -1 until it arrives
  std::uint64_t published_ = 0;
  std::uint64_t delivered_ = 0;
};

}  // namespace ptwin::ingest::mqtt
