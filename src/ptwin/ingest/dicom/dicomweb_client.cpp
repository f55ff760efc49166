// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/dicom/dicomweb_client.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>

#include "ptwin/core/logging.hpp"
#include "ptwin/ingest/dicom/multipart_related.hpp"
#include "ptwin/ingest/dicom/stow_response.hpp"
#include "ptwin/ingest/fhir/client/fhir_url.hpp"

namespace ptwin::ingest::dicom {
namespace {

constexpr std::string_view kDicomType = "application/dicom";
constexpr std::string_view kJsonType = "application/dicom+json";

void ensure_curl_initialised() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw Error(ErrorCode::Internal, "libcurl could not be initialised");
    }
  });
}

struct Sink {
  std::string* body;
  std::size_t limit;
};

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t bytes = size * count;
  if (sink->body->size() + bytes > sink->limit) return 0;  // curl fails with a write error
  sink->body->append(data, bytes);
  return bytes;
}

std::size_t read_content_type(char* data, std::size_t size, std::size_t count, void* user) {
  const std::string_view line(data, size * count);
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (name == "content-type") {
      auto value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
        value.remove_suffix(1);
      }
      *static_cast<std::string*>(user) = std::string(value);
    }
  }
  return size * count;
}

std::string excerpt(const std::string& body) {
  return body.size() > 200 ? printable_value(body.substr(0, 200)) + "..." : printable_value(body);
}

// What a STOW-RS error answer says: its failed instances when it is a STOW-RS response (Orthanc
// answers 400 with one, listing nothing it could not parse), else the start of the body. The
// body only words the error being thrown, so a body that is not DICOM JSON is quoted instead.
std::string stow_refusal(const std::string& body, const std::string& url, std::size_t sent) {
  try {
    const auto stow = read_stow_response(parse_dicom_json_dataset(body, url));
    if (!stow.failed.empty()) return describe_failures(stow.failed);
    return fmt::format("{} of {} instances stored, none listed as failed", stow.stored.size(), sent);
  } catch (const InputError&) {
    return excerpt(body);
  }
}

}  // namespace

struct DicomwebClient::Curl {
  CURL* handle = nullptr;
  ~Curl() {
    if (handle != nullptr) curl_easy_cleanup(handle);
  }
};

DicomwebError::DicomwebError(std::string_view method, std::string url, long http_status,
                             std::string detail)
    : Error(ErrorCode::RemoteServer,
            http_status == 0
                ? fmt::format("DICOMweb request {} {} failed: {}", method, url, detail)
                : fmt::format("DICOMweb server answered {} {} with HTTP {}: {}", method, url,
                              http_status, detail)),
      url_(std::move(url)),
      http_status_(http_status) {}

DicomwebClient::DicomwebClient(DicomwebClientSettings settings)
    : settings_(std::move(settings)), curl_(std::make_unique<Curl>()) {
  // The root is an http(s) URL like a FHIR base: reuse that check, then drop a trailing '/'.
  base_ = fhir::FhirBaseUrl(settings_.base_url).str();
  while (!base_.empty() && base_.back() == '/') base_.pop_back();
  ensure_curl_initialised();
  curl_->handle = curl_easy_init();
  if (curl_->handle == nullptr) throw Error(ErrorCode::Internal, "curl_easy_init failed");
  CURL* h = curl_->handle;
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &read_content_type);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(settings_.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect must not carry the token away
  curl_easy_setopt(h, CURLOPT_USERAGENT, "ptwin-dicomweb-client");
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, settings_.is_tls_verified ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, settings_.is_tls_verified ? 2L : 0L);
}

DicomwebClient::~DicomwebClient() = default;
DicomwebClient::DicomwebClient(DicomwebClient&&) noexcept = default;
DicomwebClient& DicomwebClient::operator=(DicomwebClient&&) noexcept = default;

std::string DicomwebClient::url_of(std::initializer_list<std::string_view> segments,
                                   const QueryParameters& parameters) const {
  std::string url = base_;
  for (const auto segment : segments) url.append("/").append(fhir::percent_encode(segment));
  if (!parameters.empty()) {
    url.push_back('?');
    bool first = true;
    for (const auto& [name, value] : parameters) {
      if (!first) url.push_back('&');
      first = false;
      url.append(fhir::percent_encode(name)).append("=").append(fhir::percent_encode(value));
    }
  }
  return url;
}

DicomwebClient::Response DicomwebClient::perform(std::string_view method, const std::string& url,
                                                 std::string_view accept,
                                                 const std::string* content_type,
                                                 std::string_view request_body) {
  Response response;
  Sink sink{&response.body, settings_.max_response_bytes};
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, fmt::format("Accept: {}", accept).c_str());
  if (settings_.bearer_token) {
    headers = curl_slist_append(
        headers, fmt::format("Authorization: Bearer {}", *settings_.bearer_token).c_str());
  }
  CURL* h = curl_->handle;
  if (content_type != nullptr) {
    headers = curl_slist_append(headers, fmt::format("Content-Type: {}", *content_type).c_str());
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request_body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request_body.size()));
  } else {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &response.content_type);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer.data());
  const CURLcode code = curl_easy_perform(h);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(headers);
  ++counters_.requests;
  counters_.bytes_sent += request_body.size();
  counters_.bytes_received += response.body.size();
  if (code != CURLE_OK) {
    const std::string detail =
        code == CURLE_WRITE_ERROR
            ? fmt::format("the response exceeds {} bytes", settings_.max_response_bytes)
            : (error_buffer[0] != '\0' ? error_buffer.data() : curl_easy_strerror(code));
    throw DicomwebError(method, url, 0, detail);
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  logging::zone_logger("ingest")->debug("dicomweb {} url={} status={} bytes={}", method, url,
                                        response.status, response.body.size());
  return response;
}

