// SPDX-License-Identifier: Apache-2.0
#pragma once
// Imports another server's Bulk Data $export: polls its status URL until the manifest is
// ready (honouring Retry-After, up to a deadline), downloads each output file with the FHIR
// client into a scratch directory (streamed to disk, so files of any size), and imports it with
// NdjsonImporter under the manifest's type; each download is removed once imported. The
// manifest's error files (OperationOutcome NDJSON) are the exporting server's own problem
// reports: they are counted, not imported.
//
//   FhirClient client({.base_url = "https://ehr.example.org/fhir"});
//   BulkExportImport import(client, importer, scratch);
//   const BulkImportReport report = import.from_status_url(status_url, std::chrono::minutes(10));

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "ptwin/ingest/fhir/bulk/bulk_manifest.hpp"
#include "ptwin/ingest/fhir/bulk/ndjson_importer.hpp"
#include "ptwin/ingest/fhir/client/fhir_client.hpp"

namespace ptwin::ingest::fhir::bulk {

struct ImportedFile {
  ManifestFile file;
  NdjsonImportSummary summary;
};

struct BulkImportReport {
  BulkManifest manifest;
  std::vector<ImportedFile> files;
  NdjsonImportSummary total;  // over every file
};

class BulkExportImport {
 public:
  /// Every reference must outlive this object; `scratch` is created if absent.
  BulkExportImport(FhirClient& client, NdjsonImporter& importer, std::filesystem::path scratch);

  /// Polls `status_url` (GET, Accept: application/json) while it answers 202, then imports
  /// the manifest's output. Throws FhirClientError for an error status, Error(RemoteServer) naming
  /// the URL when the export is not complete by `max_wait`, InputError for a bad manifest.
  BulkImportReport from_status_url(const std::string& status_url,
                                   std::chrono::milliseconds max_wait);
  /// Downloads and imports the output files of a manifest already at hand.
  BulkImportReport from_manifest(const BulkManifest& manifest);
  /// Imports a manifest's output from files already on disk: each file is `directory` / the
  /// last path segment of its URL.
  BulkImportReport from_local_files(const BulkManifest& manifest,
                                    const std::filesystem::path& directory);

 private:
  FhirClient& client_;
  NdjsonImporter& importer_;
  std::filesystem::path scratch_;
};

}  // namespace ptwin::ingest::fhir::bulk
