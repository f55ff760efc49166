// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/mqtt/biosensor_publisher.hpp"

#include <fmt/format.h>
#include <mosquitto.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::mqtt {

BiosensorPublisher::BiosensorPublisher(const PublisherSettings& settings)
    : broker_(fmt::format("{}:{}", settings.host, settings.port)),
      handle_(settings.client_id, /*is_clean_session=*/true, this) {
  mosquitto* client = handle_.get();
  if (settings.username &&
      mosquitto_username_pw_set(client, settings.username->c_str(),
                                settings.password ? settings.password->c_str() : nullptr) !=
          MOSQ_ERR_SUCCESS) {
    throw Error(ErrorCode::BadInput, "MQTT publisher: libmosquitto refused the credentials");
  }
  mosquitto_connect_callback_set(client, [](mosquitto*, void* self, int code) {
    static_cast<BiosensorPublisher*>(self)->on_connect(code);
  });
  mosquitto_publish_callback_set(client, [](mosquitto*, void* self, int /*message_id*/) {
    static_cast<BiosensorPublisher*>(self)->on_publish();
  });
  const int keepalive = static_cast<int>(settings.keepalive.count());
  if (const int code = mosquitto_connect(client, settings.host.c_str(), settings.port, keepalive);
      code != MOSQ_ERR_SUCCESS) {
    throw Error(ErrorCode::RemoteServer,
                fmt::format("MQTT publisher: cannot connect to broker {}: {}", broker_,
                            detail::describe_mosquitto_error(code)));
  }
  if (const int code = mosquitto_loop_start(client); code != MOSQ_ERR_SUCCESS) {
    throw Error(ErrorCode::Internal, fmt::format("MQTT publisher: network thread did not start: {}",
                                                 detail::describe_mosquitto_error(code)));
  }
  std::unique_lock lock(mutex_);
  const bool answered =
      changed_.wait_for(lock, settings.connect_timeout, [this] { return connect_result_ >= 0; });
  if (!answered || connect_result_ != 0) {
    const int result = connect_result_;
    lock.unlock();
    mosquitto_disconnect(client);
    mosquitto_loop_stop(client, true);
    throw Error(ErrorCode::RemoteServer,
                answered ? fmt::format("MQTT publisher: broker {} refused the connection: {}",
                                       broker_, mosquitto_connack_string(result))
                         : fmt::format("MQTT publisher: broker {} did not answer within {} ms; "
                                       "check that it runs and listens there",
                                       broker_, settings.connect_timeout.count()));
  }
}

BiosensorPublisher::~BiosensorPublisher() {
  mosquitto_disconnect(handle_.get());
  mosquitto_loop_stop(handle_.get(), false);
}

void BiosensorPublisher::on_connect(int code) {
  const std::lock_guard lock(mutex_);
  connect_result_ = code;
  changed_.notify_all();
}

void BiosensorPublisher::on_publish() {
  const std::lock_guard lock(mutex_);
  ++delivered_;
  changed_.notify_all();
}

void BiosensorPublisher::publish(const std::string& topic, std::string_view payload, int qos) {
  if (qos != 0 && qos != 1) {
    throw Error(ErrorCode::BadInput, fmt::format("MQTT publisher: qos {} for topic '{}' must be "
                                                 "0 or 1", qos, printable_value(topic)));
  }
  {
    const std::lock_guard lock(mutex_);
    ++published_;
  }
  const int code = mosquitto_publish(handle_.get(), nullptr, topic.c_str(),
                                     static_cast<int>(payload.size()), payload.data(), qos, false);
  if (code != MOSQ_ERR_SUCCESS) {
    {
      const std::lock_guard lock(mutex_);
      --published_;
    }
    throw Error(ErrorCode::RemoteServer,
                fmt::format("MQTT publisher: publish to '{}' on {} failed: {}",
                            printable_value(topic), broker_, detail::describe_mosquitto_error(code)));
  }
}

void BiosensorPublisher::wait_until_delivered(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!changed_.wait_for(lock, timeout, [this] { return delivered_ >= published_; })) {
    throw Error(ErrorCode::RemoteServer,
                fmt::format("MQTT publisher: {} of {} messages not acknowledged by broker {} "
                            "within {} ms",
                            published_ - delivered_, published_, broker_, timeout.count()));
  }
}

std::uint64_t BiosensorPublisher::published() const {
  const std::lock_guard lock(mutex_);
  return published_;
}

std::uint64_t BiosensorPublisher::delivered() const {
  const std::lock_guard lock(mutex_);
  return delivered_;
}

}  // namespace ptwin::ingest::mqtt
