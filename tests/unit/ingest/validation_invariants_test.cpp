// SPDX-License-Identifier: Apache-2.0
// FHIRPath invariants in the validator (fhirpath_invariants.hpp): verdicts, how they become
// issues, %resource / %rootResource for contained resources and Bundle entries, the typing of
// the focus, and the expression cache under several threads.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/validation/fhirpath_invariants.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"

namespace ptwin::ingest::fhir::validation {
namespace {

using nlohmann::json;

const definitions::Definitions& core() {
  static const auto definitions =
      definitions::Definitions::open(std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  return *definitions;
}

Validator checking_validator() {
  ValidatorOptions options;
  options.invariant_evaluator = make_fhirpath_invariant_evaluator(core());
  return Validator(core(), std::move(options));
}

json heart_rate() {
  return json::parse(R"({
    "resourceType": "Observation", "id": "hr-1", "status": "final",
    "text": {"status": "generated",
             "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">72/min</div>"},
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

// The first issue of `type` whose diagnostics mention `key`.
const Issue* find_issue(const ValidationResult& result, IssueType type, std::string_view key) {
  for (const auto& issue : result.issues) {
    if (issue.type == type && issue.diagnostics.find(key) != std::string::npos) return &issue;
  }
  return nullptr;
}

definitions::Constraint constraint(std::string key, std::string expression) {
  return {std::move(key), "error", "test rule", std::move(expression), {}};
}

// Evaluates `rule` on a whole resource (focus, %resource and %rootResource all `resource`).
InvariantVerdict on_resource(const FhirPathInvariants& invariants,
                             const definitions::Constraint& rule, const json& resource) {
  return invariants.evaluate({rule, resource, nullptr,
                              resource.at("resourceType").get_ref<const std::string&>(), "X",
                              resource, resource});
}

TEST(FhirPathInvariants, ValidResourceSatisfiesEveryInvariant) {
  const auto result = checking_validator().validate(heart_rate());
  EXPECT_TRUE(result.invariants_evaluated);
  EXPECT_TRUE(result.is_valid()) << describe(result);
  EXPECT_TRUE(result.issues.empty()) << describe(result);
}

TEST(FhirPathInvariants, ErrorConstraintBecomesAnErrorNamingKeyTextAndExpression) {
  auto observation = heart_rate();
  observation["dataAbsentReason"] = {{"text", "not measured"}};  // beside a value: obs-6
  const auto result = checking_validator().validate(observation);
  EXPECT_FALSE(result.is_valid());
  const auto* issue = find_issue(result, IssueType::Invariant, "obs-6");
  ASSERT_NE(issue, nullptr) << describe(result);
  EXPECT_EQ(issue->severity, IssueSeverity::Error);
  EXPECT_EQ(issue->expression, "Observation");
  EXPECT_NE(issue->diagnostics.find("dataAbsentReason SHALL only be present"), std::string::npos);
  EXPECT_NE(issue->diagnostics.find("dataAbsentReason.empty() or value.empty()"),
            std::string::npos);
}

TEST(FhirPathInvariants, WarningConstraintBecomesAWarningAndTheResourceStaysValid) {
  auto observation = heart_rate();
  observation.erase("text");  // dom-6: "A resource should have narrative"
  const auto result = checking_validator().validate(observation);
  EXPECT_TRUE(result.is_valid()) << describe(result);
  const auto* issue = find_issue(result, IssueType::Invariant, "dom-6");
  ASSERT_NE(issue, nullptr) << describe(result);
  EXPECT_EQ(issue->severity, IssueSeverity::Warning);
  EXPECT_EQ(issue->expression, "Observation");
}

TEST(FhirPathInvariants, ConstraintsOfDatatypesAndBackbonesAreEvaluatedWhereTheyOccur) {
  auto observation = heart_rate();
  observation["valueQuantity"].erase("system");  // qty-3: a code needs a system
  observation["referenceRange"] = json::array({{{"appliesTo", {{{"text", "adults"}}}}}});  // obs-3
  const auto result = checking_validator().validate(observation);
  const auto* quantity = find_issue(result, IssueType::Invariant, "qty-3");
  ASSERT_NE(quantity, nullptr) << describe(result);
  EXPECT_EQ(quantity->expression, "Observation.valueQuantity");
  const auto* range = find_issue(result, IssueType::Invariant, "obs-3");
  ASSERT_NE(range, nullptr) << describe(result);
  EXPECT_EQ(range->expression, "Observation.referenceRange[0]");
}

TEST(FhirPathInvariants, ElementWithOnlyAnIdBreaksEle1AndExtensionWithBothBreaksExt1) {
  auto patient = json::parse(R"({"resourceType": "Patient", "maritalStatus": {"id": "m1"},
      "extension": [{"url": "http://example.org/x", "valueString": "a",
                     "extension": [{"url": "y", "valueBoolean": true}]}]})");
  const auto result = checking_validator().validate(patient);
  const auto* empty = find_issue(result, IssueType::Invariant, "ele-1");
  ASSERT_NE(empty, nullptr) << describe(result);
  EXPECT_EQ(empty->expression, "Patient.maritalStatus");
  const auto* both = find_issue(result, IssueType::Invariant, "ext-1");
  ASSERT_NE(both, nullptr) << describe(result);
  EXPECT_EQ(both->expression, "Patient.extension[0]");
}

TEST(FhirPathInvariants, Ele1AnsweredWithoutTheEngineAgreesWithTheEngine) {
  // ele-1's exact text takes a shortcut when it plainly holds; the same FHIRPath in other
  // words always goes through the engine. Both must give the same verdict on every focus.
  const FhirPathInvariants invariants(core());
  const auto ele1 = constraint("ele-1", "hasValue() or (children().count() > id.count())");
  const auto same = constraint("t-1", "(hasValue()) or ((children().count()) > (id.count()))");
  const json resource = json::parse(R"({"resourceType": "Observation", "status": "final"})");
  struct Case {
    const char* focus;
    const char* type;
  };
  const std::vector<Case> cases{
      {R"("final")", "code"},
      {R"("")", "string"},
      {"12.5", "decimal"},
      {"true", "boolean"},
      {"null", "string"},
      {R"({})", "CodeableConcept"},
      {R"({"id": "c1"})", "CodeableConcept"},
      {R"({"id": "c1", "text": "x"})", "CodeableConcept"},
      {R"({"text": null})", "CodeableConcept"},
      {R"({"coding": []})", "CodeableConcept"},
      {R"({"coding": [null]})", "CodeableConcept"},
      {R"({"coding": [{}]})", "CodeableConcept"},
      {R"({"_text": {"extension": [{"url": "u", "valueString": "v"}]}})", "CodeableConcept"},
      {R"({"id": "c1", "_id": {"id": "i"}})", "CodeableConcept"},
      {R"({"extension": [{"url": "u", "valueBoolean": true}]})", "Quantity"},
      {R"({"value": 1, "unit": "mmHg"})", "Quantity"}};
  std::vector<InvariantOutcome> outcomes;
  for (const Case& item : cases) {
    SCOPED_TRACE(item.focus);
    const json focus = json::parse(item.focus);
    const InvariantContext with_shortcut{ele1,     focus,    nullptr, item.type,
                                         "Observation.x", resource, resource};
    const InvariantContext with_engine{same,     focus,    nullptr, item.type,
                                       "Observation.x", resource, resource};
    outcomes.push_back(invariants.evaluate(with_engine).outcome);
    EXPECT_EQ(invariants.evaluate(with_shortcut).outcome, outcomes.back());
  }
  // Both verdicts occur, so the comparison is not between two constant answers.
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), InvariantOutcome::Satisfied), 9);
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), InvariantOutcome::Violated), 7);
}

