// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/client/fhir_client.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <array>
#include <cctype>
#include <mutex>

#include "ptwin/core/logging.hpp"

namespace ptwin::ingest::fhir {
namespace {

constexpr std::size_t kMaxBodyBytes = 256U * 1024U * 1024U;  // a searchset page larger than this is refused

void ensure_curl_initialised() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw Error(ErrorCode::Internal, "libcurl could not be initialised");
    }
  });
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const std::size_t bytes = size * count;
  if (body->size() + bytes > kMaxBodyBytes) return 0;  // makes curl fail with a write error
  body->append(data, bytes);
  return bytes;
}

// "error: <diagnostics> at <expression>; ..." from an OperationOutcome, if the body is one.
std::string outcome_summary(const std::string& body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_object() || json.value("resourceType", "") != "OperationOutcome" ||
      !json.contains("issue") || !json.at("issue").is_array()) {
    return body.size() > 200 ? printable_value(body.substr(0, 200)) + "..." : printable_value(body);
  }
  std::string out;
  for (const auto& issue : json.at("issue")) {
    if (!issue.is_object()) continue;
    if (!out.empty()) out += "; ";
    out += issue.value("severity", "issue") + ": ";
    if (issue.contains("diagnostics") && issue.at("diagnostics").is_string()) {
      out += issue.at("diagnostics").get<std::string>();
    } else if (issue.contains("details") && issue.at("details").is_object()) {
      out += issue.at("details").value("text", issue.value("code", "?"));
    } else {
      out += issue.value("code", "?");
    }
    if (issue.contains("expression") && issue.at("expression").is_array() &&
        !issue.at("expression").empty() && issue.at("expression")[0].is_string()) {
      out += " at " + issue.at("expression")[0].get<std::string>();
    }
  }
  return out;
}

// resource.resourceType, checked to be a resource type name.
std::string resource_type_of(const nlohmann::json& resource, std::string_view field) {
  if (!resource.is_object() || !resource.contains("resourceType") ||
      !resource.at("resourceType").is_string()) {
    throw InputError(ErrorCode::MissingField, fmt::format("{}.resourceType", field), "(absent)",
                     "a FHIR resource names its type");
  }
  std::string type = resource.at("resourceType").get<std::string>();
  require_resource_type(type, fmt::format("{}.resourceType", field));
  return type;
}

}  // namespace

struct FhirClient::Curl {
  CURL* handle = nullptr;
  curl_slist* headers = nullptr;        // GET: Accept (+ Authorization)
  curl_slist* write_headers = nullptr;  // POST/PUT: the same + Content-Type
  ~Curl() {
    curl_slist_free_all(headers);
    curl_slist_free_all(write_headers);
    if (handle != nullptr) curl_easy_cleanup(handle);
  }
};

FhirClientError::FhirClientError(std::string url, long http_status, std::string detail)
    : FhirClientError("GET", std::move(url), http_status, std::move(detail)) {}

FhirClientError::FhirClientError(std::string_view method, std::string url, long http_status,
                                 std::string detail)
    : Error(ErrorCode::RemoteServer,
            http_status == 0 ? fmt::format("FHIR request {} {} failed: {}", method, url, detail)
                             : fmt::format("FHIR server answered {} {} with HTTP {}: {}", method,
                                           url, http_status, detail)),
      url_(std::move(url)),
      http_status_(http_status) {}

