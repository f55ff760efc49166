# SPDX-License-Identifier: Apache-2.0
# The web dashboard: its JSON API, the twin-risk alerts it lists, and its built assets
# (docs/dashboard.md).
list(APPEND server_sources
  dashboard/alert_routes.cpp
  dashboard/api_query.cpp
  dashboard/dashboard_api.cpp
  dashboard/model_info.cpp
  dashboard/patient_routes.cpp
  dashboard/static_files.cpp)
list(APPEND server_public_libs ptwin::twin ptwin::clinical nlohmann_json::nlohmann_json)