TEST(FhirPathInvariants, BackboneFocusIsTypedSoChoiceElementsAreFound) {
  const FhirPathInvariants invariants(core());
  const auto observation = json::parse(R"({"resourceType": "Observation",
      "component": [{"code": {"text": "x"}, "valueQuantity": {"value": 1}}]})");
  const auto& component = observation.at("component").at(0);
  const auto rule = constraint("t-1", "value.exists() and value is Quantity");
  const auto verdict = invariants.evaluate({rule, component, nullptr, "Observation.component",
                                            "Observation.component[0]", observation, observation});
  EXPECT_EQ(verdict.outcome, InvariantOutcome::Satisfied) << verdict.detail;
}

TEST(FhirPathInvariants, ResultsFollowSingletonEvaluation) {
  const FhirPathInvariants invariants(core());
  const json patient{{"resourceType", "Patient"}, {"active", true}};
  EXPECT_EQ(on_resource(invariants, constraint("t-1", "active"), patient).outcome,
            InvariantOutcome::Satisfied);
  EXPECT_EQ(on_resource(invariants, constraint("t-2", "active.not()"), patient).outcome,
            InvariantOutcome::Violated);
  // One item that is not a Boolean counts as true.
  EXPECT_EQ(on_resource(invariants, constraint("t-3", "'text'"), patient).outcome,
            InvariantOutcome::Satisfied);
  // Empty is not true.
  const auto empty = on_resource(invariants, constraint("t-4", "gender = 'male'"), patient);
  EXPECT_EQ(empty.outcome, InvariantOutcome::Violated);
  EXPECT_NE(empty.detail.find("empty"), std::string::npos) << empty.detail;
  // Several items are not a Boolean at all.
  const auto several = on_resource(invariants, constraint("t-5", "true | false"), patient);
  EXPECT_EQ(several.outcome, InvariantOutcome::NotEvaluated);
  EXPECT_NE(several.detail.find("2 items"), std::string::npos) << several.detail;
}

