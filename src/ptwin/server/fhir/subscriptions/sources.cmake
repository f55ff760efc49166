# SPDX-License-Identifier: Apache-2.0
# Topic-based subscriptions (docs/subscriptions.md): criteria evaluation, the event outbox
# recorder, notification Bundles, rest-hook delivery, and the $status / $events operations.
list(APPEND server_sources
  fhir/subscriptions/compiled_subscription.cpp
  fhir/subscriptions/compiled_topic.cpp
  fhir/subscriptions/resource_change.cpp
  fhir/subscriptions/single_resource_criteria.cpp
  fhir/subscriptions/topic_registry.cpp
  fhir/subscriptions/topic_trigger.cpp
  fhir/subscriptions/detail/json_fields.cpp
  fhir/subscriptions/notification_bundle.cpp
  fhir/subscriptions/notification_endpoint.cpp
  fhir/subscriptions/rest_hook_delivery.cpp
  fhir/subscriptions/rest_hook_sender.cpp
  fhir/subscriptions/subscription_channel.cpp
  fhir/subscriptions/subscription_operations.cpp
  fhir/subscriptions/subscription_recorder.cpp
  fhir/subscriptions/websocket_channel.cpp)
list(APPEND server_private_libs CURL::libcurl)
