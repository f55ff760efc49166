// SPDX-License-Identifier: Apache-2.0
#pragma once
// The FHIRPath engine's type model (fhirpath::TypeInfoProvider) answered from the R5
// StructureDefinitions that definitions::Definitions loads, so that the official
// SearchParameter expressions navigate choice elements (`Observation.value.ofType(Quantity)`)
// and test types (`resolve() is Patient`) as the specification intends.

#include <optional>
#include <string>
#include <string_view>

#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/fhirpath/type_info.hpp"

namespace ptwin::ingest::fhir::indexing {

/// Thread-safe because Definitions is; holds a reference, so `definitions` must outlive it.
class DefinitionTypes final : public fhirpath::TypeInfoProvider {
 public:
  explicit DefinitionTypes(const definitions::Definitions& definitions)
      : definitions_(definitions) {}

  [[nodiscard]] std::optional<fhirpath::ElementInfo> element(
      std::string_view type_name, std::string_view element_name) const override;
  [[nodiscard]] std::optional<std::string> base_type(std::string_view type_name) const override;

 private:
  const definitions::Definitions& definitions_;
};

}  // namespace ptwin::ingest::fhir::indexing