TEST(FhirPathInvariants, WhatTheEngineCannotEvaluateIsNotEvaluatedWithTheReason) {
  const FhirPathInvariants invariants(core());
  const auto patient = json::parse(R"({"resourceType": "Patient", "gender": "male"})");
  const auto unsupported = on_resource(
      invariants,
      constraint("t-1", "gender.memberOf('http://hl7.org/fhir/ValueSet/administrative-gender')"),
      patient);
  EXPECT_EQ(unsupported.outcome, InvariantOutcome::NotEvaluated);
  EXPECT_NE(unsupported.detail.find("memberOf"), std::string::npos) << unsupported.detail;
  const auto unparseable = on_resource(invariants, constraint("t-2", "name.frist()"), patient);
  EXPECT_EQ(unparseable.outcome, InvariantOutcome::NotEvaluated);
  EXPECT_NE(unparseable.detail.find("frist"), std::string::npos) << unparseable.detail;
  const auto no_clock = on_resource(invariants, constraint("t-3", "now() > @2000-01-01"), patient);
  EXPECT_EQ(no_clock.outcome, InvariantOutcome::NotEvaluated);
  EXPECT_NE(no_clock.detail.find("now"), std::string::npos) << no_clock.detail;

  const time::ManualClock clock{time::parse_iso8601("2024-05-01T12:00:00Z")};
  const FhirPathInvariants with_clock(core(), {.clock = &clock});
  EXPECT_EQ(on_resource(with_clock, constraint("t-3", "now() > @2000-01-01"), patient).outcome,
            InvariantOutcome::Satisfied);
}

TEST(FhirPathInvariants, ValidatorReportsAnUnevaluatedInvariantOnceAsInformation) {
  definitions::Constraint rule = constraint("t-1", "gender.memberOf('http://x')");
  int calls = 0;
  const FhirPathInvariants invariants(core());
  ValidatorOptions options;
  options.invariant_evaluator = [&](const InvariantContext& context) {
    if (context.constraint.key != "ele-1") return InvariantVerdict{InvariantOutcome::Satisfied, {}};
    ++calls;  // ele-1 on every element, evaluated with an expression the engine refuses
    const InvariantContext replaced{rule,
                                    context.focus,
                                    context.focus_extension,
                                    context.focus_type,
                                    context.expression,
                                    context.resource,
                                    context.root_resource,
                                    context.bundle};
    return invariants.evaluate(replaced);
  };
  const auto result = Validator(core(), options).validate(heart_rate());
  EXPECT_GT(calls, 5);
  EXPECT_TRUE(result.is_valid());
  const auto unevaluated =
      std::count_if(result.issues.begin(), result.issues.end(),
                    [](const Issue& issue) { return issue.type == IssueType::NotSupported; });
  EXPECT_EQ(unevaluated, 1) << describe(result);
  EXPECT_EQ(result.issues.front().severity, IssueSeverity::Information);
}

TEST(FhirPathInvariants, ContainedResourceSeesItsContainerAsRootResource) {
  const FhirPathInvariants invariants(core());
  const auto observation = json::parse(R"({"resourceType": "Observation", "id": "outer",
      "contained": [{"resourceType": "Patient", "id": "inner"}]})");
  const auto& patient = observation.at("contained").at(0);
  const auto rule = constraint("t-1",
                               "%resource.id = 'inner' and %rootResource.id = 'outer' "
                               "and %context.id = 'inner'");
  const auto verdict = invariants.evaluate(
      {rule, patient, nullptr, "Patient", "Observation.contained[0]", patient, observation});
  EXPECT_EQ(verdict.outcome, InvariantOutcome::Satisfied) << verdict.detail;
}

