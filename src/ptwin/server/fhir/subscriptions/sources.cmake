# SPDX-License-Identifier: Apache-2.0
# SubscriptionTopic criteria evaluation: which topics a resource interaction triggers and which
# Subscriptions it matches (docs/subscriptions.md). Delivery is not part of it.
list(APPEND server_sources
  fhir/subscriptions/compiled_subscription.cpp
  fhir/subscriptions/compiled_topic.cpp
  fhir/subscriptions/resource_change.cpp
  fhir/subscriptions/single_resource_criteria.cpp
  fhir/subscriptions/topic_registry.cpp
  fhir/subscriptions/topic_trigger.cpp
  fhir/subscriptions/detail/json_fields.cpp)
