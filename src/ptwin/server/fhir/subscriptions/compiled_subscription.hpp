// SPDX-License-Identifier: Apache-2.0
#pragma once
// A Subscription (R5 subscription.html) read against the topic it names: its status, its end,
// and its filterBy entries, each turned into one search criterion on the topic's resource.
//
// A filter `{filterParameter: "date", comparator: "ge", value: "2024-05-01"}` is the search
// criterion `date=ge2024-05-01`; `{filterParameter: "status", modifier: "not", value: "x"}` is
// `status:not=x`. It must be allowed by a canFilterBy of the topic with the same parameter (and
// resource, when both name one), and its comparator, modifier, or a prefix written in the value
// must be listed there. Filters are ANDed; a filter on another resource type than the focus of
// a notification does not apply to it (subscription.html: "all the conditions applicable to
// that resource").

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/core/time.hpp"
#include "ptwin/server/fhir/subscriptions/compiled_topic.hpp"
#include "ptwin/server/fhir/subscriptions/resource_change.hpp"
#include "ptwin/server/fhir/subscriptions/single_resource_criteria.hpp"
#include "ptwin/store/fhir/search_query.hpp"

namespace ptwin::server::fhir::subscriptions {

struct SubscriptionFilter {
  std::string resource_type{};  // the type whose resources the filter tests
  store::fhir::Criterion criterion{};
};

struct CompiledSubscription {
  std::string id{};
  std::string topic_url{};
  std::string status{};  // requested | active | error | off | entered-in-error
  /// Only an active or error subscription is matched: the server activates a requested one
  /// after its handshake; an error one (its endpoint failing) still collects events, kept in
  /// the outbox until delivered; off and entered-in-error ones receive nothing.
  bool is_active = false;
  /// Subscription.end: not matched from this instant on.
  std::optional<time::Instant> end{};
  std::vector<SubscriptionFilter> filters{};
};

/// Subscription.topic split at '|': the topic url and the version it asks for, if any.
struct TopicCanonical {
  std::string url{};
  std::optional<std::string> version{};
};

/// Checks resourceType and id and reads Subscription.topic. Throws InputError(BadInput) naming
/// the element.
[[nodiscard]] TopicCanonical topic_canonical_of(const nlohmann::json& subscription);

/// Reads and checks `subscription` against `topic`, the topic its canonical names: url equal,
/// version equal when the canonical has one; status and the filters' codes from their value
/// sets; at most one of comparator and modifier per filter (scr-1); every filter allowed by the
/// topic's canFilterBy and parsed as a single-resource criterion. Throws InputError(BadInput)
/// whose where() starts with "Subscription '<id>'" and names the element and the offending
/// value (the canonical, the filter parameter, comparator, modifier or value).
[[nodiscard]] CompiledSubscription compile_subscription(const nlohmann::json& subscription,
                                                        const CompiledTopic& topic,
                                                        const CompileContext& context);

/// Is `subscription` notified of `change`, which triggered its topic? It must be active, not
/// past its end at `now`, and every filter on the change's type must match the focus version
/// (its index, as a search would see it). Throws InputError from store::fhir::matches().
[[nodiscard]] bool accepts(const CompiledSubscription& subscription, const ResourceChange& change,
                           time::Instant now);

}  // namespace ptwin::server::fhir::subscriptions
