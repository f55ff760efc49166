// SPDX-License-Identifier: Apache-2.0
// FHIRPath over FHIR R5 JSON with the R5 core StructureDefinitions: element types, choice
// (value[x]) navigation, primitive extensions, is/as/ofType with FHIR type names, the FHIR
// functions (extension(), hasValue(), resolve(), htmlChecks(), conformsTo()), the environment
// variables, strict mode, and the official SearchParameter expressions of the core package
// evaluated against the official examples.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "fhirpath_test_support.hpp"

namespace ptwin::ingest::fhir::fhirpath {
namespace {

using nlohmann::json;
using testing::error_of;
using testing::example;
using testing::run;
using testing::typed;

class FhirPathOnPatient : public ::testing::Test {
 protected:
  const json patient = example("Patient-example.json");
};

TEST_F(FhirPathOnPatient, PathsStartWithTheResourceTypeOrAnElement) {
  EXPECT_EQ(run("Patient.name.given", patient, typed()),
            "['Peter', 'James', 'Jim', 'Peter', 'James']");
  EXPECT_EQ(run("name.where(use = 'usual').given", patient, typed()), "['Jim']");
  EXPECT_EQ(run("Patient.name[1].given", patient, typed()), "['Jim']");
  EXPECT_EQ(run("Resource.id & DomainResource.id", patient, typed()), "['exampleexample']");
  EXPECT_EQ(run("Observation.status", patient, typed()), "[]");
}

TEST_F(FhirPathOnPatient, PrimitivesCarryTheirFhirType) {
  EXPECT_EQ(run("Patient.birthDate", patient, typed()), "[@1974-12-25]");
  EXPECT_EQ(run("Patient.birthDate.type().name", patient, typed()), "['date']");
  EXPECT_EQ(run("Patient.birthDate < @2000", patient, typed()), "[true]");
  EXPECT_EQ(run("Patient.gender.is(code) and Patient.gender.is(string)", patient, typed()),
            "[true]");
  EXPECT_EQ(run("Patient.gender.is(System.String)", patient, typed()), "[false]");
  EXPECT_EQ(run("Patient.gender.as(string)", patient, typed()),
            "[]");  // exact match for primitives
  EXPECT_EQ(run("Patient.gender.ofType(code)", patient, typed()), "['male']");
  EXPECT_EQ(
      run("Patient.active.is(boolean) and Patient.active.is(Boolean).not()", patient, typed()),
      "[true]");
}

TEST_F(FhirPathOnPatient, ChoiceElementsAreReachedByTheirName) {
  EXPECT_EQ(run("Patient.deceased", patient, typed()), "[false]");
  EXPECT_EQ(run("Patient.deceased.is(boolean)", patient, typed()), "[true]");
  EXPECT_EQ(run("Patient.deceased.ofType(dateTime)", patient, typed()), "[]");
  // Without type information the JSON key is recognised by its capitalised suffix.
  EXPECT_EQ(run("Patient.deceased", patient), "[false]");
}

TEST_F(FhirPathOnPatient, PrimitiveExtensionsAndHasValue) {
  EXPECT_EQ(run("Patient.birthDate.extension(%`ext-patient-birthTime`).value", patient, typed()),
            "[@1974-12-25T14:35:45-05:00]");
  EXPECT_EQ(run("Patient.birthDate.hasValue() and Patient.birthDate.getValue() = @1974-12-25",
                patient, typed()),
            "[true]");
  EXPECT_EQ(run("Patient.contact.name.family.extension.value", patient, typed()), "['VV']");
  const json only_extension = json::parse(R"({"resourceType": "Patient", "birthDate": null,
      "_birthDate": {"extension": [{"url": "http://example.org/why", "valueCode": "asked"}]}})");
  EXPECT_EQ(run("Patient.birthDate.exists() and Patient.birthDate.hasValue().not()", only_extension,
                typed()),
            "[true]");
  EXPECT_EQ(run("Patient.birthDate.extension.value", only_extension, typed()), "['asked']");
}

TEST_F(FhirPathOnPatient, ComplexElementsCompareStructurally) {
  EXPECT_EQ(run("name.first() = name.first()", patient, typed()), "[true]");
  EXPECT_EQ(run("name[0] = name[2]", patient, typed()), "[false]");
  EXPECT_EQ(run("name.first().is(HumanName) and name.first().is(Element)", patient, typed()),
            "[true]");
  EXPECT_EQ(run("contact.is(BackboneElement)", patient, typed()), "[true]");
}

TEST_F(FhirPathOnPatient, EnvironmentVariables) {
  EXPECT_EQ(run("%resource.id & %context.id & %rootResource.id", patient, typed()),
            "['exampleexampleexample']");
}

TEST_F(FhirPathOnPatient, TreeNavigation) {
  EXPECT_EQ(run("Patient.children().ofType(HumanName).count()", patient, typed()), "[3]");
  EXPECT_EQ(run("Patient.descendants().ofType(Period).count()", patient, typed()), "[6]");
  EXPECT_EQ(run("Patient.repeat(contact).count()", patient, typed()), "[1]");
}

TEST_F(FhirPathOnPatient, StrictModeRejectsUnknownElements) {
  const std::string message =
      error_of<EvaluationError>("Patient.name.given1", patient, typed(true));
  EXPECT_NE(message.find("'HumanName' has no element 'given1'"), std::string::npos) << message;
  EXPECT_NE(message.find("position 13"), std::string::npos) << message;
  EXPECT_EQ(run("Patient.name.given1", patient, typed(false)), "[]");
  // A mixed collection needs the element on one of its types only.
  EXPECT_EQ(run("Patient.descendants().use.count() > 0", patient, typed(true)), "[true]");
}

TEST_F(FhirPathOnPatient, UnknownTypeNameIsAnError) {
  EXPECT_NE(error_of<EvaluationError>("Patient.gender.is(string1)", patient, typed()), "");
  EXPECT_EQ(run("Patient.is(System.Patient)", patient, typed()), "[false]");
}

TEST(FhirPathOnObservation, PolymorphicValueAndQuantities) {
  const json observation = example("Observation-example.json");
  EXPECT_EQ(run("Observation.value", observation, typed()), "[185 '[lb_av]']");
  EXPECT_EQ(run("Observation.value.unit", observation, typed()), "['lbs']");
  EXPECT_EQ(run("Observation.value > 80 'kg'", observation, typed()), "[true]");
  EXPECT_EQ(run("Observation.value ~ 83.9 'kg'", observation, typed()), "[true]");
  EXPECT_EQ(run("(Observation.value as Quantity).code", observation, typed()), "['[lb_av]']");
  EXPECT_EQ(run("Observation.effective.ofType(dateTime)", observation, typed()), "[@2016-03-28]");
  // Lenient mode finds the JSON key; strict mode reports it (FHIRPath has only `value`).
  EXPECT_EQ(run("Observation.valueQuantity.value", observation, typed(false)), "[185]");
  EXPECT_NE(error_of<EvaluationError>("Observation.valueQuantity", observation, typed(true)), "");
}

TEST(FhirPathResolve, ContainedBundleAndStubReferences) {
  const json report = json::parse(R"({
    "resourceType": "DiagnosticReport", "id": "r",
    "contained": [{"resourceType": "Observation", "id": "o1", "status": "final"}],
    "result": [{"reference": "#o1"}], "subject": {"reference": "Patient/p1"}})");
  EXPECT_EQ(run("result.resolve().status", report, typed()), "['final']");
  EXPECT_EQ(run("result.resolve() is Observation", report, typed()), "[true]");
  EXPECT_EQ(run("subject.resolve()", report, typed()), "[]");
  EvaluationOptions stubs = typed();
  stubs.stub_unresolved_references = true;
  EXPECT_EQ(run("subject.where(resolve() is Patient).reference", report, stubs), "['Patient/p1']");