FhirClient::FhirClient(FhirClientSettings settings)
    : settings_(std::move(settings)), base_(settings_.base_url), curl_(std::make_unique<Curl>()) {
  if (settings_.max_pages < 1) {
    throw InputError(ErrorCode::BadInput, "fhir.max_pages", fmt::format("{}", settings_.max_pages),
                     "must be at least 1");
  }
  ensure_curl_initialised();
  curl_->handle = curl_easy_init();
  if (curl_->handle == nullptr) throw Error(ErrorCode::Internal, "curl_easy_init failed");
  for (curl_slist** list : {&curl_->headers, &curl_->write_headers}) {
    *list = curl_slist_append(*list, "Accept: application/fhir+json");
    if (settings_.bearer_token) {
      *list = curl_slist_append(
          *list, fmt::format("Authorization: Bearer {}", *settings_.bearer_token).c_str());
    }
  }
  curl_->write_headers =
      curl_slist_append(curl_->write_headers, "Content-Type: application/fhir+json; charset=utf-8");
  CURL* h = curl_->handle;
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, curl_->headers);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(settings_.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect must not carry the token away
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // whatever compression curl supports
  curl_easy_setopt(h, CURLOPT_USERAGENT, "ptwin-fhir-client");
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, settings_.is_tls_verified ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, settings_.is_tls_verified ? 2L : 0L);
}

FhirClient::~FhirClient() = default;
FhirClient::FhirClient(FhirClient&&) noexcept = default;
FhirClient& FhirClient::operator=(FhirClient&&) noexcept = default;

nlohmann::json FhirClient::get_json(const std::string& url) {
  return request_json("GET", url, nullptr);
}

nlohmann::json FhirClient::request_json(std::string_view method, const std::string& url,
                                        const std::string* request_body) {
  std::string body;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  CURL* h = curl_->handle;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  if (request_body == nullptr) {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, nullptr);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, curl_->headers);
  } else {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request_body->data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request_body->size()));
    const std::string verb(method);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, verb == "POST" ? nullptr : verb.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, curl_->write_headers);
  }
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer.data());
  const auto started = std::chrono::steady_clock::now();
  const CURLcode code = curl_easy_perform(h);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  if (code != CURLE_OK) {
    const std::string detail = error_buffer[0] != '\0' ? error_buffer.data() : curl_easy_strerror(code);
    throw FhirClientError(method, url, 0, code == CURLE_WRITE_ERROR
                                              ? fmt::format("the response exceeds {} bytes", kMaxBodyBytes)
                                              : detail);
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  logging::zone_logger("ingest")->debug(
      "fhir {} url={} status={} bytes={} ms={}", method, url, status, body.size(),
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                            started)
          .count());
  if (status < 200 || status >= 300) throw FhirClientError(method, url, status, outcome_summary(body));
  if (body.empty() && request_body != nullptr) return nlohmann::json();  // e.g. Prefer: return=minimal
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("resourceType") ||
      !json.at("resourceType").is_string()) {
    throw FhirClientError(method, url, status, "the body is not a FHIR JSON resource");
  }
  return json;
}

std::optional<std::string> FetchedResponse::header(const std::string& lower_case_name) const {
  const auto found = headers.find(lower_case_name);
  if (found == headers.end()) return std::nullopt;
  return found->second;
}

namespace {

std::size_t write_to_stream(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<std::ostream*>(user);
  sink->write(data, static_cast<std::streamsize>(size * count));
  return *sink ? size * count : 0;
}

std::size_t collect_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  const std::string_view line(data, size * count);
  const std::size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    (*headers)[name] = std::string(value);
  }
  return size * count;
}

}  // namespace

FetchedResponse FhirClient::fetch(const std::string& url, std::string_view accept,
                                  std::ostream* sink) {
  if (!base_.contains(url)) {
    throw FhirClientError(url, 0, fmt::format("the URL leaves the server {}; refusing to fetch it",
                                              base_.str()));
  }
  FetchedResponse response;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  curl_slist* headers = curl_slist_append(nullptr, fmt::format("Accept: {}", accept).c_str());
  if (settings_.bearer_token) {
    headers = curl_slist_append(
        headers, fmt::format("Authorization: Bearer {}", *settings_.bearer_token).c_str());
  }
  CURL* h = curl_->handle;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, nullptr);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &collect_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &response.headers);
  if (sink != nullptr) {
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &write_to_stream);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, sink);
  } else {
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
  }
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer.data());
  const CURLcode code = curl_easy_perform(h);
  // The handle is shared with the JSON calls: put back what they expect.
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, nullptr);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, nullptr);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, curl_->headers);
  curl_slist_free_all(headers);
  if (code != CURLE_OK) {
    const std::string detail =
        error_buffer[0] != '\0' ? error_buffer.data() : curl_easy_strerror(code);
    throw FhirClientError(url, 0, code == CURLE_WRITE_ERROR && sink != nullptr
                                      ? "the body could not be written to its destination"
                                      : detail);
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  if (response.status < 200 || response.status >= 300) {
    throw FhirClientError(url, response.status, outcome_summary(response.body));
  }
  return response;
}

