// SPDX-License-Identifier: Apache-2.0
// Code systems, compose-based value set expansion and SearchParameters.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "ptwin/ingest/fhir/definitions/definitions.hpp"

namespace ptwin::ingest::fhir::definitions {
namespace {

using nlohmann::json;

const Definitions& core() {
  static const auto definitions = Definitions::open(std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  return *definitions;
}

// A small hierarchy: animal > {mammal > {dog, cat}, bird}; "fish" is a child of animal through
// the "parent" property instead of nesting.
const json kAnimals = json::parse(R"({
  "resourceType": "CodeSystem", "url": "http://example.org/animals", "content": "complete",
  "concept": [
    {"code": "animal", "concept": [
      {"code": "mammal", "property": [{"code": "legs", "valueInteger": 4}], "concept": [
        {"code": "dog", "property": [{"code": "pet", "valueBoolean": true}]},
        {"code": "cat", "property": [{"code": "pet", "valueBoolean": true}]}]},
      {"code": "bird"}]},
    {"code": "fish", "property": [{"code": "parent", "valueCode": "animal"}]}]
})");

struct FakeTerminology {
  CodeSystem animals = parse_code_system(kAnimals, "animals");
  std::map<std::string, ValueSetExpansion, std::less<>> value_sets;

  TerminologyLookup lookup() {
    return {[this](std::string_view url) -> const CodeSystem* {
              return url == animals.url ? &animals : nullptr;
            },
            [this](std::string_view url) -> const ValueSetExpansion& {
              return value_sets.at(std::string(url));
            }};
  }
};

ValueSetExpansion expand(FakeTerminology& terminology, const json& compose) {
  const json value_set{
      {"resourceType", "ValueSet"}, {"url", "http://example.org/vs"}, {"compose", compose}};
  return expand_value_set(value_set, terminology.lookup(), "test");
}

TEST(FhirCodeSystem, NestingAndParentPropertyBothBuildTheHierarchy) {
  const auto animals = parse_code_system(kAnimals, "animals");
  ASSERT_NE(animals.find("fish"), nullptr);
  const auto descendants = animals.descendants(animals.index_of(*animals.find("animal")));
  EXPECT_EQ(descendants.size(), 5U);  // mammal dog cat bird fish
  EXPECT_EQ(animals.ancestors(animals.index_of(*animals.find("dog"))).size(), 2U);
}

TEST(FhirValueSetExpansion, WholeSystemListedConceptsAndExcludes) {
  FakeTerminology terminology;
  const auto whole =
      expand(terminology, json::parse(
                              R"({"include": [{"system": "http://example.org/animals"}],
          "exclude": [{"system": "http://example.org/animals", "concept": [{"code": "cat"}]}]})"));
  ASSERT_TRUE(whole.is_complete()) << whole.failure;
  EXPECT_EQ(whole.size(), 5U);
  EXPECT_TRUE(whole.contains("http://example.org/animals", "dog"));
  EXPECT_FALSE(whole.contains("http://example.org/animals", "cat"));
  EXPECT_TRUE(whole.contains_code("fish"));
  EXPECT_FALSE(whole.contains("http://example.org/other", "dog"));

  // Listed concepts need no code system in the package.
  const auto listed = expand(
      terminology,
      json::parse(
          R"({"include": [{"system": "http://loinc.org", "concept": [{"code": "8867-4"}]}]})"));
  ASSERT_TRUE(listed.is_complete());
  EXPECT_TRUE(listed.contains("http://loinc.org", "8867-4"));
}

TEST(FhirValueSetExpansion, HierarchyAndPropertyFilters) {
  FakeTerminology terminology;
  const auto filter = [&](const char* op, const char* property, const char* value) {
    return expand(
        terminology,
        json{{"include",
              json::array({json{
                  {"system", "http://example.org/animals"},
                  {"filter",
                   json::array({json{{"op", op}, {"property", property}, {"value", value}}})}}})}});
  };
  EXPECT_EQ(filter("is-a", "concept", "mammal").size(), 3U);
  EXPECT_EQ(filter("descendent-of", "concept", "mammal").size(), 2U);
  EXPECT_EQ(filter("is-not-a", "concept", "mammal").size(), 3U);  // animal bird fish
  EXPECT_EQ(filter("generalizes", "concept", "dog").size(), 3U);  // dog mammal animal
  EXPECT_EQ(filter("=", "pet", "true").size(), 2U);
  EXPECT_EQ(filter("in", "concept", "dog,bird").size(), 2U);
  EXPECT_EQ(filter("exists", "legs", "true").size(), 1U);
  const auto unsupported = filter("regex", "code", "d.*");
  EXPECT_FALSE(unsupported.is_complete());
  EXPECT_NE(unsupported.failure.find("'regex'"), std::string::npos);
  const auto unknown_anchor = filter("is-a", "concept", "unicorn");
  EXPECT_FALSE(unknown_anchor.is_complete());
  EXPECT_NE(unknown_anchor.failure.find("unicorn"), std::string::npos);
}

TEST(FhirValueSetExpansion, ImportedValueSetsAreIntersectedWithinOneInclude) {
  FakeTerminology terminology;
  auto pets = expand(terminology, json::parse(
                                      R"({"include": [{"system": "http://example.org/animals",
                       "filter": [{"op": "=", "property": "pet", "value": "true"}]}]})"));
  auto mammals = expand(terminology, json::parse(
                                         R"({"include": [{"system": "http://example.org/animals",
                       "filter": [{"op": "descendent-of", "property": "concept", "value": "animal"}]}]})"));
  terminology.value_sets.emplace("http://example.org/pets", pets);
  terminology.value_sets.emplace("http://example.org/below-animal", mammals);
  const auto both = expand(
      terminology,
      json::parse(
          R"({"include": [{"valueSet": ["http://example.org/pets", "http://example.org/below-animal"]}]})"));
  EXPECT_EQ(both.size(), 2U);
}

TEST(FhirValueSetExpansion, SystemOutsideThePackageIsNotExpandable) {
  FakeTerminology terminology;
  const auto snomed = expand(terminology, json::parse(
                                              R"({"include": [{"system": "http://snomed.info/sct",
                       "filter": [{"op": "is-a", "property": "concept", "value": "404684003"}]}]})"));
  EXPECT_FALSE(snomed.is_complete());
  EXPECT_EQ(snomed.failure, "code system http://snomed.info/sct is not in the package");
}

