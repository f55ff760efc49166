// SPDX-License-Identifier: Apache-2.0
#pragma once
// A client of a FHIR R5 server's RESTful API (libcurl): capabilities, read, vread, search with
// paging, the pull of one patient's context for ingestion, and writes (create, update, batch
// and transaction Bundles) for records the twin hands back. JSON only
// (Accept: application/fhir+json). One client holds one connection cache and is not thread-safe:
// give each thread its own.
//
// Failures are errors, never empty results: an unreachable server, a timeout, an HTTP error
// status (with the OperationOutcome's issues quoted), a body that is not JSON or not the
// resource asked for, or a paging link that leaves the server (which would let a server
// redirect the client anywhere) all throw FhirClientError naming the URL.

#include <chrono>
#include <map>
#include <ostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/client/fhir_url.hpp"

namespace ptwin::ingest::fhir {

struct FhirClientSettings {
  std::string base_url;                       // e.g. "https://ehr.example.org/fhir"
  std::optional<std::string> bearer_token;    // SMART/OAuth2 access token, sent as Bearer
  std::chrono::milliseconds timeout{30'000};  // whole request
  std::chrono::milliseconds connect_timeout{5'000};
  int max_pages = 1000;                       // bound on the next links followed by search_all
  bool is_tls_verified = true;                // peer and host verification for https
};

/// The answer of a FHIR server that was not a success, or no answer at all.
class FhirClientError : public Error {
 public:
  FhirClientError(std::string url, long http_status, std::string detail);  // a GET
  FhirClientError(std::string_view method, std::string url, long http_status, std::string detail);
  [[nodiscard]] const std::string& url() const { return url_; }
  /// The HTTP status, or 0 when no response arrived.
  [[nodiscard]] long http_status() const { return http_status_; }

 private:
  std::string url_;
  long http_status_;
};

struct SearchPage {
  nlohmann::json bundle;            // the searchset Bundle as received
  std::vector<nlohmann::json> matches;   // entry.resource with search.mode "match" (or no mode)
  std::vector<nlohmann::json> included;  // entry.resource with search.mode "include"
  std::optional<std::string> next_url;   // link[relation = next], checked to stay on the server
  std::optional<long> total;             // Bundle.total when the server gives it
};

/// The answer to FhirClient::fetch: a 2xx status, its headers and (unless streamed to a sink)
/// its body.
struct FetchedResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names in lower case, last value wins
  std::string body;                            // empty when the body went to a sink
  [[nodiscard]] std::optional<std::string> header(const std::string& lower_case_name) const;
};

/// Everything pulled for one patient: the Patient and the resources that refer to it.
struct PatientContext {
  nlohmann::json patient;
  std::vector<nlohmann::json> resources;  // in the order of `patient_context_types`
};

class FhirClient {
 public:
  explicit FhirClient(FhirClientSettings settings);
  ~FhirClient();
  FhirClient(FhirClient&&) noexcept;
  FhirClient& operator=(FhirClient&&) noexcept;
  FhirClient(const FhirClient&) = delete;
  FhirClient& operator=(const FhirClient&) = delete;

  [[nodiscard]] const FhirBaseUrl& base_url() const { return base_; }

  /// GET [base]/metadata: the server's CapabilityStatement.
  [[nodiscard]] nlohmann::json capabilities();
  /// GET [base]/[type]/[id]. A missing or deleted resource is a FhirClientError with 404/410.
  [[nodiscard]] nlohmann::json read(std::string_view type, std::string_view id);
  /// GET [base]/[type]/[id]/_history/[version].
  [[nodiscard]] nlohmann::json vread(std::string_view type, std::string_view id,
                                     std::string_view version);
  /// GET [base]/[type]/[id]/$[operation]?parameters (e.g. Subscription/7/$events): the
  /// operation's answer, whatever resource it is. `operation` is the name without '$'
  /// ([a-z][A-Za-z0-9-]*); anything else throws InputError.
  [[nodiscard]] nlohmann::json instance_operation(std::string_view type, std::string_view id,
                                                  std::string_view operation,
                                                  const SearchParameters& parameters);
  /// GET [base]/[type]?parameters: the first page.
  [[nodiscard]] SearchPage search(std::string_view type, const SearchParameters& parameters);
  /// Follows a page's next link.
  [[nodiscard]] SearchPage next(const SearchPage& page);
  /// Every match (and include) of a search, following next links up to settings.max_pages;
  /// more pages than that is a FhirClientError, never a silently cut result.
  [[nodiscard]] SearchPage search_all(std::string_view type, const SearchParameters& parameters);

  /// POST [base]/[type]: the server's answer (the stored resource, or null when the server
  /// answers with no body).
  nlohmann::json create(const nlohmann::json& resource);
  /// PUT [base]/[type]/[id] (the resource's own id): as create().
  nlohmann::json update(const nlohmann::json& resource);
  /// POST [base] a batch or transaction Bundle: the batch-response / transaction-response.
  /// In a batch each entry succeeds or fails on its own: read entry.response.status.
  nlohmann::json submit_bundle(const nlohmann::json& bundle);

  /// GET `url` (which must be on this server: a Bulk Data status URL or output file) with
  /// `accept`, for answers that are not single FHIR resources. The body goes to `sink` as it
  /// arrives when one is given (a file of any size), else into the result (bounded like every
  /// other response). Throws FhirClientError for a URL off the server, no answer, or a non-2xx
  /// status (quoting the OperationOutcome).
  FetchedResponse fetch(const std::string& url, std::string_view accept,
                        std::ostream* sink = nullptr);

  /// The Patient and, for each type in `types`, every resource whose `patient` search
  /// parameter points at it (paged to the end).
  [[nodiscard]] PatientContext patient_context(std::string_view patient_id,
                                               const std::vector<std::string>& types);

 private:
  [[nodiscard]] nlohmann::json get_json(const std::string& url);
  /// GET when `request_body` is null, else `method` with the body as FHIR JSON.
  [[nodiscard]] nlohmann::json request_json(std::string_view method, const std::string& url,
                                            const std::string* request_body);
  [[nodiscard]] SearchPage to_page(nlohmann::json bundle, const std::string& url) const;

  struct Curl;
  FhirClientSettings settings_;
  FhirBaseUrl base_;
  std::unique_ptr<Curl> curl_;
};

/// The resource types `patient_context` pulls by default for a cardiovascular twin.
[[nodiscard]] const std::vector<std::string>& default_patient_context_types();

}  // namespace ptwin::ingest::fhir
