// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/fhir_response.hpp"

#include "ptwin/core/logging.hpp"
#include "ptwin/ingest/fhir/xml/fhir_xml.hpp"

#include <array>
#include <charconv>
#include <chrono>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::server::fhir {

FhirError::FhirError(int status, std::string issue_code, std::string diagnostics,
                     std::string expression)
    : std::runtime_error(diagnostics),
      status_(status),
      outcome_(operation_outcome(issue_code, diagnostics, expression)) {}

FhirError::FhirError(int status, nlohmann::json outcome)
    : std::runtime_error("refused with an OperationOutcome"),
      status_(status),
      outcome_(std::move(outcome)) {}

nlohmann::json operation_outcome(std::string_view issue_code, std::string_view diagnostics,
                                 std::string_view expression, std::string_view severity) {
  nlohmann::json issue = {{"severity", severity}, {"code", issue_code}};
  if (!diagnostics.empty()) issue["diagnostics"] = diagnostics;
  if (!expression.empty()) issue["expression"] = nlohmann::json::array({expression});
  return {{"resourceType", "OperationOutcome"}, {"issue", nlohmann::json::array({issue})}};
}

HttpResponse fhir_response(int status, const nlohmann::json& body) {
  return fhir_response(status, body.dump());
}

HttpResponse fhir_response(int status, std::string body) {
  return HttpResponse::with_body(status, std::string(kFhirJson) + "; charset=utf-8",
                                 std::move(body));
}

std::string etag(std::int64_t version_id) { return fmt::format("W/\"{}\"", version_id); }

std::int64_t parse_etag(std::string_view value) {
  std::string_view text = value;
  if (text.starts_with("W/")) text.remove_prefix(2);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  std::int64_t version = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (error != std::errc{} || end != text.data() + text.size() || version < 1) {
    throw FhirError(400, "invalid",
                    fmt::format("If-Match '{}' is not a version ETag such as W/\"3\"", value));
  }
  return version;
}

std::string http_date(time::Instant instant) {
  static constexpr std::array<std::string_view, 7> kDays{"Sun", "Mon", "Tue", "Wed",
                                                         "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = std::chrono::floor<std::chrono::days>(instant);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss clock{std::chrono::floor<std::chrono::seconds>(instant - day)};
  const std::chrono::weekday weekday{day};
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kDays.at(weekday.c_encoding()),
                     static_cast<unsigned>(date.day()),
                     kMonths.at(static_cast<unsigned>(date.month()) - 1U),
                     static_cast<int>(date.year()), clock.hours().count(),
                     clock.minutes().count(), clock.seconds().count());
}

void add_version_headers(HttpResponse& response, const store::fhir::ResourceVersion& version,
                         const std::optional<std::string>& location) {
  response.headers["ETag"] = etag(version.version_id);
  response.headers["Last-Modified"] = http_date(version.last_updated);
  if (location.has_value()) response.headers["Location"] = *location;
}

nlohmann::json resource_json(const store::fhir::ResourceVersion& version) {
  try {
    return nlohmann::json::parse(version.json);
  } catch (const nlohmann::json::exception&) {
    throw Error(ErrorCode::Internal, fmt::format("the store returned {}/{} version {} as text "
                                                 "that is not JSON",
                                                 version.resource_type, version.id,
                                                 version.version_id));
  }
}

HttpResponse as_fhir_xml(HttpResponse response,
                         const ingest::fhir::definitions::Definitions& definitions) {
  const auto content_type = response.headers.find("Content-Type");
  if (content_type == response.headers.end() || !content_type->second.starts_with(kFhirJson) ||
      response.body.empty()) {
    return response;
  }
  try {
    response.body =
        ingest::fhir::xml::write_fhir_xml(nlohmann::json::parse(response.body), definitions);
    content_type->second = std::string(kFhirXml) + "; charset=utf-8";
    return response;
  } catch (const std::exception& error) {
    logging::zone_logger("server")->error("fhir response not writable as XML error={}", error.what());
    return fhir_response(500, operation_outcome("exception", "the answer could not be written as "
                                                             "FHIR XML; see the server log"));
  }
}

}  // namespace ptwin::server::fhir
