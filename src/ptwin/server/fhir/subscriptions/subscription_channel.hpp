// SPDX-License-Identifier: Apache-2.0
#pragma once
// How a Subscription wants its notifications (R5 subscription.html): the channel, the
// endpoint, the headers (Subscription.parameter: "name: value" HTTP headers for rest-hook),
// the heartbeat period, the timeout, the payload content and the batch size (maxCount).

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ptwin::server::fhir::subscriptions {

enum class ChannelType { RestHook, Websocket };
/// Subscription.content (subscription-payload-content).
enum class PayloadContent { Empty, IdOnly, FullResource };

[[nodiscard]] std::string_view to_string(PayloadContent content);
/// nullopt for a code outside the value set.
[[nodiscard]] std::optional<PayloadContent> payload_content_from_code(std::string_view code);

struct SubscriptionChannel {
  ChannelType type = ChannelType::RestHook;
  std::string endpoint{};  // rest-hook: the http(s) URL notifications are POSTed to
  std::vector<std::pair<std::string, std::string>> headers{};  // Subscription.parameter
  /// Subscription.heartbeatPeriod: a heartbeat after this long without a notification.
  std::optional<std::chrono::seconds> heartbeat_period{};
  /// Subscription.timeout: the longest one delivery may take.
  std::optional<std::chrono::seconds> timeout{};
  /// Subscription.content; absent reads as id-only, which never puts resource contents on the
  /// wire unasked (docs/subscriptions.md#delivery).
  PayloadContent content = PayloadContent::IdOnly;
  std::int64_t max_count = 1;  // Subscription.maxCount, events per notification (default 1)
};

/// Reads the channel of `subscription`. Throws InputError(BadInput) naming
/// "Subscription '<id>'" and the element: a channelType other than rest-hook or websocket (the
/// channels served), a rest-hook without an http(s) endpoint, a parameter without a name or
/// value or whose name or value cannot be an HTTP header, a content code outside the value
/// set, a maxCount below 1, a negative heartbeatPeriod or timeout.
[[nodiscard]] SubscriptionChannel read_channel(const nlohmann::json& subscription);

}  // namespace ptwin::server::fhir::subscriptions