  const json bundle = json::parse(R"({"resourceType": "Bundle", "type": "collection", "entry": [
    {"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Patient", "id": "p1", "active": true}},
    {"fullUrl": "urn:uuid:2", "resource": {"resourceType": "Observation", "id": "o",
      "subject": {"reference": "Patient/p1"}, "focus": [{"reference": "urn:uuid:1"}]}}]})");
  EXPECT_EQ(run("entry.resource.ofType(Observation).subject.resolve().active", bundle, typed()),
            "[true]");
  EXPECT_EQ(run("entry.resource.ofType(Observation).focus.resolve().id", bundle, typed()),
            "['p1']");
}

TEST(FhirPathFhirFunctions, HtmlChecksAndConformsTo) {
  const json patient = example("Patient-example.json");
  EXPECT_EQ(run("text.div.htmlChecks()", patient, typed()), "[true]");
  EXPECT_EQ(
      run("'<div xmlns=\"http://www.w3.org/1999/xhtml\"><script>x</script></div>'.htmlChecks()"),
      "[false]");
  EXPECT_EQ(run("'<div xmlns=\"http://www.w3.org/1999/xhtml\"><p "
                "onclick=\"x()\">a</p></div>'.htmlChecks()"),
            "[false]");
  EXPECT_EQ(run("'<div xmlns=\"http://www.w3.org/1999/xhtml\"> </div>'.htmlChecks()"), "[false]");
  EXPECT_EQ(run("conformsTo('http://hl7.org/fhir/StructureDefinition/Patient')", patient, typed()),
            "[true]");
  EXPECT_EQ(
      run("conformsTo('http://hl7.org/fhir/StructureDefinition/DomainResource')", patient, typed()),
      "[true]");
  EXPECT_EQ(run("conformsTo('http://hl7.org/fhir/StructureDefinition/Person')", patient, typed()),
            "[false]");
  EXPECT_NE(error_of<EvaluationError>("conformsTo('http://example.org/profile')", patient, typed()),
            "");
}