std::vector<DicomJsonDataset> DicomwebClient::get_json_array(const std::string& url) {
  const auto response = perform("GET", url, kJsonType, nullptr, {});
  if (response.status == 204) return {};  // QIDO-RS: no match (PS3.18 10.6.3.2)
  if (response.status != 200) {
    throw DicomwebError("GET", url, response.status, excerpt(response.body));
  }
  const auto media = parse_media_type(response.content_type, url);
  if (media.type != kJsonType && media.type != "application/json") {
    throw DicomwebError("GET", url, response.status,
                        fmt::format("Content-Type '{}' is not {}", response.content_type, kJsonType));
  }
  return parse_dicom_json_array(response.body, url);
}

std::vector<std::string> DicomwebClient::get_dicom_parts(const std::string& url) {
  const auto accept = fmt::format("multipart/related; type=\"{}\"", kDicomType);
  const auto response = perform("GET", url, accept, nullptr, {});
  if (response.status != 200) {
    throw DicomwebError("GET", url, response.status, excerpt(response.body));
  }
  const auto parts = parse_multipart(response.body, response.content_type, url);
  std::vector<std::string> files;
  files.reserve(parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto type = parts[i].content_type();
    if (parse_media_type(type.empty() ? std::string(kDicomType) : type, url).type != kDicomType) {
      throw InputError(ErrorCode::BadInput, fmt::format("{}: part {} Content-Type", url, i),
                       printable_value(type), "application/dicom, as requested");
    }
    files.emplace_back(parts[i].body);
  }
  return files;
}

std::vector<StudyRecord> DicomwebClient::search_studies(const QueryParameters& parameters) {
  std::vector<StudyRecord> records;
  for (const auto& dataset : get_json_array(url_of({"studies"}, parameters))) {
    records.push_back(to_study_record(dataset));
  }
  return records;
}

std::vector<SeriesRecord> DicomwebClient::search_series(std::string_view study_uid,
                                                        const QueryParameters& parameters) {
  require_uid(study_uid, "StudyInstanceUID");
  std::vector<SeriesRecord> records;
  for (const auto& dataset : get_json_array(url_of({"studies", study_uid, "series"}, parameters))) {
    records.push_back(to_series_record(dataset, study_uid));
  }
  return records;
}

std::vector<InstanceRecord> DicomwebClient::search_instances(std::string_view study_uid,
                                                             std::string_view series_uid,
                                                             const QueryParameters& parameters) {
  require_uid(study_uid, "StudyInstanceUID");
  require_uid(series_uid, "SeriesInstanceUID");
  std::vector<InstanceRecord> records;
  for (const auto& dataset : get_json_array(
           url_of({"studies", study_uid, "series", series_uid, "instances"}, parameters))) {
    records.push_back(to_instance_record(dataset, study_uid, series_uid));
  }
  return records;
}

std::vector<DicomJsonDataset> DicomwebClient::retrieve_series_metadata(std::string_view study_uid,
                                                                       std::string_view series_uid) {
  require_uid(study_uid, "StudyInstanceUID");
  require_uid(series_uid, "SeriesInstanceUID");
  return get_json_array(url_of({"studies", study_uid, "series", series_uid, "metadata"}));
}

std::vector<std::string> DicomwebClient::retrieve_series(std::string_view study_uid,
                                                         std::string_view series_uid) {
  require_uid(study_uid, "StudyInstanceUID");
  require_uid(series_uid, "SeriesInstanceUID");
  return get_dicom_parts(url_of({"studies", study_uid, "series", series_uid}));
}

std::string DicomwebClient::retrieve_instance(std::string_view study_uid,
                                              std::string_view series_uid,
                                              std::string_view sop_instance_uid) {
  require_uid(study_uid, "StudyInstanceUID");
  require_uid(series_uid, "SeriesInstanceUID");
  require_uid(sop_instance_uid, "SOPInstanceUID");
  const auto url =
      url_of({"studies", study_uid, "series", series_uid, "instances", sop_instance_uid});
  auto files = get_dicom_parts(url);
  if (files.size() != 1) {
    throw DicomwebError("GET", url, 200,
                        fmt::format("{} instances in the answer, expected one", files.size()));
  }
  return std::move(files.front());
}

StowResult DicomwebClient::store_instances(const std::vector<std::string_view>& dicom_files,
                                           std::optional<std::string_view> study_uid) {
  if (study_uid) require_uid(*study_uid, "StudyInstanceUID");
  const auto url = study_uid ? url_of({"studies", *study_uid}) : url_of({"studies"});
  const auto request = build_multipart_related(dicom_files, kDicomType);
  const auto response = perform("POST", url, kJsonType, &request.content_type, request.body);
  // 200: all stored; 202: some stored, with warnings or failures; 409: none (PS3.18 10.5.3).
  if (response.status != 200 && response.status != 202 && response.status != 409) {
    throw DicomwebError("POST", url, response.status, stow_refusal(response.body, url, dicom_files.size()));
  }
  const auto stow = read_stow_response(parse_dicom_json_dataset(response.body, url));
  if (!stow.failed.empty()) {
    throw DicomwebError("POST", url, response.status,
                        fmt::format("{} of {} instances were not stored: {}", stow.failed.size(),
                                    dicom_files.size(), describe_failures(stow.failed)));
  }
  if (response.status == 409 || stow.stored.size() != dicom_files.size()) {
    throw DicomwebError("POST", url, response.status,
                        fmt::format("the response lists {} stored instances for {} sent",
                                    stow.stored.size(), dicom_files.size()));
  }
  return StowResult{response.status, stow.stored};
}

}  // namespace ptwin::ingest::dicom
