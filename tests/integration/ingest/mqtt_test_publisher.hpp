// SPDX-License-Identifier: Apache-2.0
#pragma once
// A plain libmosquitto publisher for the MQTT integration tests: connects to a broker on
// loopback, publishes raw payloads at QoS 0 or 1, and waits until the broker has them.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

struct mosquitto;

namespace ptwin::ingest::mqtt::testing {

class TestPublisher {
 public:
  /// Connects (clean session, with the credentials if given) and starts libmosquitto's network
  /// thread. Throws
  /// std::runtime_error when the broker does not accept the connection within 5 s.
  TestPublisher(const std::string& host, int port, const std::string& client_id,
                const std::optional<std::string>& username = std::nullopt,
                const std::optional<std::string>& password = std::nullopt);
  ~TestPublisher();
  TestPublisher(const TestPublisher&) = delete;
  TestPublisher& operator=(const TestPublisher&) = delete;
  TestPublisher(TestPublisher&&) = delete;
  TestPublisher& operator=(TestPublisher&&) = delete;

  /// Queues one message, payload byte for byte. Throws std::runtime_error on failure.
  void publish(const std::string& topic, std::string_view payload, int qos);

  /// Waits until every message published so far has left (QoS 0) or was acknowledged by the
  /// broker (QoS 1). Throws std::runtime_error after `timeout`.
  void wait_until_delivered(std::chrono::milliseconds timeout = std::chrono::seconds{10});

 private:
  void connect(const std::string& host, int port, const std::optional<std::string>& username,
               const std::optional<std::string>& password);
  void release();

  mosquitto* client_ = nullptr;
  std::mutex mutex_;
  std::condition_variable changed_;
  int connect_result_ = -1;  // CONNACK code; -1 until it arrives
  int published_ = 0;
  int delivered_ = 0;
};

}  // namespace ptwin::ingest::mqtt::testing
