// SPDX-License-Identifier: Apache-2.0
// Validator behaviour on valid resources, the OperationOutcome it produces, references inside
// Bundles and contained resources, and the invariant extension point.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"

namespace ptwin::ingest::fhir::validation {
namespace {

using nlohmann::json;

const definitions::Definitions& core() {
  static const auto definitions =
      definitions::Definitions::open(std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  return *definitions;
}

json heart_rate() {
  return json::parse(R"({
    "resourceType": "Observation", "id": "hr-1", "status": "final",
    "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                              "code": "vital-signs"}]}],
    "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}], "text": "Heart rate"},
    "subject": {"reference": "Patient/p1"},
    "effectiveDateTime": "2024-03-01T10:00:00+01:00",
    "valueQuantity": {"value": 72, "unit": "beats/min", "system": "http://unitsofmeasure.org",
                      "code": "/min"}
  })");
}

std::string describe(const ValidationResult& result) {
  std::string text;
  for (const auto& issue : result.issues) {
    text += fmt::format("{} {} {}: {}\n", to_code(issue.severity), to_code(issue.type),
                        issue.expression, issue.diagnostics);
  }
  return text;
}

const Issue* find_issue(const ValidationResult& result, std::string_view expression) {
  for (const auto& issue : result.issues) {
    if (issue.expression == expression) return &issue;
  }
  return nullptr;
}

TEST(FhirValidator, AcceptsAValidObservation) {
  const Validator validator(core());
  const auto result = validator.validate(heart_rate());
  EXPECT_TRUE(result.is_valid()) << describe(result);
  EXPECT_EQ(result.count(IssueSeverity::Warning), 0U) << describe(result);
  EXPECT_FALSE(result.invariants_evaluated);
}

TEST(FhirValidator, AcceptsPrimitiveExtensionsThatLineUp) {
  const auto patient = json::parse(R"({
    "resourceType": "Patient", "id": "p1",
    "name": [{"family": "Doe", "given": ["Jane", null],
              "_given": [null, {"extension": [{"url": "http://example.org/initial",
                                               "valueString": "A"}]}]}],
    "birthDate": "1970-01-01",
    "_birthDate": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/patient-birthTime",
                                  "valueDateTime": "1970-01-01T08:30:00Z"}]}
  })");
  const auto result = Validator(core()).validate(patient);
  EXPECT_TRUE(result.is_valid()) << describe(result);
}

TEST(FhirValidator, ExtensionOfAPrimitiveIsWalked) {
  const auto patient = json::parse(R"({
    "resourceType": "Patient",
    "_birthDate": {"extension": [{"url": "http://example.org/x", "valueDate": "1970-02-30"}]}
  })");
  const auto result = Validator(core()).validate(patient);
  ASSERT_FALSE(result.is_valid());
  EXPECT_NE(find_issue(result, "Patient.birthDate.extension[0].valueDate"), nullptr)
      << describe(result);
}

TEST(FhirValidator, ContainedResourcesResolveAndAreValidated) {
  auto observation = heart_rate();
  observation["contained"] = json::array({{{"resourceType", "Patient"}, {"id", "p2"}}});
  observation["subject"] = {{"reference", "#p2"}};
  const auto valid = Validator(core()).validate(observation);
  EXPECT_TRUE(valid.is_valid()) << describe(valid);

  observation["contained"][0]["resourceType"] = "Encounter";
  observation["contained"][0]["status"] = "planned";
  const auto wrong_type = Validator(core()).validate(observation);
  const auto* issue = find_issue(wrong_type, "Observation.subject.reference");
  ASSERT_NE(issue, nullptr) << describe(wrong_type);
  EXPECT_EQ(issue->value, "Encounter");
}

