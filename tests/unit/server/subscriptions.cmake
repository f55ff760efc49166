# SPDX-License-Identifier: Apache-2.0
# SubscriptionTopic criteria evaluation on official R5 examples (PTWIN_FHIR_PACKAGE_DIR).
ptwin_add_test(server_subscriptions_test LABEL unit
  SOURCES subscriptions_official_topics_test.cpp subscriptions_trigger_test.cpp
          subscriptions_filter_test.cpp subscriptions_registry_test.cpp
          subscriptions_notification_test.cpp
  LIBS ptwin::server ptwin::ingest ptwin::store nlohmann_json::nlohmann_json fmt::fmt
       Threads::Threads)
