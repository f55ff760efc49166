// SPDX-License-Identifier: Apache-2.0
#pragma once
// The kick-off request of a Bulk Data $export (FHIR Bulk Data Access IG v2, "Bulk Data
// Kick-off Request"): its level and the parameters this server supports, parsed and checked
// once, and its JSON form as stored in the job row.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/core/time.hpp"

namespace ptwin::server::fhir::bulk {

enum class ExportLevel {
  System,   // [base]/$export: every resource of the types asked for
  Patient,  // [base]/Patient/$export: Patients and the resources that reference one
};

struct ExportRequest {
  ExportLevel level = ExportLevel::System;
  std::vector<std::string> types;     // the types exported, in order; never empty once parsed
  std::optional<time::Instant> since; // _since: lastUpdated > since
  std::string request_url;            // the kick-off URL as received, for the manifest
  friend bool operator==(const ExportRequest&, const ExportRequest&) = default;
};

/// The _outputFormat values accepted (IG: application/fhir+ndjson and its abbreviations).
[[nodiscard]] bool is_ndjson_output_format(std::string_view value);

/// Parses the query of a kick-off. `served_types` (sorted) are the types _type may name and
/// the default when _type is absent. Throws FhirError(400) naming the parameter and value for
/// an unsupported parameter, an _outputFormat other than NDJSON, a _type this server does not
/// serve, or a _since that is not a FHIR instant (with a time zone).
[[nodiscard]] ExportRequest parse_export_request(
    ExportLevel level, const std::vector<std::pair<std::string, std::string>>& params,
    const std::vector<std::string>& served_types, std::string request_url);

[[nodiscard]] nlohmann::json to_json(const ExportRequest& request);
/// Throws Error(Internal) for JSON not written by to_json (a damaged job row).
[[nodiscard]] ExportRequest export_request_from_json(const nlohmann::json& json);

}  // namespace ptwin::server::fhir::bulk