nlohmann::json FhirClient::capabilities() {
  auto json = get_json(base_.join({"metadata"}));
  if (json.at("resourceType") != "CapabilityStatement") {
    throw FhirClientError(base_.join({"metadata"}), 200,
                          fmt::format("expected a CapabilityStatement, got a {}",
                                      json.at("resourceType").get<std::string>()));
  }
  return json;
}

nlohmann::json FhirClient::read(std::string_view type, std::string_view id) {
  require_resource_type(type, "read.type");
  require_logical_id(id, "read.id");
  const auto url = base_.join({type, id});
  auto json = get_json(url);
  if (json.at("resourceType") != type) {
    throw FhirClientError(url, 200, fmt::format("expected a {}, got a {}", type,
                                                json.at("resourceType").get<std::string>()));
  }
  return json;
}

nlohmann::json FhirClient::instance_operation(std::string_view type, std::string_view id,
                                              std::string_view operation,
                                              const SearchParameters& parameters) {
  require_resource_type(type, "operation.type");
  require_logical_id(id, "operation.id");
  const bool is_name =
      !operation.empty() && operation.front() >= 'a' && operation.front() <= 'z' &&
      operation.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") ==
          std::string_view::npos;
  if (!is_name) {
    throw InputError(ErrorCode::BadInput, "operation.name", std::string(operation),
                     "must be an operation name without '$': [a-z][A-Za-z0-9-]*");
  }
  // '$' is written as is: it is a sub-delimiter a server may read differently when encoded.
  std::string url = base_.join({type, id});
  url.append("/$").append(operation);
  if (!parameters.empty()) url.append("?").append(query_string(parameters));
  return get_json(url);
}

nlohmann::json FhirClient::vread(std::string_view type, std::string_view id,
                                 std::string_view version) {
  require_resource_type(type, "vread.type");
  require_logical_id(id, "vread.id");
  require_logical_id(version, "vread.version");
  const auto url = base_.join({type, id, "_history", version});
  auto json = get_json(url);
  if (json.at("resourceType") != type) {
    throw FhirClientError(url, 200, fmt::format("expected a {}, got a {}", type,
                                                json.at("resourceType").get<std::string>()));
  }
  return json;
}

nlohmann::json FhirClient::create(const nlohmann::json& resource) {
  const std::string type = resource_type_of(resource, "create.resource");
  const auto url = base_.join({type});
  const std::string body = resource.dump();
  return request_json("POST", url, &body);
}

nlohmann::json FhirClient::update(const nlohmann::json& resource) {
  const std::string type = resource_type_of(resource, "update.resource");
  if (!resource.contains("id") || !resource.at("id").is_string()) {
    throw InputError(ErrorCode::MissingField, "update.resource.id", "(absent)",
                     "an update names the resource by its id; use create() for a new one");
  }
  const auto id = resource.at("id").get<std::string>();
  require_logical_id(id, "update.resource.id");
  const auto url = base_.join({type, id});
  const std::string body = resource.dump();
  return request_json("PUT", url, &body);
}

nlohmann::json FhirClient::submit_bundle(const nlohmann::json& bundle) {
  const std::string type = resource_type_of(bundle, "bundle");
  const std::string kind = bundle.value("type", "");
  if (type != "Bundle" || (kind != "batch" && kind != "transaction")) {
    throw InputError(ErrorCode::BadInput, "bundle.type", printable_value(kind),
                     "submit_bundle sends a Bundle of type batch or transaction");
  }
  const std::string body = bundle.dump();
  auto response = request_json("POST", base_.str(), &body);
  const std::string expected = kind + "-response";
  if (response.value("resourceType", "") != "Bundle" || response.value("type", "") != expected) {
    throw FhirClientError("POST", base_.str(), 200, fmt::format("expected a {} Bundle", expected));
  }
  return response;
}

