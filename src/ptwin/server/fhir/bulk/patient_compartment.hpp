// SPDX-License-Identifier: Apache-2.0
#pragma once
// The Patient compartment as the R5 core package defines it (CompartmentDefinition "patient",
// http://hl7.org/fhir/CompartmentDefinition/patient, compartmentdefinition-patient.html): for
// each resource type, the search parameters through which a resource of that type belongs to
// a Patient's compartment. Patient- and Group-level $export take exactly these resources.
// Read once from the package; immutable afterwards (safe to share between threads).

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/ingest/fhir/definitions/package.hpp"

namespace ptwin::server::fhir::bulk {

inline constexpr std::string_view kPatientCompartmentUrl =
    "http://hl7.org/fhir/CompartmentDefinition/patient";

class PatientCompartment {
 public:
  /// Reads the CompartmentDefinition from the package. Throws InputError
  /// (FhirDefinitionInvalid) when the package has none or it is not a Patient compartment.
  [[nodiscard]] static PatientCompartment from_package(
      const ingest::fhir::definitions::Package& package);
  /// From the CompartmentDefinition JSON itself. Throws InputError naming the element when it
  /// is not a CompartmentDefinition with code "Patient" or a resource entry has no code.
  [[nodiscard]] static PatientCompartment from_definition(const nlohmann::json& definition);

  /// The parameters of `resource_type` that link it to a Patient; empty when the type is not
  /// in the compartment. For Patient itself: the compartment's own params ("link"); the
  /// patient's own resource belongs to it by its id.
  [[nodiscard]] const std::vector<std::string>& params_of(std::string_view resource_type) const;
  [[nodiscard]] bool contains(std::string_view resource_type) const;

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> params_;
};

}  // namespace ptwin::server::fhir::bulk
