// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/subscriptions/subscription_channel.hpp"

#include <fmt/format.h>

#include <cctype>

#include "ptwin/core/error.hpp"
#include "ptwin/server/fhir/subscriptions/detail/json_fields.hpp"

namespace ptwin::server::fhir::subscriptions {
namespace {

[[noreturn]] void refuse(const std::string& where, std::string_view element, std::string value,
                         std::string rule) {
  throw InputError(ErrorCode::BadInput, fmt::format("{}.{}", where, element), std::move(value),
                   std::move(rule));
}

// An HTTP field name is a token (RFC 9110 5.1); a value has no CR, LF or NUL (5.5).
bool is_header_name(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    const bool is_token = std::isalnum(u) != 0 ||
                          std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!is_token) return false;
  }
  return true;
}

bool is_header_value(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

std::optional<std::int64_t> non_negative(const nlohmann::json& subscription, std::string_view key,
                                         const std::string& where) {
  const nlohmann::json* value = detail::member(subscription, key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number_integer() || value->get<std::int64_t>() < 0) {
    refuse(where, key, value->dump(), "must be a non-negative integer (seconds)");
  }
  return value->get<std::int64_t>();
}

void read_parameters(const nlohmann::json& subscription, const std::string& where,
                     SubscriptionChannel& channel) {
  for (const nlohmann::json* parameter :
       detail::object_list(subscription, "parameter", where + ".parameter")) {
    const std::string name = detail::required_string(*parameter, "name", where + ".parameter");
    const std::string value = detail::required_string(*parameter, "value", where + ".parameter");
    if (!is_header_name(name)) {
      refuse(where, "parameter.name", detail::shown(name), "must be an HTTP header name (a token)");
    }
    if (!is_header_value(value)) {
      refuse(where, "parameter.value", "(withheld)", "must not contain CR, LF or NUL");
    }
    channel.headers.emplace_back(name, value);
  }
}

}  // namespace

std::string_view to_string(PayloadContent content) {
  switch (content) {
    case PayloadContent::Empty:
      return "empty";
    case PayloadContent::IdOnly:
      return "id-only";
    case PayloadContent::FullResource:
      return "full-resource";
  }
  return "id-only";
}

std::optional<PayloadContent> payload_content_from_code(std::string_view code) {
  if (code == "empty") return PayloadContent::Empty;
  if (code == "id-only") return PayloadContent::IdOnly;
  if (code == "full-resource") return PayloadContent::FullResource;
  return std::nullopt;
}

SubscriptionChannel read_channel(const nlohmann::json& subscription) {
  detail::require_resource_type(subscription, "Subscription");
  const std::string where =
      fmt::format("Subscription '{}'", subscription.value("id", std::string("(no id)")));
  SubscriptionChannel channel;
  const nlohmann::json* type = detail::member(subscription, "channelType");
  if (type == nullptr || !type->is_object())
    refuse(where, "channelType", "", "is required (a Coding)");
  const std::string code = detail::required_string(*type, "code", where + ".channelType");
  if (code == "rest-hook") {
    channel.type = ChannelType::RestHook;
  } else if (code == "websocket") {
    channel.type = ChannelType::Websocket;
  } else {
    refuse(where, "channelType.code", detail::shown(code),
           "is not served here; use rest-hook or websocket");
  }
  if (const auto endpoint = detail::optional_string(subscription, "endpoint", where)) {
    channel.endpoint = *endpoint;
  }
  if (channel.type == ChannelType::RestHook && !channel.endpoint.starts_with("http://") &&
      !channel.endpoint.starts_with("https://")) {
    refuse(where, "endpoint", detail::shown(channel.endpoint),
           "a rest-hook needs an http:// or https:// endpoint");
  }
  read_parameters(subscription, where, channel);
  if (const auto period = non_negative(subscription, "heartbeatPeriod", where);
      period && *period > 0) {
    channel.heartbeat_period = std::chrono::seconds(*period);
  }
  if (const auto timeout = non_negative(subscription, "timeout", where); timeout && *timeout > 0) {
    channel.timeout = std::chrono::seconds(*timeout);
  }
  if (const auto content = detail::optional_string(subscription, "content", where)) {
    const auto parsed = payload_content_from_code(*content);
    if (!parsed) {
      refuse(where, "content", detail::shown(*content), "must be empty, id-only or full-resource");
    }
    channel.content = *parsed;
  }
  if (const nlohmann::json* max_count = detail::member(subscription, "maxCount")) {
    if (!max_count->is_number_integer() || max_count->get<std::int64_t>() < 1) {
      refuse(where, "maxCount", max_count->dump(), "must be a positive integer");
    }
    channel.max_count = max_count->get<std::int64_t>();
  }
  return channel;
}

}  // namespace ptwin::server::fhir::subscriptions