TEST(FhirPathInvariants, ValidatorBindsRootResourceForContainedAndBundleEntries) {
  // ref-1: "#" is allowed only where %rootResource is not %resource (a contained resource
  // pointing at its container), and "#p" must name a contained resource of %rootResource.
  auto observation = heart_rate();
  observation["subject"] = {{"reference", "#p"}};
  observation["contained"] = json::array(
      {{{"resourceType", "Patient"}, {"id", "p"}, {"managingOrganization", {{"reference", "#"}}}}});
  const auto validator = checking_validator();
  const auto contained = validator.validate(observation);
  EXPECT_EQ(find_issue(contained, IssueType::Invariant, "ref-1"), nullptr) << describe(contained);
  // In a Bundle the entry is its own %rootResource: its "#p" still finds its contained Patient.
  const json bundle{
      {"resourceType", "Bundle"},
      {"type", "collection"},
      {"entry",
       {{{"fullUrl", "http://example.org/fhir/Observation/hr-1"}, {"resource", observation}}}}};
  const auto in_bundle = validator.validate(bundle);
  EXPECT_EQ(find_issue(in_bundle, IssueType::Invariant, "ref-1"), nullptr) << describe(in_bundle);
  // A top-level resource pointing at "#" has no container.
  auto patient = json::parse(R"({"resourceType": "Patient", "managingOrganization":
                                 {"reference": "#"}})");
  const auto alone = validator.validate(patient);
  const auto* self = find_issue(alone, IssueType::Invariant, "ref-1");
  ASSERT_NE(self, nullptr);
  EXPECT_EQ(self->expression, "Patient.managingOrganization");
}

TEST(FhirPathInvariants, ViolationDetailCarriesTraceOutput) {
  // dom-3 traces the ids of contained resources nothing refers to.
  auto observation = heart_rate();
  observation["contained"] = json::array({{{"resourceType", "Patient"}, {"id", "orphan"}}});
  const auto result = checking_validator().validate(observation);
  const auto* issue = find_issue(result, IssueType::Invariant, "dom-3");
  ASSERT_NE(issue, nullptr) << describe(result);
  EXPECT_NE(issue->diagnostics.find("(trace unmatched: id \"orphan\")"), std::string::npos)
      << issue->diagnostics;
}

TEST(FhirPathInvariants, UnionsAndDistinctOfManyStringsKeepEqualitySemantics) {
  // Unions of references (dom-3) and isDistinct() over fullUrls (bdl-7) take the engine's
  // hashed path from 16 items on; the answers must be those of item-by-item equality.
  const FhirPathInvariants invariants(core());
  json observation{{"resourceType", "Observation"}, {"hasMember", json::array()}};
  for (int i = 0; i < 40; ++i) {
    observation["hasMember"].push_back({{"reference", fmt::format("Observation/o{}", i % 20)}});
  }
  EXPECT_EQ(on_resource(invariants,
                        constraint("t-1",
                                   "(hasMember.reference | hasMember.reference).count() "
                                   "= 20 and hasMember.reference.distinct().count() = 20"),
                        observation)
                .outcome,
            InvariantOutcome::Satisfied);
  EXPECT_EQ(
      on_resource(invariants, constraint("t-2", "hasMember.reference.isDistinct()"), observation)
          .outcome,
      InvariantOutcome::Violated);
  // A String equals a Date it spells: mixed collections keep item-by-item comparison.
  EXPECT_EQ(on_resource(invariants,
                        constraint("t-3",
                                   "(hasMember.reference | '2024-01-01' | @2024-01-01)"
                                   ".count() = 21"),
                        observation)
                .outcome,
            InvariantOutcome::Satisfied);
}

// An Observation with `count` contained Observations, each referenced from hasMember. ref-1
// navigates %rootResource.contained.id for every Reference and dom-3 the whole resource for
// every contained one: invariant work quadratic in `count`.
json with_contained(int count) {
  auto observation = heart_rate();
  observation["contained"] = json::array();
  observation["hasMember"] = json::array();
  for (int i = 0; i < count; ++i) {
    observation["contained"].push_back({{"resourceType", "Observation"},
                                        {"id", fmt::format("o{}", i)},
                                        {"status", "final"},
                                        {"code", {{"text", "x"}}}});
    observation["hasMember"].push_back({{"reference", fmt::format("#o{}", i)}});
  }
  return observation;
}

