# SPDX-License-Identifier: Apache-2.0
ptwin_add_test(server_dashboard_api_test LABEL integration
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/dashboard_api_test.cpp
  LIBS ptwin::server ptwin::store nlohmann_json::nlohmann_json fmt::fmt)
ptwin_add_test(server_dashboard_static_files_test LABEL integration
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/dashboard_static_files_test.cpp LIBS ptwin::server fmt::fmt)
# One alert policy for the dashboard and the EHR's DetectedIssues (docs/clinical.md#one-policy).
ptwin_add_test(server_shared_alert_episode_test LABEL integration
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/shared_alert_episode_test.cpp
  LIBS ptwin::server ptwin::store nlohmann_json::nlohmann_json fmt::fmt TIMEOUT 120)
