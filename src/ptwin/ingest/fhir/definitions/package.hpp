// SPDX-License-Identifier: Apache-2.0
#pragma once
// An unpacked HL7 FHIR npm package (FHIR NPM Package Specification): a folder with package.json,
// one JSON file per conformance resource named <resourceType>-<id>.json, and optionally an
// .index.json that maps files to their resourceType, id and canonical url.
//
// Opening a package reads package.json and the folder listing only (milliseconds); files are
// read when a definition is asked for. hl7.fhir.r5.core 5.0.0 ships without .index.json, so
// canonical urls are first resolved by the core naming rule (http://hl7.org/fhir/<Type>/<id> is
// in <Type>-<id>.json) and otherwise by scanning the files of that resource type (scan_urls).

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ptwin::ingest::fhir::definitions {

/// The environment variable naming the folder that holds hl7.fhir.r5.core/ (or the package
/// folder itself).
inline constexpr std::string_view kPackageDirEnvironmentVariable = "PTWIN_FHIR_PACKAGE_DIR";
inline constexpr std::string_view kCorePackageName = "hl7.fhir.r5.core";

/// Finds the hl7.fhir.r5.core folder. `explicit_dir`, when given, wins; otherwise
/// `environment_value` (the value of PTWIN_FHIR_PACKAGE_DIR, or nullopt when unset) is used.
/// Either may name the package folder itself or its parent. Throws InputError
/// (FhirPackageMissing) naming every place looked at and telling to run
/// scripts/install_fhir_packages.sh.
[[nodiscard]] std::filesystem::path locate_core_package(
    const std::optional<std::filesystem::path>& explicit_dir,
    const std::optional<std::string>& environment_value);

/// locate_core_package with the process environment's PTWIN_FHIR_PACKAGE_DIR.
[[nodiscard]] std::filesystem::path locate_core_package(
    const std::optional<std::filesystem::path>& explicit_dir = std::nullopt);

/// One file of the package as listed by .index.json or found by scanning.
struct PackageFile {
  std::string filename;       // relative to the package folder
  std::string resource_type;  // e.g. "StructureDefinition"
  std::string id;
  std::string url;  // canonical url, empty when the resource has none
};

/// Read-only view of one unpacked package. Immutable after open(); safe to share between threads.
class Package {
 public:
  /// Reads package.json and lists the folder. Throws InputError (FhirPackageMissing) when the
  /// folder or its package.json is missing, (FhirDefinitionInvalid) when package.json is not JSON.
  [[nodiscard]] static Package open(const std::filesystem::path& dir);

  [[nodiscard]] const std::filesystem::path& dir() const noexcept { return dir_; }
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] const std::string& version() const noexcept { return version_; }
  /// package.json fhirVersions[0], e.g. "5.0.0".
  [[nodiscard]] const std::string& fhir_version() const noexcept { return fhir_version_; }
  [[nodiscard]] bool has_index() const noexcept { return !index_.empty(); }

  /// The file holding the resource of `resource_type` whose canonical url is `url` (any
  /// "|version" suffix ignored), found through .index.json or the core naming rule. nullopt
  /// when neither finds it: the caller may then fall back to scan_urls().
  [[nodiscard]] std::optional<std::string> find_by_url(std::string_view resource_type,
                                                       std::string_view url) const;

  /// The file "<resource_type>-<id>.json" when the package has it.
  [[nodiscard]] std::optional<std::string> find_by_id(std::string_view resource_type,
                                                      std::string_view id) const;

  /// File names starting with "<resource_type>-", sorted.
  [[nodiscard]] std::vector<std::string> files_of_type(std::string_view resource_type) const;

  /// Reads every file of `resource_type` just far enough to learn its top-level "url"
  /// (no full JSON parse); returns url -> filename. Costs one pass over those files' bytes.
  [[nodiscard]] std::map<std::string, std::string, std::less<>> scan_urls(
      std::string_view resource_type) const;

  /// The file's text. Throws InputError (Io) naming the path when it cannot be read.
  [[nodiscard]] std::string read_text(std::string_view filename) const;

  /// The file parsed as JSON. Throws InputError (FhirDefinitionInvalid) with the path and the
  /// byte offset when it is not JSON.
  [[nodiscard]] nlohmann::json read_json(std::string_view filename) const;

 private:
  std::filesystem::path dir_;
  std::string name_;
  std::string version_;
  std::string fhir_version_;
  std::vector<std::string> filenames_;                     // sorted
  std::map<std::string, PackageFile, std::less<>> index_;  // url -> file, from .index.json
};

/// Strips a "|version" suffix from a canonical reference.
[[nodiscard]] std::string_view canonical_without_version(std::string_view canonical);

}  // namespace ptwin::ingest::fhir::definitions
