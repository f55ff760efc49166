// SPDX-License-Identifier: Apache-2.0
#pragma once
// A SubscriptionTopic (R5 subscriptiontopic.html) read once into what evaluation needs: its
// canonical url, whether it is active, its resource triggers (topic_trigger.hpp) and the filters
// subscriptions may use (canFilterBy).
//
// eventTrigger (an event such as HL7v2 ADT^A01) cannot be recognised from a resource being
// written: such triggers are checked and counted, never fire from resource interactions, and
// are listed in the topic's notes so that nobody mistakes them for working ones.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/server/fhir/subscriptions/single_resource_criteria.hpp"
#include "ptwin/server/fhir/subscriptions/topic_trigger.hpp"

namespace ptwin::server::fhir::subscriptions {

/// SubscriptionTopic.canFilterBy: a filter that subscriptions on the topic may use.
struct FilterPermission {
  /// canFilterBy.resource as a type name; nullopt: the filter is not tied to one type.
  std::optional<std::string> resource_type{};
  std::string parameter{};                 // filterParameter, a search parameter code
  std::vector<std::string> comparators{};  // allowed comparators; none listed: none allowed
  std::vector<std::string> modifiers{};    // allowed modifiers; none listed: none allowed
};

struct CompiledTopic {
  std::string url{};
  std::optional<std::string> version{};
  std::string status{};  // draft | active | retired | unknown
  /// Only an active topic fires (a draft is being written, a retired one withdrawn).
  bool is_active = false;
  std::vector<ResourceTrigger> triggers{};
  std::size_t event_trigger_count = 0;
  std::vector<FilterPermission> can_filter_by{};
  /// What the topic will not do, in words, for the caller to show or log once: inactive status,
  /// event triggers, a previous/current test whose resultForCreate/resultForDelete is not given.
  std::vector<std::string> notes{};

  /// The distinct resource types of the triggers, in order.
  [[nodiscard]] std::vector<std::string> resource_types() const;
};

/// Reads and checks `topic` (resourceType SubscriptionTopic): url and status are required,
/// codes must come from their required value sets, every resource trigger compiles
/// (compile_trigger), every eventTrigger names a resource type and has an event, every
/// canFilterBy has a filterParameter. Throws InputError(BadInput) whose where() starts with
/// "SubscriptionTopic '<url>'" and names the element, with the offending value.
[[nodiscard]] CompiledTopic compile_topic(const nlohmann::json& topic,
                                          const CompileContext& context);

}  // namespace ptwin::server::fhir::subscriptions
