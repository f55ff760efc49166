# SPDX-License-Identifier: Apache-2.0
# Subscription notification Bundles as a receiver reads them, with the bad-input corpus
# tests/data/bad_inputs/subscription_notifications (docs/subscriptions.md#receiving).
ptwin_add_test(ingest_notification_reader_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/notification_reader_test.cpp
  LIBS ptwin::ingest)
# Received events routed into the twin's store (docs/subscriptions.md#into-the-twin).
ptwin_add_test(ingest_twin_event_router_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/twin_event_router_test.cpp
  LIBS ptwin::ingest ptwin::store fmt::fmt)