TEST(FhirCoreTerminology, RequiredStatusValueSetExpands) {
  const auto& status = core().expansion("http://hl7.org/fhir/ValueSet/observation-status|5.0.0");
  ASSERT_TRUE(status.is_complete()) << status.failure;
  EXPECT_TRUE(status.contains("http://hl7.org/fhir/observation-status", "final"));
  EXPECT_TRUE(status.contains_code("entered-in-error"));
  EXPECT_FALSE(status.contains_code("done"));
  EXPECT_EQ(status.size(), 8U);
}

TEST(FhirCoreTerminology, ChainedValueSetImportsExpand) {
  // subscription-types -> version-independent-resource-types -> resource-types.
  const auto& types = core().expansion("http://hl7.org/fhir/ValueSet/subscription-types");
  ASSERT_TRUE(types.is_complete()) << types.failure;
  EXPECT_TRUE(types.contains_code("Observation"));
}

TEST(FhirCoreTerminology, ExternalAndMissingValueSetsSayWhy) {
  const auto& languages = core().expansion("http://hl7.org/fhir/ValueSet/all-languages");
  EXPECT_FALSE(languages.is_complete());
  EXPECT_NE(languages.failure.find("urn:ietf:bcp:47"), std::string::npos) << languages.failure;
  const auto& missing = core().expansion("http://example.org/ValueSet/none");
  EXPECT_EQ(missing.failure, "value set http://example.org/ValueSet/none is not in the package");
}

TEST(FhirCoreTerminology, CodeSystemFoundWhenFileNameBreaksTheRule) {
  const auto* system = core().find_code_system("http://hl7.org/fhir/contract-asset-context");
  ASSERT_NE(system, nullptr);
  EXPECT_EQ(core().find_code_system("http://loinc.org"), nullptr);
}

TEST(FhirSearchParameters, IncludeSharedAndInheritedDefinitions) {
  const auto parameters = core().search_parameters("Observation");
  const auto has = [&](std::string_view code) {
    return std::any_of(parameters.begin(), parameters.end(),
                       [&](const auto* parameter) { return parameter->code == code; });
  };
  EXPECT_TRUE(has("value-quantity"));
  EXPECT_TRUE(has("patient"));     // clinical-patient, shared by many resources
  EXPECT_TRUE(has("_id"));         // Resource-id, inherited
  EXPECT_TRUE(has("_text"));       // DomainResource-text, inherited
  EXPECT_FALSE(has("birthdate"));  // Patient only
  const auto* quantity = core().find_search_parameter("Observation", "value-quantity");
  ASSERT_NE(quantity, nullptr);
  EXPECT_EQ(quantity->type, "quantity");
  EXPECT_NE(std::find(quantity->comparator.begin(), quantity->comparator.end(), "gt"),
            quantity->comparator.end());
  EXPECT_EQ(core().find_search_parameter("Bundle", "patient"), nullptr);
}

TEST(FhirSearchParameters, ReadingByFilePrefixMissesNoParameter) {
  // Every SearchParameter file, read in full, against the prefix-selected reading.
  const auto& package = core().package();
  std::vector<SearchParameter> all;
  for (const auto& file : package.files_of_type("SearchParameter")) {
    all.push_back(parse_search_parameter(package.read_json(file), file));
  }
  for (const std::string_view type : kTwinResourceTypes) {
    const auto expected =
        std::count_if(all.begin(), all.end(), [&](const SearchParameter& parameter) {
          return std::any_of(
              parameter.base.begin(), parameter.base.end(),
              [&](const std::string& base) { return core().is_subtype_of(type, base); });
        });
    EXPECT_EQ(core().search_parameters(type).size(), static_cast<std::size_t>(expected)) << type;
  }
}

}  // namespace
}  // namespace ptwin::ingest::fhir::definitions
