// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/definitions/package.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <system_error>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/definitions/detail/json_scan.hpp"

namespace ptwin::ingest::fhir::definitions {
namespace {

constexpr std::string_view kCoreCanonicalBase = "http://hl7.org/fhir/";

// True when `dir` holds a package.json naming hl7.fhir.r5.core.
bool is_core_package_dir(const std::filesystem::path& dir) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(dir / "package.json", error)) return false;
  std::ifstream stream(dir / "package.json", std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(stream)),
                         std::istreambuf_iterator<char>());
  return detail::top_level_string_member(text, "name") == kCorePackageName;
}

// The package folder named by `dir`: the folder itself or its hl7.fhir.r5.core child.
std::optional<std::filesystem::path> package_dir_in(const std::filesystem::path& dir) {
  if (is_core_package_dir(dir)) return dir;
  if (const auto child = dir / kCorePackageName; is_core_package_dir(child)) return child;
  return std::nullopt;
}

std::vector<std::string> list_json_files(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (!entry.is_regular_file(error)) continue;
    auto name = entry.path().filename().string();
    if (name.size() > 5 && name.ends_with(".json") && name != "package.json") {
      names.push_back(std::move(name));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

std::string_view canonical_without_version(std::string_view canonical) {
  const auto bar = canonical.find('|');
  return bar == std::string_view::npos ? canonical : canonical.substr(0, bar);
}

std::filesystem::path locate_core_package(const std::optional<std::filesystem::path>& explicit_dir,
                                          const std::optional<std::string>& environment_value) {
  std::string looked_at;
  if (explicit_dir) {
    if (auto found = package_dir_in(*explicit_dir)) return *found;
    looked_at = fmt::format("the given folder '{}'", explicit_dir->string());
  } else if (environment_value && !environment_value->empty()) {
    if (auto found = package_dir_in(*environment_value)) return *found;
    looked_at = fmt::format("{}='{}'", kPackageDirEnvironmentVariable, *environment_value);
  } else {
    looked_at = fmt::format("{} (not set)", kPackageDirEnvironmentVariable);
  }
  throw InputError(ErrorCode::FhirPackageMissing, "FHIR R5 definitions", looked_at,
                   fmt::format("holds no {} package (package.json); run "
                               "scripts/install_fhir_packages.sh and point {} at its .cache/fhir "
                               "folder",
                               kCorePackageName, kPackageDirEnvironmentVariable));
}

std::filesystem::path locate_core_package(
    const std::optional<std::filesystem::path>& explicit_dir) {
  std::optional<std::string> environment_value;
  // Read once at the application edge; the value is not kept.
  if (const char* value = std::getenv(std::string(kPackageDirEnvironmentVariable).c_str())) {
    environment_value = value;
  }
  return locate_core_package(explicit_dir, environment_value);
}

Package Package::open(const std::filesystem::path& dir) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(dir / "package.json", error)) {
    throw InputError(ErrorCode::FhirPackageMissing, "FHIR package", dir.string(),
                     "has no package.json; run scripts/install_fhir_packages.sh");
  }
  Package package;
  package.dir_ = dir;
  const auto manifest = package.read_json("package.json");
  package.name_ = manifest.value("name", std::string());
  package.version_ = manifest.value("version", std::string());
  if (const auto versions = manifest.find("fhirVersions");
      versions != manifest.end() && versions->is_array() && !versions->empty() &&
      versions->front().is_string()) {
    package.fhir_version_ = versions->front().get<std::string>();
  }
  package.filenames_ = list_json_files(dir);
  if (std::filesystem::is_regular_file(dir / ".index.json", error)) {
    const auto index = package.read_json(".index.json");
    for (const auto& file : index.value("files", nlohmann::json::array())) {
      PackageFile entry{file.value("filename", ""), file.value("resourceType", ""),
                        file.value("id", ""), file.value("url", "")};
      if (!entry.url.empty()) package.index_.emplace(entry.url, std::move(entry));
    }
  }
  return package;
}

std::optional<std::string> Package::find_by_id(std::string_view resource_type,
                                               std::string_view id) const {
  const auto name = fmt::format("{}-{}.json", resource_type, id);
  if (std::binary_search(filenames_.begin(), filenames_.end(), name)) return name;
  return std::nullopt;
}

std::optional<std::string> Package::find_by_url(std::string_view resource_type,
                                                std::string_view url) const {
  url = canonical_without_version(url);
  if (const auto hit = index_.find(url);
      hit != index_.end() && hit->second.resource_type == resource_type) {
    return hit->second.filename;
  }
  // Core naming rule: http://hl7.org/fhir/<Type>/<id> lives in <Type>-<id>.json. The caller
  // checks the url inside the file, so a wrong guess cannot return a wrong definition.
  const auto prefix = fmt::format("{}{}/", kCoreCanonicalBase, resource_type);
  if (url.starts_with(prefix)) return find_by_id(resource_type, url.substr(prefix.size()));
  // Core code systems: http://hl7.org/fhir/<id> in CodeSystem-<id>.json.
  if (resource_type == "CodeSystem" && url.starts_with(kCoreCanonicalBase)) {
    const auto id = url.substr(kCoreCanonicalBase.size());
    if (id.find('/') == std::string_view::npos) return find_by_id(resource_type, id);
  }
  return std::nullopt;
}

std::vector<std::string> Package::files_of_type(std::string_view resource_type) const {
  const auto prefix = fmt::format("{}-", resource_type);
  const auto first = std::lower_bound(filenames_.begin(), filenames_.end(), prefix);
  std::vector<std::string> names;
  for (auto it = first; it != filenames_.end() && it->starts_with(prefix); ++it) {
    names.push_back(*it);
  }
  return names;
}

std::map<std::string, std::string, std::less<>> Package::scan_urls(
    std::string_view resource_type) const {
  std::map<std::string, std::string, std::less<>> urls;
  for (const auto& name : files_of_type(resource_type)) {
    const auto text = read_text(name);
    auto url = detail::top_level_string_member(text, "url");
    if (!url) {
      const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
      if (json.is_object() && json.contains("url") && json.at("url").is_string()) {
        url = json.at("url").get<std::string>();
      }
    }
    if (url) urls.emplace(std::move(*url), name);
  }
  return urls;
}

std::string Package::read_text(std::string_view filename) const {
  const auto path = dir_ / std::filesystem::path(filename);
  std::ifstream stream(path, std::ios::binary | std::ios::ate);
  if (!stream) {
    throw InputError(ErrorCode::Io, "FHIR package", path.string(), "cannot be opened");
  }
  std::string text(static_cast<std::size_t>(stream.tellg()), '\0');
  stream.seekg(0);
  stream.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (!stream) {
    throw InputError(ErrorCode::Io, "FHIR package", path.string(), "cannot be read");
  }
  return text;
}

nlohmann::json Package::read_json(std::string_view filename) const {
  const auto text = read_text(filename);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    throw InputError(ErrorCode::FhirDefinitionInvalid, (dir_ / filename).string(),
                     fmt::format("byte {}", error.byte), "is not valid JSON");
  }
}

}  // namespace ptwin::ingest::fhir::definitions
