// SPDX-License-Identifier: Apache-2.0
#pragma once
// The dashboard API's patient resources (docs/dashboard.md#api), as JSON in display units
// (mmHg, /min, L/min, dyn·s/cm⁵; times as integer milliseconds since the Unix epoch, UTC):
//   GET /api/patients                       every patient with a twin: risk, latest vitals
//   GET /api/patients/{id}/vitals           stored MAP, HR, CO and the twin's estimate + 90 % band
//   GET /api/patients/{id}/forecast         the 5- and 15-minute forecasts with 90 % intervals
//   GET /api/patients/{id}/parameters       the estimated SVR and CO over time, 90 % intervals
// Each throws InputError naming the query parameter for a bad one, and InputError(NotFound)
// naming "patient" for a patient without a twin.

#include <nlohmann/json.hpp>
#include <string_view>

#include "ptwin/server/dashboard/dashboard_sources.hpp"

namespace ptwin::server::dashboard {

/// Samples of one series returned at most (the newest are kept, and the series says it was cut).
inline constexpr std::size_t kMaxSeriesSamples = 20'000;

[[nodiscard]] nlohmann::json patients_json(const DashboardSources& sources, std::string_view query);
[[nodiscard]] nlohmann::json vitals_json(const DashboardSources& sources, std::string_view patient,
                                         std::string_view query);
[[nodiscard]] nlohmann::json forecast_json(const DashboardSources& sources,
                                           std::string_view patient, std::string_view query);
[[nodiscard]] nlohmann::json parameters_json(const DashboardSources& sources,
                                             std::string_view patient, std::string_view query);

}  // namespace ptwin::server::dashboard