TEST(FhirValidator, TransactionBundleResolvesUuidReferencesAndChecksTheirTarget) {
  auto bundle = json::parse(R"({
    "resourceType": "Bundle", "type": "transaction",
    "entry": [
      {"fullUrl": "urn:uuid:8c3c7b8e-2b1a-4a55-9f57-6f0d9c1e2a10",
       "resource": {"resourceType": "Patient", "name": [{"family": "Doe"}]},
       "request": {"method": "POST", "url": "Patient"}},
      {"fullUrl": "urn:uuid:0f4e4a47-1a52-4f1e-9a4c-2f8f1c2b7d3e",
       "resource": {"resourceType": "Observation", "status": "final",
                    "code": {"text": "heart rate"},
                    "subject": {"reference": "urn:uuid:8c3c7b8e-2b1a-4a55-9f57-6f0d9c1e2a10"}},
       "request": {"method": "POST", "url": "Observation"}}]
  })");
  const Validator validator(core());
  const auto valid = validator.validate(bundle);
  EXPECT_TRUE(valid.is_valid()) << describe(valid);

  bundle["entry"][1]["resource"]["hasMember"] =
      json::array({{{"reference", "urn:uuid:8c3c7b8e-2b1a-4a55-9f57-6f0d9c1e2a10"}}});
  const auto wrong_target = validator.validate(bundle);
  const auto* issue = find_issue(wrong_target, "Bundle.entry[1].resource.hasMember[0].reference");
  ASSERT_NE(issue, nullptr) << describe(wrong_target);
  EXPECT_EQ(issue->type, IssueType::Value);

  bundle["type"] = "collection";
  bundle["entry"][1]["resource"].erase("hasMember");
  bundle["entry"][1]["resource"]["subject"]["reference"] =
      "urn:uuid:11111111-2222-4333-8444-555555555555";
  for (auto& entry : bundle["entry"]) entry.erase("request");
  const auto unresolved = validator.validate(bundle);
  EXPECT_TRUE(unresolved.is_valid())
      << describe(unresolved);  // only a warning outside transactions
  EXPECT_EQ(unresolved.count(IssueSeverity::Warning), 1U) << describe(unresolved);
}

TEST(FhirValidator, ReferenceTypeMustAgreeWithTheReference) {
  auto observation = heart_rate();
  observation["subject"] = {{"reference", "Patient/p1"}, {"type", "Group"}};
  const auto result = Validator(core()).validate(observation);
  EXPECT_NE(find_issue(result, "Observation.subject.type"), nullptr) << describe(result);
  observation["subject"] = {{"reference", "https://example.org/fhir/Patient/p1/_history/2"}};
  EXPECT_TRUE(Validator(core()).validate(observation).is_valid());
  observation["subject"] = {{"reference", "https://example.org/fhir/Encounter/e1"}};
  EXPECT_FALSE(Validator(core()).validate(observation).is_valid());
}

TEST(FhirValidator, OperationOutcomeNamesExpressionSeverityAndCode) {
  auto observation = heart_rate();
  observation["status"] = "done";
  observation["component"] = json::array(
      {{{"code", {{"text", "systolic"}}}, {"valueQuantity", {{"value", 120}, {"unit", 5}}}}});
  const auto result = Validator(core()).validate(observation);
  const auto outcome = to_operation_outcome(result);
  EXPECT_EQ(outcome.at("resourceType"), "OperationOutcome");
  std::vector<std::string> expressions;
  for (const auto& issue : outcome.at("issue")) {
    expressions.push_back(issue.at("expression").at(0).get<std::string>());
    EXPECT_EQ(issue.at("severity"), "error");
  }
  EXPECT_EQ(expressions, (std::vector<std::string>{"Observation.status",
                                                   "Observation.component[0].valueQuantity.unit"}));
  EXPECT_EQ(outcome.at("issue").at(0).at("code"), "code-invalid");
  EXPECT_NE(outcome.at("issue").at(0).at("diagnostics").get<std::string>().find("'done'"),
            std::string::npos);
  // The outcome is itself a valid R5 resource.
  const auto self_check = Validator(core()).validate(outcome);
  EXPECT_TRUE(self_check.is_valid()) << describe(self_check);
}

TEST(FhirValidator, EmptyResultStillGivesAnIssue) {
  const auto outcome = to_operation_outcome(ValidationResult{});
  ASSERT_EQ(outcome.at("issue").size(), 1U);
  EXPECT_EQ(outcome.at("issue").at(0).at("code"), "informational");
  EXPECT_TRUE(Validator(core()).validate(outcome).is_valid());
}

TEST(FhirValidator, ThrowIfInvalidNamesSourceElementAndValue) {
  auto observation = heart_rate();
  observation["effectiveDateTime"] = "2024-03-01T10:00:00";
  const auto result = Validator(core()).validate(observation);
  try {
    throw_if_invalid(result, "upload.json");
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.code(), ErrorCode::BadInput);
    EXPECT_EQ(error.where(), "upload.json: Observation.effectiveDateTime");
    EXPECT_EQ(error.value(), "2024-03-01T10:00:00");
    EXPECT_NE(error.rule().find("UTC offset"), std::string::npos);
  }
  EXPECT_NO_THROW(throw_if_invalid(Validator(core()).validate(heart_rate()), "ok.json"));
}

TEST(FhirValidator, IssueCountIsCapped) {
  json patient{{"resourceType", "Patient"}};
  for (int i = 0; i < 50; ++i) patient[fmt::format("unknown{}", i)] = 1;
  ValidatorOptions options;
  options.max_issues = 10;
  const auto result = Validator(core(), options).validate(patient);
  ASSERT_EQ(result.issues.size(), 11U);
  EXPECT_EQ(result.issues.back().type, IssueType::TooCostly);
}

