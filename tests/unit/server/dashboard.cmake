# SPDX-License-Identifier: Apache-2.0
ptwin_add_test(server_dashboard_alert_board_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/dashboard_alert_board_test.cpp LIBS ptwin::server)
ptwin_add_test(server_dashboard_api_query_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/dashboard_api_query_test.cpp LIBS ptwin::server)
