// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/bulk/patient_compartment.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::server::fhir::bulk {

PatientCompartment PatientCompartment::from_package(
    const ingest::fhir::definitions::Package& package) {
  const std::optional<std::string> file =
      package.find_by_url("CompartmentDefinition", kPatientCompartmentUrl);
  if (!file) {
    throw InputError(ErrorCode::FhirDefinitionInvalid, "CompartmentDefinition",
                     std::string(kPatientCompartmentUrl),
                     fmt::format("is not in the package '{}'; Patient- and Group-level $export "
                                 "need it (scripts/install_fhir_packages.sh)",
                                 package.dir().string()));
  }
  return from_definition(package.read_json(*file));
}

PatientCompartment PatientCompartment::from_definition(const nlohmann::json& definition) {
  if (!definition.is_object() || definition.value("resourceType", "") != "CompartmentDefinition") {
    throw InputError(ErrorCode::FhirDefinitionInvalid, "CompartmentDefinition.resourceType",
                     definition.is_object() ? definition.value("resourceType", "") : "",
                     "must be CompartmentDefinition");
  }
  if (definition.value("code", "") != "Patient") {
    throw InputError(ErrorCode::FhirDefinitionInvalid, "CompartmentDefinition.code",
                     definition.value("code", ""), "must be Patient");
  }
  PatientCompartment compartment;
  const auto resources = definition.find("resource");
  if (resources == definition.end() || !resources->is_array()) return compartment;
  for (std::size_t i = 0; i < resources->size(); ++i) {
    const nlohmann::json& resource = (*resources)[i];
    const auto code = resource.find("code");
    if (code == resource.end() || !code->is_string()) {
      throw InputError(ErrorCode::FhirDefinitionInvalid,
                       fmt::format("CompartmentDefinition.resource[{}].code", i), "",
                       "must be a resource type");
    }
    // A type without param is listed as not in the compartment.
    std::vector<std::string> params;
    if (const auto list = resource.find("param"); list != resource.end() && list->is_array()) {
      for (const nlohmann::json& param : *list) {
        // "{def}" stands for the compartment's own resource (the Patient itself), not a
        // search parameter.
        if (param.is_string() && !param.get_ref<const std::string&>().empty() &&
            !param.get_ref<const std::string&>().starts_with('{')) {
          params.push_back(param.get<std::string>());
        }
      }
    }
    if (!params.empty()) compartment.params_[code->get<std::string>()] = std::move(params);
  }
  return compartment;
}

const std::vector<std::string>& PatientCompartment::params_of(
    std::string_view resource_type) const {
  static const std::vector<std::string> kNone;
  const auto found = params_.find(resource_type);
  return found == params_.end() ? kNone : found->second;
}

bool PatientCompartment::contains(std::string_view resource_type) const {
  return resource_type == "Patient" || params_.contains(resource_type);
}

}  // namespace ptwin::server::fhir::bulk
