// SPDX-License-Identifier: Apache-2.0
#pragma once
// The completion manifest of a Bulk Data $export (FHIR Bulk Data Access IG v2, "Response -
// Complete Status"), as another server returns it, read and checked once.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ptwin::ingest::fhir::bulk {

struct ManifestFile {
  std::string type;                   // resource type of every line
  std::string url;                    // where to GET it
  std::optional<std::int64_t> count;  // resources in it, when the server says
};

struct BulkManifest {
  std::string transaction_time;
  std::string request;
  bool requires_access_token = false;
  std::vector<ManifestFile> output;
  std::vector<ManifestFile> error;  // OperationOutcome files
};

/// Throws InputError naming the field (e.g. "manifest output[2].url") for a manifest without
/// transactionTime, request, requiresAccessToken or output, or with a malformed file entry.
[[nodiscard]] BulkManifest parse_manifest(const nlohmann::json& json, std::string_view source);

}  // namespace ptwin::ingest::fhir::bulk
