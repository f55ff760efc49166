# SPDX-License-Identifier: Apache-2.0
# Receiving topic-based subscription notifications (R5): the notification Bundle reader and the
# receiver that checks event numbers, recovers gaps with $events and fetches id-only focuses.
list(APPEND ingest_sources
  fhir/notifications/notification_reader.cpp
  fhir/notifications/subscription_receiver.cpp
  fhir/notifications/twin_event_router.cpp)
