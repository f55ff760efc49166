// SPDX-License-Identifier: Apache-2.0
#pragma once
// A minimal TypeInfoProvider for tests: reads the snapshot elements of the StructureDefinitions
// in an unpacked FHIR package folder (StructureDefinition-<Type>.json), one file per type,
// on first use. The production provider is the StructureDefinition loader in
// ingest/fhir/definitions; this one exists so that the FHIRPath tests do not depend on it.

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "ptwin/ingest/fhir/fhirpath/type_info.hpp"

namespace ptwin::ingest::fhir::fhirpath::testing {

class PackageTypes final : public TypeInfoProvider {
 public:
  /// `package_dir` holds StructureDefinition-*.json (e.g. .cache/fhir/hl7.fhir.r5.core).
  explicit PackageTypes(std::filesystem::path package_dir) : package_dir_(std::move(package_dir)) {}

  [[nodiscard]] std::optional<ElementInfo> element(std::string_view type_name,
                                                   std::string_view element_name) const override;
  [[nodiscard]] std::optional<std::string> base_type(std::string_view type_name) const override;

 private:
  struct TypeDefinition {
    std::string base;
    std::map<std::string, ElementInfo, std::less<>> elements;
  };
  // The definition of `type_name` ("Patient", "Questionnaire.item"), loading its file if needed.
  const TypeDefinition* find(std::string_view type_name) const;
  void load(const std::string& root_type) const;

  std::filesystem::path package_dir_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, TypeDefinition, std::less<>> types_;
  mutable std::map<std::string, bool, std::less<>> loaded_;  // root type -> file found
};

}  // namespace ptwin::ingest::fhir::fhirpath::testing