// Official SearchParameter expressions (R5 core package) on official examples: the values a FHIR
// server would index.
class FhirPathSearchParameters : public ::testing::Test {
 protected:
  static std::string expression_of(const std::string& id) {
    return example_of_core("SearchParameter-" + id + ".json").at("expression").get<std::string>();
  }
  static json example_of_core(const std::string& file) {
    std::ifstream stream(testing::kPackageDir / "hl7.fhir.r5.core" / file);
    return json::parse(stream);
  }
  static EvaluationOptions indexing() {
    EvaluationOptions options = typed();
    options.stub_unresolved_references = true;  // as a server does for `resolve() is Patient`
    return options;
  }
};

TEST_F(FhirPathSearchParameters, ObservationCode) {
  const json observation = example("Observation-example.json");
  EXPECT_EQ(run("(" + expression_of("clinical-code") + ").coding.code", observation, indexing()),
            "['29463-7', '3141-9', '27113001', 'body-weight']");
}

TEST_F(FhirPathSearchParameters, ObservationDate) {
  const std::string expression = expression_of("clinical-date");
  ASSERT_NE(expression.find("Observation.effective.ofType(dateTime)"), std::string::npos);
  EXPECT_EQ(run(expression, example("Observation-example.json"), indexing()), "[@2016-03-28]");
}

TEST_F(FhirPathSearchParameters, ObservationValueQuantity) {
  EXPECT_EQ(run(expression_of("Observation-value-quantity"), example("Observation-example.json"),
                indexing()),
            "[185 '[lb_av]']");
}

TEST_F(FhirPathSearchParameters, PatientNameGivenBirthdateAndDeceased) {
  const json patient = example("Patient-example.json");
  EXPECT_EQ(run("(" + expression_of("Patient-name") + ").family", patient, indexing()),
            "['Chalmers', 'Windsor']");
  EXPECT_EQ(run(expression_of("individual-given"), patient, indexing()),
            "['Peter', 'James', 'Jim']");
  EXPECT_EQ(run(expression_of("individual-birthdate"), patient, indexing()), "[@1974-12-25]");
  EXPECT_EQ(run(expression_of("Patient-deceased"), patient, indexing()), "[false]");
  EXPECT_EQ(run("(" + expression_of("individual-phone") + ").value", patient, indexing()),
            "['(03) 5555 6473', '(03) 3410 5613', '(03) 5555 8834']");
}

TEST_F(FhirPathSearchParameters, ClinicalPatientFollowsReferencesByType) {
  const std::string expression = expression_of("clinical-patient");
  EXPECT_EQ(run("(" + expression + ").reference", example("Observation-example.json"), indexing()),
            "['Patient/example']");
  // Without the stub policy, `where(resolve() is Patient)` cannot see the reference's type.
  const json encounter = example("Encounter-example.json");
  EXPECT_EQ(run("(" + expression + ").reference", encounter, typed()), "[]");
  EXPECT_EQ(run("(" + expression + ").reference", encounter, indexing()), "['Patient/example']");
}

// Every SearchParameter of the core package compiles, and evaluates without error on the
// examples of its base resource types that the examples package has.
TEST_F(FhirPathSearchParameters, EveryCoreExpressionCompilesAndEvaluates) {
  int compiled = 0;
  int evaluated = 0;
  const auto examples_dir = testing::kPackageDir / "hl7.fhir.r5.examples";
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::kPackageDir / "hl7.fhir.r5.core")) {
    const std::string file = entry.path().filename().string();
    if (file.rfind("SearchParameter-", 0) != 0) continue;
    const json parameter = example_of_core(file);
    if (!parameter.contains("expression")) continue;
    const std::string text = parameter.at("expression").get<std::string>();
    SCOPED_TRACE(file + ": " + text);
    const auto expression = Expression::compile(text);
    ++compiled;
    for (const auto& base : parameter.value("base", json::array())) {
      const auto example_file = examples_dir / (base.get<std::string>() + "-example.json");
      if (!std::filesystem::exists(example_file)) continue;
      std::ifstream stream(example_file);
      const json resource = json::parse(stream);
      EXPECT_NO_THROW((void)evaluate(expression, resource, indexing()));
      ++evaluated;
    }
  }
  EXPECT_GT(compiled, 1000);
  EXPECT_GT(evaluated, 500);
}

}  // namespace
}  // namespace ptwin::ingest::fhir::fhirpath
