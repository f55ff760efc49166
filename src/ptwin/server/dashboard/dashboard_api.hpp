// SPDX-License-Identifier: Apache-2.0
#pragma once
// The dashboard's JSON API under /api/ (docs/dashboard.md#api): the patient resources
// (patient_routes.hpp), the alerts with their acknowledge and snooze actions, and the model
// banner. Reads are GET (or HEAD), actions POST; another method gets 405 with Allow. A bad query
// parameter is a 400 whose JSON body names it:
//   {"error": "...", "parameter": "since", "value": "yesterday", "rule": "..."}
// An unknown patient or alert is a 404, an action on an alert that is not open a 409.

#include <optional>

#include "ptwin/server/dashboard/dashboard_sources.hpp"
#include "ptwin/server/http/http_message.hpp"

namespace ptwin::server::dashboard {

/// The answer to a request whose path starts with /api/, or nullopt for any other path.
[[nodiscard]] std::optional<HttpResponse> answer_dashboard_api(const DashboardSources& sources,
                                                               const HttpRequest& request);

}  // namespace ptwin::server::dashboard
