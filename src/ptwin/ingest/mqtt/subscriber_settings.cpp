// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/mqtt/subscriber_settings.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include <fmt/format.h>
#include <mosquitto.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::mqtt {
namespace {

constexpr std::size_t kMaxClientIdLength = 128;
constexpr std::size_t kMaxQueueCapacity = 1'000'000;
constexpr std::chrono::milliseconds kMinStoreRetryDelay{50};

[[noreturn]] void fail(std::string_view field, std::string value, std::string rule) {
  throw InputError(ErrorCode::BadInput, fmt::format("mqtt.{}", field), std::move(value),
                   std::move(rule));
}

bool is_printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < '\x7f'; });
}

void validate_connection(const SubscriberSettings& settings) {
  if (settings.host.empty() || !is_printable_ascii(settings.host)) {
    fail("host", printable_value(settings.host), "must be a host name or address");
  }
  if (settings.port < 1 || settings.port > 65535) {
    fail("port", fmt::format("{}", settings.port), "must be 1 to 65535");
  }
  if (settings.client_id.empty()) {
    throw InputError(ErrorCode::MissingField, "mqtt.client_id", "",
                     "is required: the broker keeps the persistent session under it");
  }
  if (settings.client_id.size() > kMaxClientIdLength || !is_printable_ascii(settings.client_id)) {
    fail("client_id", printable_value(settings.client_id),
         "must be 1 to 128 printable ASCII characters without spaces");
  }
  if (settings.username && settings.username->empty()) {
    fail("username", "", "must not be empty when given");
  }
  if (settings.password && !settings.username) {
    throw InputError(ErrorCode::MissingField, "mqtt.username", "",
                     "is required with a password (MQTT 3.1.1 sends no password alone)");
  }
  if (settings.keepalive.count() < 5 || settings.keepalive.count() > 65535) {
    fail("keepalive", fmt::format("{} s", settings.keepalive.count()),
         "must be 5 to 65535 seconds");
  }
}

void validate_subscriptions(const SubscriberSettings& settings) {
  if (settings.subscriptions.empty()) {
    throw InputError(ErrorCode::MissingField, "mqtt.subscriptions", "",
                     "needs at least one topic filter");
  }
  std::set<std::string> filters;
  for (std::size_t i = 0; i < settings.subscriptions.size(); ++i) {
    const auto& subscription = settings.subscriptions[i];
    const auto field = fmt::format("subscriptions[{}]", i);
    if (subscription.filter.empty() ||
        mosquitto_validate_utf8(subscription.filter.c_str(),
                                static_cast<int>(subscription.filter.size())) != MOSQ_ERR_SUCCESS ||
        mosquitto_sub_topic_check(subscription.filter.c_str()) != MOSQ_ERR_SUCCESS) {
      fail(field + ".filter", printable_value(subscription.filter),
           "is not an MQTT topic filter (UTF-8; + and # only as whole levels, # last)");
    }
    if (subscription.qos != 0 && subscription.qos != 1) {
      fail(field + ".qos", fmt::format("{}", subscription.qos), "must be 0 or 1");
    }
    if (!filters.insert(subscription.filter).second) {
      fail(field + ".filter", printable_value(subscription.filter), "is listed twice");
    }
  }
}

void validate_queue_and_timing(const SubscriberSettings& settings) {
  if (settings.queue_capacity < 1 || settings.queue_capacity > kMaxQueueCapacity) {
    fail("queue_capacity", fmt::format("{}", settings.queue_capacity), "must be 1 to 1000000");
  }
  if (settings.max_batch_messages < 1 || settings.max_batch_messages > kMaxQueueCapacity) {
    fail("max_batch_messages", fmt::format("{}", settings.max_batch_messages),
         "must be 1 to 1000000");
  }
  if (settings.reconnect_delay_min.count() < 1) {
    fail("reconnect_delay_min", fmt::format("{} ms", settings.reconnect_delay_min.count()),
         "must be at least 1 ms");
  }
  if (settings.reconnect_delay_max < settings.reconnect_delay_min) {
    fail("reconnect_delay_max", fmt::format("{} ms", settings.reconnect_delay_max.count()),
         fmt::format("must be at least reconnect_delay_min ({} ms)",
                     settings.reconnect_delay_min.count()));
  }
  if (settings.store_retry_delay_max < kMinStoreRetryDelay) {
    fail("store_retry_delay_max", fmt::format("{} ms", settings.store_retry_delay_max.count()),
         "must be at least 50 ms");
  }
  if (settings.stop_timeout.count() < 0) {
    fail("stop_timeout", fmt::format("{} ms", settings.stop_timeout.count()),
         "must not be negative");
  }
}

void validate_inbox(const SubscriberSettings& settings) {
  if (!settings.inbox) return;
  if (settings.inbox->path.empty()) {
    fail("inbox.path", "", "is required: the SQLite file of the durable inbox");
  }
  if (settings.inbox->options.kept_done_messages < 0) {
    fail("inbox.options.kept_done_messages",
         fmt::format("{}", settings.inbox->options.kept_done_messages), "must be >= 0");
  }
}

}  // namespace

void validate(const SubscriberSettings& settings) {
  validate_connection(settings);
  validate_subscriptions(settings);
  validate_queue_and_timing(settings);
  validate_inbox(settings);
  validate(settings.payload, "mqtt.payload");
  clock::validate(settings.clock_tracking, "mqtt.clock_tracking");
}

BrokerAddress parse_broker_url(std::string_view url, std::string_view where) {
  const auto bad = [&](std::string_view rule) {
    throw InputError(ErrorCode::BadInput, std::string(where), printable_value(url),
                     std::string(rule));
  };
  constexpr std::string_view kScheme = "mqtt://";
  if (!url.starts_with(kScheme)) bad("must start with mqtt:// (mqtts:// is not supported yet)");
  auto rest = url.substr(kScheme.size());
  if (rest.find_first_of("/?#@") != std::string_view::npos) {
    bad("must be mqtt://host[:port], without user, path or query");
  }
  BrokerAddress address;
  std::string_view port_text;
  if (rest.starts_with('[')) {  // IPv6 literal, RFC 3986 §3.2.2
    const auto close = rest.find(']');
    if (close == std::string_view::npos) bad("has an IPv6 address without its closing ]");
    address.host = std::string(rest.substr(1, close - 1));
    rest.remove_prefix(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) bad("must have :port after the IPv6 address");
    if (!rest.empty()) port_text = rest.substr(1);
  } else {
    const auto colon = rest.find(':');
    address.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port_text = rest.substr(colon + 1);
  }
  if (address.host.empty() || !is_printable_ascii(address.host)) bad("must name a host");
  if (!port_text.empty() || rest.ends_with(':')) {
    int port = 0;
    const auto* end = port_text.data() + port_text.size();
    const auto [next, error] = std::from_chars(port_text.data(), end, port);
    if (error != std::errc() || next != end || port < 1 || port > 65535) {
      bad("must have a port from 1 to 65535");
    }
    address.port = port;
  }
  return address;
}

}  // namespace ptwin::ingest::mqtt
