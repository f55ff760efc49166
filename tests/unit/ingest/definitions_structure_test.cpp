// SPDX-License-Identifier: Apache-2.0
// StructureDefinitions from hl7.fhir.r5.core: snapshot model, choice types, content references,
// derivation, and the element-type queries a FHIRPath type provider uses.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/definitions/element_type.hpp"

namespace ptwin::ingest::fhir::definitions {
namespace {

const Definitions& core() {
  static const auto definitions = Definitions::open(std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  return *definitions;
}

TEST(FhirStructureDefinition, ObservationSnapshotHasCardinalityTypesAndBindings) {
  const auto& observation = core().structure("Observation");
  EXPECT_EQ(observation.kind, StructureKind::Resource);
  EXPECT_EQ(observation.base_definition, "http://hl7.org/fhir/StructureDefinition/DomainResource");
  const auto* status = observation.find("Observation.status");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->min, 1U);
  EXPECT_EQ(status->max, 1U);
  ASSERT_TRUE(status->binding.has_value());
  EXPECT_EQ(status->binding->strength, BindingStrength::Required);
  EXPECT_EQ(status->binding->value_set, "http://hl7.org/fhir/ValueSet/observation-status|5.0.0");
  const auto* has_member = observation.find("Observation.hasMember");
  ASSERT_NE(has_member, nullptr);
  EXPECT_EQ(has_member->max, kUnbounded);
  ASSERT_EQ(has_member->types.size(), 1U);
  EXPECT_EQ(has_member->types[0].code, "Reference");
  EXPECT_EQ(has_member->types[0].target_profiles.front(),
            "http://hl7.org/fhir/StructureDefinition/Observation");
}

TEST(FhirStructureDefinition, ChoiceElementListsItsTypesAndJsonNames) {
  const auto* value = core().structure("Observation").find("Observation.value[x]");
  ASSERT_NE(value, nullptr);
  EXPECT_TRUE(value->is_choice());
  EXPECT_EQ(value->choice_stem(), "value");
  EXPECT_NE(value->find_type("Quantity"), nullptr);
  EXPECT_NE(value->find_type("dateTime"), nullptr);
  EXPECT_EQ(value->find_type("Coding"), nullptr);
  EXPECT_EQ(choice_json_name("value", "dateTime"), "valueDateTime");
  EXPECT_EQ(choice_json_name("effective", "Period"), "effectivePeriod");
}

TEST(FhirStructureDefinition, ContentReferencePointsAtTheRepeatedElement) {
  const auto& observation = core().structure("Observation");
  const auto* nested = observation.find("Observation.component.referenceRange");
  ASSERT_NE(nested, nullptr);
  EXPECT_EQ(nested->content_reference, "Observation.referenceRange");
  const auto& content = observation.content_of(*nested);
  EXPECT_EQ(content.path, "Observation.referenceRange");
  EXPECT_FALSE(content.children.empty());
}

TEST(FhirStructureDefinition, SystemTypedElementsCarryTheirFhirType) {
  const auto* id = core().structure("Patient").find("Patient.id");
  ASSERT_NE(id, nullptr);
  ASSERT_EQ(id->types.size(), 1U);
  EXPECT_TRUE(id->types[0].is_system_type);
  EXPECT_EQ(id->types[0].code, "id");
  const auto* url = core().structure("Extension").find("Extension.url");
  ASSERT_NE(url, nullptr);
  EXPECT_TRUE(url->types[0].is_system_type);
  EXPECT_EQ(url->types[0].code, "uri");
}

TEST(FhirStructureDefinition, ChildrenSkipNothingAndKeepSnapshotOrder) {
  const auto& bundle = core().structure("Bundle");
  const auto& entry = *bundle.find("Bundle.entry");
  std::vector<std::string> names;
  for (const auto index : entry.children) names.push_back(bundle.elements[index].name);
  const std::vector<std::string> expected{"id",     "extension", "modifierExtension",
                                          "link",   "fullUrl",   "resource",
                                          "search", "request",   "response"};
  EXPECT_EQ(names, expected);
}

TEST(FhirDefinitions, UnknownTypeIsNullOrNotFound) {
  EXPECT_EQ(core().find_structure("NoSuchResource"), nullptr);
  try {
    static_cast<void>(core().structure("NoSuchResource"));
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.code(), ErrorCode::NotFound);
    EXPECT_EQ(error.value(), "NoSuchResource");
  }
}

TEST(FhirDefinitions, DerivationFollowsBaseDefinition) {
  EXPECT_TRUE(core().is_subtype_of("Observation", "DomainResource"));
  EXPECT_TRUE(core().is_subtype_of("Observation", "Resource"));
  EXPECT_FALSE(core().is_subtype_of("Bundle", "DomainResource"));
  EXPECT_TRUE(core().is_subtype_of("Age", "Quantity"));
  EXPECT_TRUE(core().is_subtype_of("code", "string"));
  EXPECT_FALSE(core().is_subtype_of("Quantity", "Age"));
  EXPECT_EQ(core().base_type_of("Observation"), "DomainResource");
  EXPECT_TRUE(core().is_resource_type("Patient"));
  EXPECT_FALSE(core().is_resource_type("HumanName"));
  EXPECT_TRUE(core().is_primitive_type("dateTime"));
  EXPECT_EQ(core().kind_of("HumanName"), StructureKind::ComplexType);
}

TEST(FhirElementType, ResolvesChoiceStemJsonNameAndDatatypeChildren) {
  const auto stem = resolve_path(core(), "Observation", "component.value");
  ASSERT_TRUE(stem.has_value());
  EXPECT_TRUE(stem->is_choice());
  EXPECT_GT(stem->type_codes.size(), 10U);
  EXPECT_FALSE(resolve_child(core(), *stem, "unit").has_value());  // ambiguous until narrowed

  const auto quantity = resolve_path(core(), "Observation", "component.valueQuantity");
  ASSERT_TRUE(quantity.has_value());
  EXPECT_EQ(quantity->type_codes, std::vector<std::string>{"Quantity"});
  const auto unit = resolve_child(core(), *quantity, "unit");
  ASSERT_TRUE(unit.has_value());
  EXPECT_EQ(unit->type_codes, std::vector<std::string>{"string"});
  EXPECT_EQ(unit->structure->type, "Quantity");

  const auto narrowed = narrow_to_type(*stem, "Quantity");
  ASSERT_TRUE(narrowed.has_value());
  EXPECT_TRUE(resolve_child(core(), *narrowed, "unit").has_value());
  EXPECT_FALSE(narrow_to_type(*stem, "Coding").has_value());
}

TEST(FhirElementType, CollectionsAndContentReferences) {
  const auto component = resolve_path(core(), "Observation", "component");
  ASSERT_TRUE(component.has_value());
  EXPECT_TRUE(component->is_collection);
  EXPECT_EQ(component->type_codes, std::vector<std::string>{"BackboneElement"});
  const auto low = resolve_path(core(), "Observation", "component.referenceRange.low");
  ASSERT_TRUE(low.has_value());
  EXPECT_EQ(low->type_codes, std::vector<std::string>{"Quantity"});
  EXPECT_FALSE(resolve_path(core(), "Observation", "component.noSuchElement").has_value());
  const auto nested_extension = resolve_path(core(), "Extension", "extension.url");
  ASSERT_TRUE(nested_extension.has_value());
  EXPECT_EQ(nested_extension->type_codes, std::vector<std::string>{"uri"});
}

TEST(FhirElementType, ChildrenOfADatatypeComeFromItsDefinition) {
  const auto code = resolve_path(core(), "Observation", "code");
  ASSERT_TRUE(code.has_value());
  std::vector<std::string> names;
  for (const auto& child : children_of(core(), *code)) names.push_back(child.element->name);
  EXPECT_EQ(names, (std::vector<std::string>{"id", "extension", "coding", "text"}));
}

TEST(FhirElementType, BackboneTypesAreNamedByPathAsFhirPathExpects) {
  const auto component = resolve_element(core(), "Observation", "component");
  ASSERT_TRUE(component.has_value());
  EXPECT_EQ(type_names(*component), std::vector<std::string>{"Observation.component"});
  const auto value = resolve_element(core(), "Observation.component", "value");
  ASSERT_TRUE(value.has_value());
  EXPECT_TRUE(value->is_choice());
  EXPECT_EQ(type_names(*value).front(), "Quantity");
  const auto nested_range = resolve_element(core(), "Observation.component", "referenceRange");
  ASSERT_TRUE(nested_range.has_value());
  EXPECT_EQ(type_names(*nested_range), std::vector<std::string>{"Observation.referenceRange"});
  EXPECT_TRUE(nested_range->is_collection);
  const auto status = resolve_element(core(), "Observation", "status");
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(type_names(*status), std::vector<std::string>{"code"});
  EXPECT_FALSE(resolve_element(core(), "Observation", "nothing").has_value());
  EXPECT_FALSE(resolve_element(core(), "NoSuchType", "id").has_value());

  EXPECT_EQ(base_type_name(core(), "Observation.component"), "BackboneElement");
  EXPECT_EQ(base_type_name(core(), "Timing.repeat"), "Element");
  EXPECT_EQ(base_type_name(core(), "code"), "string");
  EXPECT_EQ(base_type_name(core(), "Base"), "");
  EXPECT_EQ(base_type_name(core(), "NoSuchType"), std::nullopt);
}

TEST(FhirDefinitions, PreloadReadsTheTwinResourcesAndTheirDatatypesOnce) {
  const auto definitions = Definitions::open(std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  const auto loaded = definitions->preload(kTwinResourceTypes);
  EXPECT_GE(loaded, kTwinResourceTypes.size());
  const auto again = definitions->preload(kTwinResourceTypes);
  EXPECT_EQ(again, 0U);
  EXPECT_EQ(definitions->statistics().structure_definitions, loaded);
}

}  // namespace
}  // namespace ptwin::ingest::fhir::definitions
