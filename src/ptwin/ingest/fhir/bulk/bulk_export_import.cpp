// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/bulk/bulk_export_import.hpp"

#include <charconv>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"

namespace ptwin::ingest::fhir::bulk {
namespace {

constexpr std::string_view kNdjson = "application/fhir+ndjson";

// Retry-After in seconds (the IG's servers send delta-seconds), bounded to [0.1 s, 60 s];
// an HTTP-date or no header polls again after one second.
std::chrono::milliseconds retry_delay(const FetchedResponse& response) {
  const std::optional<std::string> value = response.header("retry-after");
  std::int64_t seconds = 1;
  if (value.has_value()) {
    const auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), seconds);
    if (error != std::errc() || end != value->data() + value->size()) seconds = 1;
  }
  return std::clamp(std::chrono::milliseconds(seconds * 1000), std::chrono::milliseconds(100),
                    std::chrono::milliseconds(60'000));
}

std::string last_segment(const std::string& url) {
  const std::string path = url.substr(0, url.find('?'));
  return path.substr(path.rfind('/') + 1);
}

}  // namespace

BulkExportImport::BulkExportImport(FhirClient& client, NdjsonImporter& importer,
                                   std::filesystem::path scratch)
    : client_(client), importer_(importer), scratch_(std::move(scratch)) {
  std::filesystem::create_directories(scratch_);
}

BulkImportReport BulkExportImport::from_status_url(const std::string& status_url,
                                                   std::chrono::milliseconds max_wait) {
  const auto deadline = std::chrono::steady_clock::now() + max_wait;
  while (true) {
    FetchedResponse response = client_.fetch(status_url, "application/json");
    if (response.status == 200) {
      const auto json = nlohmann::json::parse(response.body, nullptr, false);
      if (json.is_discarded()) {
        throw InputError(ErrorCode::BadInput, fmt::format("{}: manifest", status_url),
                         printable_value(response.body.substr(0, 80)), "must be JSON");
      }
      return from_manifest(parse_manifest(json, status_url));
    }
    const auto delay = retry_delay(response);
    if (std::chrono::steady_clock::now() + delay > deadline) {
      throw Error(ErrorCode::RemoteServer,
                  fmt::format("bulk import: the export at {} is not complete after {} ms (last "
                              "X-Progress: '{}'); wait longer or ask its server",
                              status_url, max_wait.count(),
                              printable_value(response.header("x-progress").value_or(""))));
    }
    std::this_thread::sleep_for(delay);
  }
}

BulkImportReport BulkExportImport::from_manifest(const BulkManifest& manifest) {
  BulkImportReport report;
  report.manifest = manifest;
  for (std::size_t i = 0; i < manifest.output.size(); ++i) {
    const ManifestFile& file = manifest.output[i];
    const std::filesystem::path download = scratch_ / fmt::format("download-{}.ndjson", i);
    {
      std::ofstream sink(download, std::ios::binary | std::ios::trunc);
      if (!sink) {
        throw Error(ErrorCode::Io, fmt::format("bulk import: cannot create '{}'", download.string()));
      }
      (void)client_.fetch(file.url, kNdjson, &sink);
    }
    NdjsonImportSummary summary = importer_.import_file(download, file.type);
    std::filesystem::remove(download);
    report.total += summary;
    report.files.push_back({file, summary});
  }
  logging::zone_logger("ingest")->info(
      "bulk import request={} files={} accepted={} quarantined={} error_files={}",
      manifest.request, report.files.size(), report.total.accepted, report.total.quarantined(),
      manifest.error.size());
  return report;
}

BulkImportReport BulkExportImport::from_local_files(const BulkManifest& manifest,
                                                    const std::filesystem::path& directory) {
  BulkImportReport report;
  report.manifest = manifest;
  for (const ManifestFile& file : manifest.output) {
    NdjsonImportSummary summary = importer_.import_file(directory / last_segment(file.url), file.type);
    report.total += summary;
    report.files.push_back({file, summary});
  }
  return report;
}

}  // namespace ptwin::ingest::fhir::bulk
