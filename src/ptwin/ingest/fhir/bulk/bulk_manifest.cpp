// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/bulk/bulk_manifest.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::fhir::bulk {
namespace {

using nlohmann::json;

[[noreturn]] void fail(std::string_view source, const std::string& field, const json& value,
                       std::string_view rule) {
  throw InputError(ErrorCode::BadInput, fmt::format("{}: manifest {}", source, field),
                   printable_value(value.is_null() ? std::string("(absent)") : value.dump()),
                   std::string(rule));
}

const json& member(const json& object, const char* name, std::string_view source,
                   const std::string& field) {
  static const json absent;
  const auto found = object.find(name);
  if (found == object.end()) fail(source, field, absent, "is required");
  return *found;
}

std::vector<ManifestFile> files(const json& manifest, const char* name, std::string_view source,
                                bool is_required) {
  std::vector<ManifestFile> result;
  if (!manifest.contains(name) && !is_required) return result;
  const json& array = member(manifest, name, source, name);
  if (!array.is_array()) fail(source, name, array, "must be an array");
  for (std::size_t i = 0; i < array.size(); ++i) {
    const json& entry = array[i];
    const std::string field = fmt::format("{}[{}]", name, i);
    if (!entry.is_object()) fail(source, field, entry, "must be an object");
    const json& type = member(entry, "type", source, field + ".type");
    const json& url = member(entry, "url", source, field + ".url");
    if (!type.is_string() || type.get_ref<const std::string&>().empty()) {
      fail(source, field + ".type", type, "must be a resource type name");
    }
    if (!url.is_string() || url.get_ref<const std::string&>().empty()) {
      fail(source, field + ".url", url, "must be a URL");
    }
    ManifestFile file{type.get<std::string>(), url.get<std::string>(), std::nullopt};
    if (entry.contains("count")) {
      if (!entry.at("count").is_number_integer() || entry.at("count").get<std::int64_t>() < 0) {
        fail(source, field + ".count", entry.at("count"), "must be an integer >= 0");
      }
      file.count = entry.at("count").get<std::int64_t>();
    }
    result.push_back(std::move(file));
  }
  return result;
}

}  // namespace

BulkManifest parse_manifest(const json& manifest, std::string_view source) {
  if (!manifest.is_object()) fail(source, "(root)", manifest, "must be a JSON object");
  BulkManifest result;
  const json& time = member(manifest, "transactionTime", source, "transactionTime");
  if (!time.is_string()) fail(source, "transactionTime", time, "must be an instant");
  result.transaction_time = time.get<std::string>();
  const json& request = member(manifest, "request", source, "request");
  if (!request.is_string()) fail(source, "request", request, "must be a URL");
  result.request = request.get<std::string>();
  const json& token = member(manifest, "requiresAccessToken", source, "requiresAccessToken");
  if (!token.is_boolean()) fail(source, "requiresAccessToken", token, "must be true or false");
  result.requires_access_token = token.get<bool>();
  result.output = files(manifest, "output", source, true);
  result.error = files(manifest, "error", source, false);
  return result;
}

}  // namespace ptwin::ingest::fhir::bulk
