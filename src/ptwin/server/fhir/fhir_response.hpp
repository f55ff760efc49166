// SPDX-License-Identifier: Apache-2.0
#pragma once
// The pieces of FHIR HTTP responses (R5 http.html): OperationOutcome errors, ETag and
// Last-Modified headers, and the JSON form of a stored version inside a Bundle.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ptwin/core/time.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/server/http/http_message.hpp"
#include "ptwin/store/fhir/resource_store.hpp"

namespace ptwin::server::fhir {

inline constexpr std::string_view kFhirJson = "application/fhir+json";
inline constexpr std::string_view kFhirXml = "application/fhir+xml";

/// A request the facade refuses: the HTTP status and the OperationOutcome that explains it.
/// Thrown inside the facade and turned into a response at its boundary.
class FhirError : public std::runtime_error {
 public:
  FhirError(int status, std::string issue_code, std::string diagnostics,
            std::string expression = {});
  /// A refusal that carries a ready OperationOutcome (the validator's).
  FhirError(int status, nlohmann::json outcome);
  [[nodiscard]] int status() const noexcept { return status_; }
  [[nodiscard]] const nlohmann::json& outcome() const noexcept { return outcome_; }

 private:
  int status_;
  nlohmann::json outcome_;
};

/// An OperationOutcome with one issue (severity "error" unless given).
[[nodiscard]] nlohmann::json operation_outcome(std::string_view issue_code,
                                               std::string_view diagnostics,
                                               std::string_view expression = {},
                                               std::string_view severity = "error");

/// A response with a FHIR JSON body.
[[nodiscard]] HttpResponse fhir_response(int status, const nlohmann::json& body);
[[nodiscard]] HttpResponse fhir_response(int status, std::string body);

/// W/"<versionId>"
[[nodiscard]] std::string etag(std::int64_t version_id);
/// The version an If-Match value names (W/"3" or "3"); throws FhirError(400) otherwise.
[[nodiscard]] std::int64_t parse_etag(std::string_view value);
/// RFC 9110 HTTP-date: "Wed, 01 May 2024 12:00:00 GMT".
[[nodiscard]] std::string http_date(time::Instant instant);

/// Adds ETag, Last-Modified and (when `location` is set) Location for a stored version.
void add_version_headers(HttpResponse& response, const store::fhir::ResourceVersion& version,
                         const std::optional<std::string>& location);

/// The stored JSON of a version, parsed (throws Error(Internal) if the store returned
/// something that is not JSON).
[[nodiscard]] nlohmann::json resource_json(const store::fhir::ResourceVersion& version);

/// A FHIR JSON response written as FHIR XML (ingest/fhir/xml); other responses unchanged. A body
/// that cannot be written as XML (a bug: the facade writes valid resources) becomes a 500
/// OperationOutcome in JSON, logged.
[[nodiscard]] HttpResponse as_fhir_xml(HttpResponse response,
                                       const ingest::fhir::definitions::Definitions& definitions);

}  // namespace ptwin::server::fhir
