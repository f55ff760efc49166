// SPDX-License-Identifier: Apache-2.0
#pragma once
// The HTTP side of Bulk Data $export (FHIR Bulk Data Access IG v2) in the FHIR facade:
//   GET    [base]/$export, [base]/Patient/$export,   kick-off (Prefer: respond-async) -> 202;
//          [base]/Group/[id]/$export                 POST with a Parameters body likewise
//   GET    [base]/$export-status/<job>               202 + X-Progress + Retry-After, or 200 +
//                                                     the JSON manifest, or 500 + outcome
//   DELETE [base]/$export-status/<job>               cancel (or clean up) -> 202
//   GET    [base]/$export-file/<job>/<file>          application/fhir+ndjson
// The facade routes these paths here before its own Accept check, since the status and file
// answers are not FHIR JSON resources.

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/server/fhir/bulk/bulk_exporter.hpp"
#include "ptwin/server/http/http_message.hpp"

namespace ptwin::server::fhir::bulk {

/// Whether the path (segments after the FHIR base) is one of the routes above.
[[nodiscard]] bool is_bulk_route(const std::vector<std::string>& segments);

/// Answers a bulk route. Throws FhirError for a refused request (the facade turns it into an
/// OperationOutcome response).
[[nodiscard]] HttpResponse handle_bulk_route(
    BulkExporter& exporter, const HttpRequest& request, const std::vector<std::string>& segments,
    const std::vector<std::pair<std::string, std::string>>& params, const std::string& base_url);

/// The completion manifest of a completed job (IG "Response - Complete Status").
[[nodiscard]] nlohmann::json manifest(const ExportJob& job, const std::string& base_url);

/// Adds what the exporter supports to the facade's CapabilityStatement: instantiates the
/// Bulk Data server statement and declares the system and Patient-level export operations.
void describe_bulk_export(nlohmann::json& capability_statement);

}  // namespace ptwin::server::fhir::bulk
