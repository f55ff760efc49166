// SPDX-License-Identifier: Apache-2.0
#pragma once
// `_elements` of a Bulk Data $export (IG v2, export OperationDefinition, _elements): which root
// elements of each exported type are kept. Selections are `[Type.]name` with a root element
// name; without a type, a name applies to every exported type that has that element. Kept in
// a resource of a type with at least one applicable selection: resourceType, id, meta, every
// mandatory root element (min >= 1 in the core StructureDefinition) and the selected ones; the
// resource is tagged SUBSETTED (http://terminology.hl7.org/CodeSystem/v3-ObservationValue).
// Resources of a type no selection applies to are exported whole.

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "ptwin/ingest/fhir/definitions/definitions.hpp"

namespace ptwin::server::fhir::bulk {

class ElementSubset {
 public:
  /// Checks every selection against the root elements of the exported `types`; throws
  /// FhirError(400) naming `_elements` and the selection when a typed one names a type that
  /// is not exported or an element that type does not have at its root, or an untyped one is
  /// a root element of none of the exported types.
  ElementSubset(const std::vector<std::string>& selections, const std::vector<std::string>& types,
                const ingest::fhir::definitions::Definitions& definitions);

  /// Whether resources of `type` are subsetted (some selection applies to it).
  [[nodiscard]] bool applies_to(const std::string& type) const;

  /// `resource` (of a type this applies to) with only the kept root elements (and their
  /// primitive extensions, `_name`), tagged SUBSETTED.
  [[nodiscard]] nlohmann::json subset(const nlohmann::json& resource) const;

 private:
  struct Kept {
    std::set<std::string, std::less<>> names;         // JSON names as they are
    std::set<std::string, std::less<>> choice_stems;  // "value" keeps valueQuantity, ...
  };
  std::map<std::string, Kept, std::less<>> kept_;  // type -> what its resources keep
};

}  // namespace ptwin::server::fhir::bulk
