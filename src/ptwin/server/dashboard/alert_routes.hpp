// SPDX-License-Identifier: Apache-2.0
#pragma once
// The dashboard API's alerts (docs/dashboard.md#alerts):
//   GET  /api/alerts[?patient=&state=open|snoozed|cleared]   the episodes, newest first
//   POST /api/alerts/{id}/acknowledge[?by=]                   acknowledge: snoozed for the rule's
//   POST /api/alerts/{id}/snooze?minutes=N[&by=]              time, or for N minutes (1..1440)

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "ptwin/server/dashboard/dashboard_sources.hpp"
#include "ptwin/server/http/http_message.hpp"

namespace ptwin::server::dashboard {

[[nodiscard]] nlohmann::json alert_json(const RiskAlert& alert);
[[nodiscard]] nlohmann::json alerts_json(const DashboardSources& sources, std::string_view query);
/// `action` is "acknowledge" or "snooze"; answers 200 with the alert, 404, 409 or 400.
[[nodiscard]] HttpResponse act_on_alert(const DashboardSources& sources, std::string_view id_text,
                                        std::string_view action, const HttpRequest& request);

}  // namespace ptwin::server::dashboard