TEST(FhirPathInvariants, WorkIsBoundedPerElementAndReportedWhenSpent) {
  const auto validator = checking_validator();
  // The default budget covers a resource of ordinary shape.
  const auto ordinary = validator.validate(with_contained(10));
  EXPECT_TRUE(ordinary.is_valid()) << describe(ordinary);
  EXPECT_EQ(find_issue(ordinary, IssueType::NotSupported, "too costly"), nullptr)
      << describe(ordinary);
  // Hundreds of contained resources each referenced: the budget runs out, the rest of the
  // invariants are reported not evaluated, and nothing is reported as a failure.
  const auto crafted = validator.validate(with_contained(800));
  EXPECT_TRUE(crafted.is_valid()) << describe(crafted);
  const auto* spent = find_issue(crafted, IssueType::NotSupported, "too costly");
  ASSERT_NE(spent, nullptr) << describe(crafted);
  EXPECT_EQ(spent->severity, IssueSeverity::Information);
  // A smaller grant runs out sooner.
  ValidatorOptions tight;
  tight.invariant_evaluator = make_fhirpath_invariant_evaluator(core());
  tight.invariant_work_per_element = 1;
  const auto limited = Validator(core(), tight).validate(with_contained(10));
  EXPECT_NE(find_issue(limited, IssueType::NotSupported, "too costly"), nullptr)
      << describe(limited);
}

TEST(FhirPathInvariants, ManyWarningsAreCountedNotListedAndNeverReject) {
  json bundle{{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", json::array()}};
  for (int i = 0; i < 20; ++i) {  // no narrative: dom-6 warns on each
    bundle["entry"].push_back(
        {{"fullUrl", fmt::format("http://example.org/fhir/Patient/p{}", i)},
         {"resource",
          {{"resourceType", "Patient"}, {"id", fmt::format("p{}", i)}, {"active", true}}}});
  }
  ValidatorOptions options;
  options.invariant_evaluator = make_fhirpath_invariant_evaluator(core());
  options.max_issues = 10;
  const auto result = Validator(core(), options).validate(bundle);
  EXPECT_TRUE(result.is_valid()) << describe(result);
  ASSERT_EQ(result.issues.size(), 11U) << describe(result);
  EXPECT_EQ(result.issues.back().type, IssueType::TooCostly);
  EXPECT_EQ(result.issues.back().severity, IssueSeverity::Information);
  EXPECT_NE(result.issues.back().diagnostics.find("10 further"), std::string::npos)
      << result.issues.back().diagnostics;
}

TEST(FhirPathInvariants, EachExpressionIsCompiledOnce) {
  const FhirPathInvariants invariants(core());
  const std::array<std::string_view, 1> types{"Observation"};
  const auto compiled = invariants.precompile(types);
  EXPECT_GT(compiled, 20U);
  EXPECT_EQ(invariants.precompile(types), 0U);
  const auto before = invariants.statistics();
  EXPECT_EQ(before.expressions, compiled);
  EXPECT_EQ(before.unparseable, 0U);
  ValidatorOptions options;
  options.invariant_evaluator = [&](const InvariantContext& context) {
    return invariants.evaluate(context);
  };
  EXPECT_TRUE(Validator(core(), options).validate(heart_rate()).is_valid());
  EXPECT_EQ(invariants.statistics().expressions, before.expressions);
}

TEST(FhirPathInvariants, SeveralThreadsShareOneEvaluatorAndAgree) {
  // A fresh cache, so that the threads race to compile the same expressions.
  ValidatorOptions options;
  options.invariant_evaluator = make_fhirpath_invariant_evaluator(core());
  const Validator validator(core(), std::move(options));
  std::vector<json> resources{heart_rate(), heart_rate(), heart_rate()};
  resources[1]["dataAbsentReason"] = {{"text", "n/a"}};
  resources[2]["valueQuantity"].erase("system");
  resources[2]["contained"] = json::array({{{"resourceType", "Patient"}, {"id", "orphan"}}});
  constexpr int kThreads = 8;
  constexpr int kRounds = 25;
  std::vector<std::vector<std::string>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        for (const auto& resource : resources) {
          seen[static_cast<std::size_t>(t)].push_back(describe(validator.validate(resource)));
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::vector<std::string> expected;
  for (const auto& resource : resources) expected.push_back(describe(validator.validate(resource)));
  EXPECT_NE(expected[1].find("obs-6"), std::string::npos) << expected[1];
  EXPECT_NE(expected[2].find("qty-3"), std::string::npos) << expected[2];
  EXPECT_NE(expected[2].find("dom-3"), std::string::npos) << expected[2];
  for (int t = 0; t < kThreads; ++t) {
    for (std::size_t i = 0; i < seen[static_cast<std::size_t>(t)].size(); ++i) {
      ASSERT_EQ(seen[static_cast<std::size_t>(t)][i], expected[i % resources.size()])
          << "thread " << t << " result " << i;
    }
  }
}

}  // namespace
}  // namespace ptwin::ingest::fhir::validation
