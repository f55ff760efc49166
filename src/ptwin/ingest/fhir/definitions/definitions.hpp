// SPDX-License-Identifier: Apache-2.0
#pragma once
// The FHIR R5 definitions a twin needs, read lazily from the hl7.fhir.r5.core package:
// StructureDefinitions (by type name or canonical url), CodeSystems, ValueSet expansions and
// SearchParameters. Nothing is read until asked for, and each file is parsed at most once, so
// startup costs only the package listing; validating a first Observation reads the Observation
// definition and the datatypes it meets (docs/fhir.md gives the measured times).
//
// Thread-safety: every member function may be called from several threads. Lookups of loaded
// definitions take a shared lock; a miss takes the exclusive lock to read the file. Returned
// pointers and references stay valid for the lifetime of the Definitions object.

#include <array>
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ptwin/ingest/fhir/definitions/code_system.hpp"
#include "ptwin/ingest/fhir/definitions/package.hpp"
#include "ptwin/ingest/fhir/definitions/search_parameter.hpp"
#include "ptwin/ingest/fhir/definitions/structure_definition.hpp"
#include "ptwin/ingest/fhir/definitions/value_set.hpp"

namespace ptwin::ingest::fhir::definitions {

/// The resource types a patient twin reads and writes (the "FHIR R5 core" issue's list).
inline constexpr std::array<std::string_view, 16> kTwinResourceTypes{
    "Patient",           "Encounter",
    "Observation",       "Condition",
    "MedicationRequest", "MedicationAdministration",
    "ImagingStudy",      "Device",
    "DiagnosticReport",  "RiskAssessment",
    "DetectedIssue",     "Subscription",
    "SubscriptionTopic", "Bundle",
    "OperationOutcome",  "CapabilityStatement"};

/// What has been read so far: for load-time reports and tests.
struct LoadStatistics {
  std::size_t files_parsed = 0;
  std::size_t bytes_parsed = 0;
  std::size_t structure_definitions = 0;
  std::size_t code_systems = 0;
  std::size_t value_set_expansions = 0;
  std::size_t search_parameters = 0;
};

class Definitions {
 public:
  /// Takes an opened package; reads nothing else yet.
  explicit Definitions(Package package);
  /// Locates (locate_core_package) and opens the core package.
  [[nodiscard]] static std::unique_ptr<Definitions> open(
      const std::optional<std::filesystem::path>& dir = std::nullopt);

  Definitions(const Definitions&) = delete;
  Definitions& operator=(const Definitions&) = delete;
  ~Definitions();

  [[nodiscard]] const Package& package() const noexcept { return package_; }

  /// The StructureDefinition for a type name ("Observation", "dateTime") or a canonical url
  /// (any "|version" ignored); nullptr when the package has none. Throws InputError
  /// (FhirDefinitionInvalid) when the file exists but is not a usable definition.
  [[nodiscard]] const StructureDefinition* find_structure(std::string_view type_or_url) const;
  /// As find_structure, but a missing definition throws InputError (NotFound).
  [[nodiscard]] const StructureDefinition& structure(std::string_view type_or_url) const;

  /// The CodeSystem with this canonical url, nullptr when the package has none.
  [[nodiscard]] const CodeSystem* find_code_system(std::string_view url) const;

  /// The expansion of the value set with this canonical (version suffix ignored). Never
  /// throws for a value set that cannot be expanded or is not in the package: the expansion's
  /// failure says why.
  [[nodiscard]] const ValueSetExpansion& expansion(std::string_view canonical) const;

  /// Every SearchParameter that applies to `resource_type`, including those defined on its
  /// abstract ancestors (Resource, DomainResource, CanonicalResource, MetadataResource).
  [[nodiscard]] std::vector<const SearchParameter*> search_parameters(
      std::string_view resource_type) const;
  /// The parameter `code` of `resource_type`, nullptr when none.
  [[nodiscard]] const SearchParameter* find_search_parameter(std::string_view resource_type,
                                                             std::string_view code) const;

  /// Loads the StructureDefinitions of `types` and of every datatype their elements use,
  /// transitively. Returns the number of StructureDefinitions loaded by this call.
  std::size_t preload(std::span<const std::string_view> types) const;

  // ---- type information (what a FHIRPath engine's type provider needs) ----

  [[nodiscard]] std::optional<StructureKind> kind_of(std::string_view type) const;
  [[nodiscard]] bool is_resource_type(std::string_view type) const;
  [[nodiscard]] bool is_primitive_type(std::string_view type) const;
  /// The type named by the baseDefinition of `type` ("Observation" -> "DomainResource"),
  /// empty for Base or an unknown type.
  [[nodiscard]] std::string base_type_of(std::string_view type) const;
  /// True when `type` equals `ancestor` or derives from it through baseDefinition.
  [[nodiscard]] bool is_subtype_of(std::string_view type, std::string_view ancestor) const;

  [[nodiscard]] LoadStatistics statistics() const;

 private:
  const StructureDefinition* structure_locked(const std::string& url) const;
  const CodeSystem* code_system_locked(const std::string& url) const;
  const ValueSetExpansion& expansion_locked(const std::string& url) const;
  std::optional<std::string> find_file_locked(std::string_view resource_type,
                                              std::string_view url) const;
  std::optional<std::pair<std::string, nlohmann::json>> load_by_url_locked(
      std::string_view resource_type, const std::string& url) const;
  nlohmann::json read_counted(const std::string& filename) const;
  void load_search_parameters_locked(std::string_view resource_type) const;

  Package package_;
  mutable std::shared_mutex mutex_;
  // url -> definition; nullptr records "not in the package" so it is not looked for again.
  mutable std::unordered_map<std::string, std::unique_ptr<StructureDefinition>> structures_;
  mutable std::unordered_map<std::string, std::unique_ptr<CodeSystem>> code_systems_;
  mutable std::unordered_map<std::string, std::unique_ptr<ValueSetExpansion>> expansions_;
  mutable std::set<std::string, std::less<>> expansions_in_progress_;
  mutable std::vector<std::unique_ptr<ValueSetExpansion>> cycle_failures_;
  // resource type of the files -> (url -> filename), built on the first url the naming rule
  // does not find.
  mutable std::unordered_map<std::string, std::map<std::string, std::string, std::less<>>> scans_;
  mutable std::unordered_map<std::string, std::unique_ptr<SearchParameter>> search_by_file_;
  mutable std::set<std::string, std::less<>> search_files_read_;
  mutable LoadStatistics statistics_;
};

}  // namespace ptwin::ingest::fhir::definitions