TEST(FhirValidator, InvariantEvaluatorSeesEachConstraintWithItsFocus) {
  std::vector<std::string> seen;
  ValidatorOptions options;
  options.invariant_evaluator = [&](const InvariantContext& context) {
    seen.push_back(
        fmt::format("{}@{}:{}", context.constraint.key, context.expression, context.focus_type));
    EXPECT_EQ(&context.root_resource, &context.resource);  // no container here
    if (context.constraint.key == "obs-7") {
      return InvariantVerdict{InvariantOutcome::Violated, "forced"};
    }
    if (context.constraint.key == "qty-3")
      return InvariantVerdict{InvariantOutcome::NotEvaluated, "no ucum"};
    return InvariantVerdict{InvariantOutcome::Satisfied, {}};
  };
  const auto observation = heart_rate();
  const auto result = Validator(core(), options).validate(observation);
  EXPECT_TRUE(result.invariants_evaluated);
  const auto has = [&](const std::string& entry) {
    return std::find(seen.begin(), seen.end(), entry) != seen.end();
  };
  EXPECT_TRUE(has("obs-6@Observation:Observation"));
  EXPECT_TRUE(has("dom-6@Observation:Observation"));
  EXPECT_TRUE(has("qty-3@Observation.valueQuantity:Quantity"));
  EXPECT_TRUE(has("ele-1@Observation.status:code"));
  const auto* violated = find_issue(result, "Observation");
  ASSERT_NE(violated, nullptr) << describe(result);
  EXPECT_EQ(violated->type, IssueType::Invariant);
  EXPECT_NE(violated->diagnostics.find("obs-7"), std::string::npos);
  EXPECT_NE(violated->diagnostics.find("forced"), std::string::npos);
  const auto* skipped = find_issue(result, "Observation.valueQuantity");
  ASSERT_NE(skipped, nullptr);
  EXPECT_EQ(skipped->severity, IssueSeverity::Information);
}

TEST(FhirValidator, UncheckableBindingIsReportedOnceAsInformation) {
  auto patient = json::parse(R"({"resourceType": "Patient", "language": "en",
                                  "communication": [{"language": {"text": "English"}}]})");
  const auto result = Validator(core()).validate(patient);
  EXPECT_TRUE(result.is_valid());
  ASSERT_EQ(result.issues.size(), 1U) << describe(result);
  EXPECT_EQ(result.issues[0].type, IssueType::NotSupported);
  EXPECT_NE(result.issues[0].diagnostics.find("all-languages"), std::string::npos);
  ValidatorOptions quiet;
  quiet.report_unchecked_bindings = false;
  EXPECT_TRUE(Validator(core(), quiet).validate(patient).issues.empty());
}

TEST(FhirValidator, DuplicateKeysAreFoundWithTheirPath) {
  const auto result = Validator(core()).validate_text(
      R"({"resourceType": "Observation", "status": "final", "code": {"text": "x"},
          "component": [{"code": {"text": "a"}}, {"code": {"text": "b", "text": "c"}}]})");
  const auto* issue = find_issue(result, "Observation.component[1].code.text");
  ASSERT_NE(issue, nullptr) << describe(result);
  EXPECT_EQ(issue->type, IssueType::Structure);
}

TEST(FhirValidator, ThreadsShareOneLazilyLoadingDefinitions) {
  // A fresh Definitions: the threads race to load the same definitions and value sets.
  const auto definitions =
      definitions::Definitions::open(std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  const Validator validator(*definitions);
  auto invalid = heart_rate();
  invalid["status"] = "done";
  invalid["effectiveDateTime"] = "2024-02-30T10:00:00Z";
  const std::vector<json> resources{
      heart_rate(), invalid,
      json::parse(R"({"resourceType": "Patient", "gender": "female", "language": "en"})"),
      json::parse(R"({"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": "urn:uuid:8c3c7b8e-2b1a-4a55-9f57-6f0d9c1e2a10",
         "resource": {"resourceType": "Condition", "subject": {"reference": "Patient/p"}}}]})")};
  constexpr int kThreads = 8;
  std::vector<std::vector<std::size_t>> counts(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = 0; i < resources.size(); ++i) {
        const auto& resource = resources[(i + static_cast<std::size_t>(t)) % resources.size()];
        counts[static_cast<std::size_t>(t)].push_back(validator.validate(resource).issues.size());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    for (std::size_t i = 0; i < resources.size(); ++i) {
      const auto& resource = resources[(i + static_cast<std::size_t>(t)) % resources.size()];
      // Unchecked value sets are reported once per validation, so counts do not depend on order.
      EXPECT_EQ(counts[static_cast<std::size_t>(t)][i], validator.validate(resource).issues.size())
          << "thread " << t << " resource " << i;
    }
  }
}

}  // namespace
}  // namespace ptwin::ingest::fhir::validation
