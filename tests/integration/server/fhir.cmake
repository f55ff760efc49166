# SPDX-License-Identifier: Apache-2.0
# The FHIR facade over real HTTP, on SQLite and (with PTWIN_TEST_POSTGRES_URL) PostgreSQL.
find_package(CURL REQUIRED)
ptwin_add_test(server_fhir_facade_test LABEL integration
  SOURCES fhir_facade_crud_test.cpp fhir_facade_search_test.cpp fhir_facade_bundle_test.cpp
          fhir_facade_errors_test.cpp
  LIBS ptwin::server ptwin::store ptwin::ingest CURL::libcurl PkgConfig::LIBPQ
       nlohmann_json::nlohmann_json fmt::fmt Threads::Threads)
# Topic-based subscriptions: outbox, rest-hook delivery, $status/$events (docs/subscriptions.md).
ptwin_add_test(server_subscriptions_delivery_test LABEL integration
  SOURCES subscriptions_delivery_test.cpp subscriptions_websocket_test.cpp
          subscriptions_outbox_lifecycle_test.cpp
          ${PROJECT_SOURCE_DIR}/tests/support/http_test_server.cpp
  LIBS ptwin::server ptwin::store ptwin::ingest CURL::libcurl PkgConfig::LIBPQ
       nlohmann_json::nlohmann_json fmt::fmt Threads::Threads Boost::headers)
# ptwin as subscriber of a FHIR server's subscription: gap recovery, id-only fetch, quarantine.
ptwin_add_test(server_subscription_receiver_test LABEL integration
  SOURCES subscription_receiver_test.cpp subscription_catch_up_test.cpp
          ${PROJECT_SOURCE_DIR}/tests/support/http_test_server.cpp
  LIBS ptwin::server ptwin::store ptwin::ingest CURL::libcurl PkgConfig::LIBPQ
       nlohmann_json::nlohmann_json fmt::fmt Threads::Threads)
