// SPDX-License-Identifier: Apache-2.0
#include "integration/ingest/mqtt_test_publisher.hpp"

#include <stdexcept>

#include <mosquitto.h>

namespace ptwin::ingest::mqtt::testing {

TestPublisher::TestPublisher(const std::string& host, int port, const std::string& client_id,
                             const std::optional<std::string>& username,
                             const std::optional<std::string>& password) {
  mosquitto_lib_init();
  client_ = mosquitto_new(client_id.c_str(), true, this);
  if (client_ == nullptr) throw std::runtime_error("test publisher: mosquitto_new failed");
  try {
    connect(host, port, username, password);
  } catch (const std::exception&) {
    release();  // the destructor does not run for a constructor that throws
    throw;
  }
}

void TestPublisher::connect(const std::string& host, int port,
                            const std::optional<std::string>& username,
                            const std::optional<std::string>& password) {
  if (username &&
      mosquitto_username_pw_set(client_, username->c_str(),
                                password ? password->c_str() : nullptr) != MOSQ_ERR_SUCCESS) {
    throw std::runtime_error("test publisher: credentials refused by libmosquitto");
  }
  mosquitto_connect_callback_set(client_, [](mosquitto*, void* self, int code) {
    auto* publisher = static_cast<TestPublisher*>(self);
    const std::lock_guard lock(publisher->mutex_);
    publisher->connect_result_ = code;
    publisher->changed_.notify_all();
  });
  mosquitto_publish_callback_set(client_, [](mosquitto*, void* self, int /*message_id*/) {
    auto* publisher = static_cast<TestPublisher*>(self);
    const std::lock_guard lock(publisher->mutex_);
    ++publisher->delivered_;
    publisher->changed_.notify_all();
  });
  if (mosquitto_connect(client_, host.c_str(), port, 30) != MOSQ_ERR_SUCCESS ||
      mosquitto_loop_start(client_) != MOSQ_ERR_SUCCESS) {
    throw std::runtime_error("test publisher: cannot connect to " + host + ":" +
                             std::to_string(port));
  }
  std::unique_lock lock(mutex_);
  if (!changed_.wait_for(lock, std::chrono::seconds{5}, [this] { return connect_result_ >= 0; }) ||
      connect_result_ != 0) {
    throw std::runtime_error("test publisher: the broker did not accept the connection");
  }
}

void TestPublisher::release() {
  mosquitto_disconnect(client_);
  mosquitto_loop_stop(client_, false);
  mosquitto_destroy(client_);
  client_ = nullptr;
}

TestPublisher::~TestPublisher() { release(); }

void TestPublisher::publish(const std::string& topic, std::string_view payload, int qos) {
  {
    const std::lock_guard lock(mutex_);
    ++published_;
  }
  const int code = mosquitto_publish(client_, nullptr, topic.c_str(),
                                     static_cast<int>(payload.size()), payload.data(), qos, false);
  if (code != MOSQ_ERR_SUCCESS) {
    throw std::runtime_error(std::string("test publisher: publish failed: ") +
                             mosquitto_strerror(code));
  }
}

void TestPublisher::wait_until_delivered(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!changed_.wait_for(lock, timeout, [this] { return delivered_ >= published_; })) {
    throw std::runtime_error("test publisher: " + std::to_string(published_ - delivered_) +
                             " messages not delivered to the broker in time");
  }
}

}  // namespace ptwin::ingest::mqtt::testing
