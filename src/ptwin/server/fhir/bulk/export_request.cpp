// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/bulk/export_request.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/server/fhir/fhir_response.hpp"

namespace ptwin::server::fhir::bulk {
namespace {

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    std::string_view part = text.substr(start, end - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    parts.emplace_back(part);
    start = end + 1;
  }
  return parts;
}

// A FHIR instant: a date-time to at least the second, with a time zone.
time::Instant parse_since(const std::string& value) {
  const bool has_seconds = value.size() >= 19 && value[16] == ':';
  try {
    if (!has_seconds) throw InputError(ErrorCode::BadInput, "_since", value, "needs seconds");
    return time::parse_iso8601(value, std::nullopt, "_since");
  } catch (const InputError&) {
    throw FhirError(400, "invalid",
                    fmt::format("_since '{}' is not a FHIR instant; give e.g. "
                                "2024-05-01T12:00:00Z (seconds and a time zone are required)",
                                printable_value(value)),
                    "_since");
  }
}

}  // namespace

bool is_ndjson_output_format(std::string_view value) {
  return value == "application/fhir+ndjson" || value == "application/ndjson" ||
         value == "ndjson";
}

ExportRequest parse_export_request(ExportLevel level,
                                   const std::vector<std::pair<std::string, std::string>>& params,
                                   const std::vector<std::string>& served_types,
                                   std::string request_url) {
  ExportRequest request{.level = level, .types = {}, .since = std::nullopt,
                        .request_url = std::move(request_url)};
  std::vector<std::string> unsupported;
  for (const auto& [name, value] : params) {
    if (name == "_outputFormat") {
      if (!is_ndjson_output_format(value)) {
        throw FhirError(400, "not-supported",
                        fmt::format("_outputFormat '{}': this server writes "
                                    "application/fhir+ndjson only",
                                    printable_value(value)),
                        "_outputFormat");
      }
    } else if (name == "_type") {
      for (std::string& type : split_commas(value)) {
        if (!std::binary_search(served_types.begin(), served_types.end(), type)) {
          throw FhirError(400, "not-supported",
                          fmt::format("_type '{}' is not a resource type served here",
                                      printable_value(type)),
                          "_type");
        }
        if (std::find(request.types.begin(), request.types.end(), type) == request.types.end()) {
          request.types.push_back(std::move(type));
        }
      }
    } else if (name == "_since") {
      if (request.since) throw FhirError(400, "invalid", "_since is given more than once", "_since");
      request.since = parse_since(value);
    } else if (std::find(unsupported.begin(), unsupported.end(), name) == unsupported.end()) {
      unsupported.push_back(name);
    }
  }
  if (!unsupported.empty()) {
    std::string names;
    for (const std::string& name : unsupported) {
      if (!names.empty()) names.append(", ");
      names.append(printable_value(name));
    }
    throw FhirError(400, "not-supported",
                    fmt::format("$export parameter(s) not supported here: {}; this server takes "
                                "_outputFormat, _type and _since",
                                names));
  }
  if (request.types.empty()) request.types = served_types;
  return request;
}

nlohmann::json to_json(const ExportRequest& request) {
  nlohmann::json json = {{"level", request.level == ExportLevel::System ? "system" : "patient"},
                         {"types", request.types},
                         {"request", request.request_url}};
  if (request.since) json["since_ns"] = time::to_epoch_ns(*request.since);
  return json;
}

ExportRequest export_request_from_json(const nlohmann::json& json) {
  try {
    ExportRequest request;
    request.level = json.at("level") == "system" ? ExportLevel::System : ExportLevel::Patient;
    request.types = json.at("types").get<std::vector<std::string>>();
    request.request_url = json.at("request").get<std::string>();
    if (json.contains("since_ns")) {
      request.since = time::from_epoch_ns(json.at("since_ns").get<std::int64_t>());
    }
    return request;
  } catch (const nlohmann::json::exception& error) {
    throw Error(ErrorCode::Internal,
                fmt::format("export job row: the stored request is damaged: {}", error.what()));
  }
}

}  // namespace ptwin::server::fhir::bulk
