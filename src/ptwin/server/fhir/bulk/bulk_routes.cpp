// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/bulk/bulk_routes.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/server/fhir/fhir_response.hpp"

namespace ptwin::server::fhir::bulk {
namespace {

using nlohmann::json;

// Canonical URLs of the Bulk Data Access IG v2 (http://hl7.org/fhir/uv/bulkdata).
constexpr std::string_view kBulkDataServer =
    "http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data";
constexpr std::string_view kExportDefinition =
    "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export";
constexpr std::string_view kPatientExportDefinition =
    "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export";
constexpr std::string_view kGroupExportDefinition =
    "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export";

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool has_respond_async(const HttpRequest& request) {
  const auto prefer = request.header("Prefer");
  return prefer.has_value() && lower(*prefer).find("respond-async") != std::string::npos;
}

// Whether an Accept header (absent, or a list of ranges) allows one of `types`.
bool accepts(const HttpRequest& request, std::initializer_list<std::string_view> types) {
  const auto accept = request.header("Accept");
  if (!accept.has_value() || accept->empty()) return true;
  const std::string value = lower(*accept);
  if (value.find("*/*") != std::string::npos) return true;
  for (const std::string_view type : types) {
    if (value.find(type) != std::string::npos) return true;
  }
  return false;
}

HttpResponse kick_off(BulkExporter& exporter, const HttpRequest& request,
                      const std::vector<std::string>& segments,
                      const std::vector<std::pair<std::string, std::string>>& params,
                      const std::string& base_url) {
  if (request.method != "GET" && request.method != "POST") {
    throw FhirError(405, "not-supported",
                    fmt::format("{} $export is not supported here; use GET, or POST with a "
                                "Parameters body",
                                request.method));
  }
  if (!has_respond_async(request)) {
    throw FhirError(400, "invalid",
                    "$export runs asynchronously: send the header 'Prefer: respond-async'");
  }
  if (!accepts(request, {"application/fhir+json", "application/json"})) {
    throw FhirError(400, "not-supported",
                    fmt::format("Accept '{}': the kick-off answers application/fhir+json",
                                *request.header("Accept")));
  }
  std::string request_url = base_url;
  for (const std::string& segment : segments) {
    request_url.push_back('/');
    request_url.append(segment);
  }
  std::vector<std::pair<std::string, std::string>> kick_off_params;
  if (request.method == "POST") {
    // IG: a POST kick-off carries its parameters in a Parameters body, not in the URL.
    if (!params.empty()) {
      throw FhirError(400, "invalid",
                      fmt::format("POST $export takes its parameters in the Parameters body; "
                                  "'{}' was given in the URL",
                                  printable_value(params.front().first)),
                      params.front().first);
    }
    const std::string type = lower(request.header("Content-Type").value_or(""));
    if (!type.starts_with("application/fhir+json") && !type.starts_with("application/json")) {
      throw FhirError(415, "not-supported",
                      fmt::format("Content-Type '{}': POST $export takes a FHIR Parameters "
                                  "resource as application/fhir+json",
                                  printable_value(request.header("Content-Type").value_or(""))));
    }
    kick_off_params = parameters_body(request.body);
  } else {
    kick_off_params = params;
    if (!request.query().empty()) {
      request_url.push_back('?');
      request_url.append(request.query());
    }
  }
  const ExportLevel level = segments.size() == 1   ? ExportLevel::System
                            : segments.size() == 2 ? ExportLevel::Patient
                                                   : ExportLevel::Group;
  ExportRequest parsed = parse_export_request(level, kick_off_params, exporter.resource_types(),
                                              std::move(request_url));
  parsed.base_url = base_url;
  if (level == ExportLevel::Group) parsed.group_id = segments[1];
  const std::string id = exporter.kick_off(std::move(parsed));
  HttpResponse response = fhir_response(
      202, operation_outcome("informational", fmt::format("export job {} accepted", id), {},
                             "information"));
  response.headers["Content-Location"] = fmt::format("{}/$export-status/{}", base_url, id);
  return response;
}

HttpResponse status(BulkExporter& exporter, const HttpRequest& request, const std::string& id,
                    const std::string& base_url) {
  if (request.method == "DELETE") {
    if (!exporter.cancel(id)) {
      throw FhirError(404, "not-found", fmt::format("no export job '{}'", printable_value(id)));
    }
    return fhir_response(202, operation_outcome("informational",
                                                fmt::format("export job {} deleted", id), {},
                                                "information"));
  }
  if (request.method != "GET") {
    throw FhirError(405, "not-supported",
                    fmt::format("{} is not allowed on a status URL", request.method));
  }
  const std::optional<ExportJob> job = exporter.job(id);
  if (!job) throw FhirError(404, "not-found", fmt::format("no export job '{}'", printable_value(id)));
  switch (job->state) {
    case JobState::Accepted:
    case JobState::Running: {
      HttpResponse response;
      response.status = 202;
      response.headers["X-Progress"] =
          fmt::format("{}: {} resources written, type {} of {}", to_code(job->state),
                      job->progress.resources,
                      std::min(job->progress.next_type + 1, job->request.types.size()),
                      job->request.types.size());
      response.headers["Retry-After"] = std::to_string(exporter.settings().retry_after.count());
      return response;
    }
    case JobState::Completed: {
      HttpResponse response =
          HttpResponse::with_body(200, "application/json", manifest(*job, base_url).dump());
      return response;
    }
    case JobState::Failed: break;
  }
  return fhir_response(500, operation_outcome("exception",
                                              fmt::format("export job {} failed: {}", id,
                                                          job->progress.message)));
}

HttpResponse file(BulkExporter& exporter, const HttpRequest& request, const std::string& id,
                  const std::string& name) {
  if (request.method != "GET") {
    throw FhirError(405, "not-supported",
                    fmt::format("{} is not allowed on an export file", request.method));
  }
  if (!accepts(request, {"application/fhir+ndjson", "application/ndjson"})) {
    throw FhirError(406, "not-supported",
                    fmt::format("Accept '{}': export files are application/fhir+ndjson",
                                *request.header("Accept")));
  }
  const std::optional<std::filesystem::path> path = exporter.file(id, name);
  if (!path) {
    throw FhirError(404, "not-found",
                    fmt::format("no file '{}' in a completed export job '{}'",
                                printable_value(name), printable_value(id)));
  }
  std::ifstream input(*path, std::ios::binary);
  std::ostringstream body;
  body << input.rdbuf();
  if (!input) {
    throw Error(ErrorCode::Io, fmt::format("bulk export: cannot read '{}'", path->string()));
  }
  return HttpResponse::with_body(200, "application/fhir+ndjson", std::move(body).str());
}

json files_json(const std::vector<OutputFile>& files, const std::string& id,
                const std::string& base_url) {
  json array = json::array();
  for (const OutputFile& file : files) {
    array.push_back({{"type", file.type},
                     {"url", fmt::format("{}/$export-file/{}/{}", base_url, id, file.name)},
                     {"count", file.count}});
  }
  return array;
}

}  // namespace

bool is_bulk_route(const std::vector<std::string>& segments) {
  const auto& s = segments;
  return (s.size() == 1 && s[0] == "$export") ||
         (s.size() == 2 && s[0] == "Patient" && s[1] == "$export") ||
         (s.size() == 3 && s[0] == "Group" && s[2] == "$export") ||
         (s.size() == 2 && s[0] == "$export-status") ||
         (s.size() == 3 && s[0] == "$export-file");
}

HttpResponse handle_bulk_route(BulkExporter& exporter, const HttpRequest& request,
                               const std::vector<std::string>& segments,
                               const std::vector<std::pair<std::string, std::string>>& params,
                               const std::string& base_url) {
  if (segments[0] == "$export-status") return status(exporter, request, segments[1], base_url);
  if (segments[0] == "$export-file") return file(exporter, request, segments[1], segments[2]);
  return kick_off(exporter, request, segments, params, base_url);
}

json manifest(const ExportJob& job, const std::string& base_url) {
  return {{"transactionTime", time::format_iso8601(job.transaction_time)},
          {"request", job.request.request_url},
          {"requiresAccessToken", false},
          {"output", files_json(job.progress.output, job.id, base_url)},
          {"error", files_json(job.progress.error, job.id, base_url)}};
}

void describe_bulk_export(json& capability_statement) {
  capability_statement["instantiates"] = json::array({kBulkDataServer});
  json& rest = capability_statement.at("rest").at(0);
  rest["operation"].push_back({{"name", "export"}, {"definition", kExportDefinition}});
  for (json& resource : rest.at("resource")) {
    if (resource.at("type") == "Patient") {
      resource["operation"].push_back(
          {{"name", "export"}, {"definition", kPatientExportDefinition}});
    }
    if (resource.at("type") == "Group") {
      resource["operation"].push_back(
          {{"name", "export"}, {"definition", kGroupExportDefinition}});
    }
  }
}

}  // namespace ptwin::server::fhir::bulk