SearchPage FhirClient::to_page(nlohmann::json bundle, const std::string& url) const {
  if (bundle.at("resourceType") != "Bundle" || bundle.value("type", "") != "searchset") {
    throw FhirClientError(url, 200, "expected a searchset Bundle");
  }
  SearchPage page;
  if (bundle.contains("total") && bundle.at("total").is_number_integer()) {
    page.total = bundle.at("total").get<long>();
  }
  if (bundle.contains("link") && bundle.at("link").is_array()) {
    for (const auto& link : bundle.at("link")) {
      if (!link.is_object() || link.value("relation", "") != "next" || !link.contains("url") ||
          !link.at("url").is_string()) {
        continue;
      }
      const auto next = link.at("url").get<std::string>();
      if (!base_.contains(next)) {
        throw FhirClientError(url, 200,
                              fmt::format("the next link '{}' leaves the server {}; refusing to "
                                          "follow it",
                                          printable_value(next), base_.str()));
      }
      page.next_url = next;
    }
  }
  if (bundle.contains("entry") && bundle.at("entry").is_array()) {
    for (const auto& entry : bundle.at("entry")) {
      if (!entry.is_object() || !entry.contains("resource")) continue;
      std::string mode = "match";
      if (entry.contains("search") && entry.at("search").is_object()) {
        mode = entry.at("search").value("mode", "match");
      }
      (mode == "include" ? page.included : page.matches).push_back(entry.at("resource"));
    }
  }
  page.bundle = std::move(bundle);
  return page;
}

SearchPage FhirClient::search(std::string_view type, const SearchParameters& parameters) {
  require_resource_type(type, "search.type");
  auto url = base_.join({type});
  if (!parameters.empty()) {
    url.push_back('?');
    url += query_string(parameters);
  }
  return to_page(get_json(url), url);
}

SearchPage FhirClient::next(const SearchPage& page) {
  if (!page.next_url) {
    throw InputError(ErrorCode::BadInput, "search page", "no next link",
                     "is the last page; check next_url before asking for the next one");
  }
  return to_page(get_json(*page.next_url), *page.next_url);
}

SearchPage FhirClient::search_all(std::string_view type, const SearchParameters& parameters) {
  auto all = search(type, parameters);
  auto current = all.next_url;
  int pages = 1;
  while (current) {
    if (pages >= settings_.max_pages) {
      throw FhirClientError(*current, 0,
                            fmt::format("more than {} pages; raise fhir.max_pages or narrow the "
                                        "search",
                                        settings_.max_pages));
    }
    auto page = to_page(get_json(*current), *current);
    ++pages;
    for (auto& r : page.matches) all.matches.push_back(std::move(r));
    for (auto& r : page.included) all.included.push_back(std::move(r));
    current = page.next_url;
  }
  all.next_url.reset();
  return all;
}

PatientContext FhirClient::patient_context(std::string_view patient_id,
                                           const std::vector<std::string>& types) {
  PatientContext context;
  context.patient = read("Patient", patient_id);
  const std::string reference = fmt::format("Patient/{}", patient_id);
  for (const auto& type : types) {
    auto page = search_all(type, {{"patient", reference}});
    for (auto& resource : page.matches) context.resources.push_back(std::move(resource));
  }
  return context;
}

const std::vector<std::string>& default_patient_context_types() {
  static const std::vector<std::string> types{
      "Observation",     "Condition",         "MedicationRequest",
      "MedicationAdministration", "Encounter", "ImagingStudy",
      "DiagnosticReport", "Device"};
  return types;
}

}  // namespace ptwin::ingest::fhir
