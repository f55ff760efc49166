// SPDX-License-Identifier: Apache-2.0
#pragma once
// A client of a DICOMweb server (DICOM PS3.18) over libcurl:
//   QIDO-RS  search for studies, a study's series, a series' instances (JSON, F.2 model);
//   WADO-RS  series metadata (JSON) and instances (multipart/related; type="application/dicom");
//   STOW-RS  store instances (POST multipart/related), the response read for failures.
// One client holds one connection cache and is not thread-safe: give each thread its own.
//
// Failures are errors, never empty results: no answer, an HTTP error status, a body that is not
// the media type asked for, a part that is not application/dicom, or a STOW-RS response naming
// failed instances all throw DicomwebError (RemoteServer) naming the URL, or InputError for a
// malformed body (naming the URL as its source). UIDs are checked before they go into a URL.

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/dicom/dicom_json.hpp"
#include "ptwin/ingest/dicom/qido_records.hpp"
#include "ptwin/ingest/dicom/stow_response.hpp"

namespace ptwin::ingest::dicom {

struct DicomwebClientSettings {
  std::string base_url;                     // the DICOMweb root, e.g. "http://pacs:8042/dicom-web"
  std::optional<std::string> bearer_token;  // sent as Authorization: Bearer
  std::chrono::milliseconds timeout{120'000};  // whole request
  std::chrono::milliseconds connect_timeout{5'000};
  std::size_t max_response_bytes = std::size_t{4} << 30U;  // a larger answer is an error
  bool is_tls_verified = true;
};

/// QIDO-RS query parameters as sent, e.g. {"Modality", "CT"}, {"includefield", "all"}.
using QueryParameters = std::vector<std::pair<std::string, std::string>>;

/// A DICOMweb server that did not answer, or answered with an error.
class DicomwebError : public Error {
 public:
  DicomwebError(std::string_view method, std::string url, long http_status, std::string detail);
  [[nodiscard]] const std::string& url() const { return url_; }
  [[nodiscard]] long http_status() const { return http_status_; }  // 0: no answer

 private:
  std::string url_;
  long http_status_;
};

struct StowResult {
  long http_status = 0;
  std::vector<StoredInstance> stored;
};

/// Bytes and requests a client has exchanged, for checks that nothing beyond the series in
/// scope was fetched and for throughput figures.
struct TransferCounters {
  std::size_t requests = 0;
  std::size_t bytes_received = 0;
  std::size_t bytes_sent = 0;
};

class DicomwebClient {
 public:
  explicit DicomwebClient(DicomwebClientSettings settings);
  ~DicomwebClient();
  DicomwebClient(DicomwebClient&&) noexcept;
  DicomwebClient& operator=(DicomwebClient&&) noexcept;
  DicomwebClient(const DicomwebClient&) = delete;
  DicomwebClient& operator=(const DicomwebClient&) = delete;

  [[nodiscard]] const std::string& base_url() const { return base_; }
  [[nodiscard]] const TransferCounters& counters() const { return counters_; }

  /// QIDO-RS GET {base}/studies?parameters.
  [[nodiscard]] std::vector<StudyRecord> search_studies(const QueryParameters& parameters = {});
  /// QIDO-RS GET {base}/studies/{study}/series?parameters.
  [[nodiscard]] std::vector<SeriesRecord> search_series(std::string_view study_uid,
                                                        const QueryParameters& parameters = {});
  /// QIDO-RS GET {base}/studies/{study}/series/{series}/instances?parameters.
  [[nodiscard]] std::vector<InstanceRecord> search_instances(
      std::string_view study_uid, std::string_view series_uid,
      const QueryParameters& parameters = {});

  /// WADO-RS GET {base}/studies/{study}/series/{series}/metadata: one dataset per instance.
  [[nodiscard]] std::vector<DicomJsonDataset> retrieve_series_metadata(std::string_view study_uid,
                                                                       std::string_view series_uid);
  /// WADO-RS GET {base}/studies/{study}/series/{series}: every instance as a DICOM file (Part 10
  /// bytes), in the server's order.
  [[nodiscard]] std::vector<std::string> retrieve_series(std::string_view study_uid,
                                                         std::string_view series_uid);
  /// WADO-RS GET {base}/studies/{study}/series/{series}/instances/{instance}.
  [[nodiscard]] std::string retrieve_instance(std::string_view study_uid,
                                              std::string_view series_uid,
                                              std::string_view sop_instance_uid);

  /// STOW-RS POST {base}/studies (or {base}/studies/{study} when `study_uid` is given) of DICOM
  /// files. A response listing failed instances throws DicomwebError naming each instance and
  /// its FailureReason; a response that does not list every sent instance as stored throws too.
  StowResult store_instances(const std::vector<std::string_view>& dicom_files,
                             std::optional<std::string_view> study_uid = std::nullopt);

 private:
  struct Response {
    long status = 0;
    std::string content_type;
    std::string body;
  };
  Response perform(std::string_view method, const std::string& url, std::string_view accept,
                   const std::string* content_type, std::string_view request_body);
  std::vector<DicomJsonDataset> get_json_array(const std::string& url);
  std::vector<std::string> get_dicom_parts(const std::string& url);
  [[nodiscard]] std::string url_of(std::initializer_list<std::string_view> segments,
                                   const QueryParameters& parameters = {}) const;

  struct Curl;
  DicomwebClientSettings settings_;
  std::string base_;
  std::unique_ptr<Curl> curl_;
  TransferCounters counters_;
};

}  // namespace ptwin::ingest::dicom
