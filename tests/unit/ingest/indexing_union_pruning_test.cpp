// SPDX-License-Identifier: Apache-2.0
// Expression::for_resource_type on the official SearchParameter expressions: on every official
// example of the twin's resource types, the pruned expression selects exactly what the whole
// expression selects, and the shared multi-type expressions do shrink.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include <gtest/gtest.h>

#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/fhirpath/fhirpath.hpp"
#include "ptwin/ingest/fhir/indexing/definition_types.hpp"

namespace ptwin::ingest::fhir::indexing {
namespace {

const std::filesystem::path kPackageParent = PTWIN_FHIR_PACKAGE_DIR;

bool same_item(const fhirpath::Item& a, const fhirpath::Item& b) {
  if (a.index() != b.index()) return false;
  if (const auto* node = std::get_if<fhirpath::Node>(&a)) {
    const auto& other = std::get<fhirpath::Node>(b);
    return node->value == other.value && node->extension_part == other.extension_part &&
           node->type == other.type;
  }
  if (const auto* text = std::get_if<std::string>(&a)) return *text == std::get<std::string>(b);
  if (const auto* flag = std::get_if<bool>(&a)) return *flag == std::get<bool>(b);
  if (const auto* number = std::get_if<std::int64_t>(&a)) return *number == std::get<std::int64_t>(b);
  return true;  // other System values do not come out of the core search expressions
}

std::size_t union_branches(const fhirpath::AstNode& node) {
  if (node.kind == fhirpath::AstKind::Binary && node.name == "|") {
    return union_branches(*node.children[0]) + union_branches(*node.children[1]);
  }
  return node.kind == fhirpath::AstKind::EmptyLiteral ? 0 : 1;
}

TEST(UnionPruning, SelectsWhatTheWholeExpressionSelectsOnEveryOfficialExample) {
  const auto definitions = definitions::Definitions::open(kPackageParent);
  const DefinitionTypes types(*definitions);
  fhirpath::EvaluationOptions options;
  options.types = &types;
  options.stub_unresolved_references = true;  // as the index extractor evaluates them
  std::size_t resources = 0;
  std::size_t evaluations = 0;
  std::size_t branches_before = 0;
  std::size_t branches_after = 0;
  for (const auto& file : std::filesystem::directory_iterator(kPackageParent / "hl7.fhir.r5.examples")) {
    if (file.path().extension() != ".json") continue;
    std::ifstream in(file.path());
    const auto resource = nlohmann::json::parse(in, nullptr, false);
    if (!resource.is_object() || !resource.contains("resourceType")) continue;
    const std::string type = resource.value("resourceType", "");
    if (std::find(definitions::kTwinResourceTypes.begin(), definitions::kTwinResourceTypes.end(),
                  type) == definitions::kTwinResourceTypes.end()) {
      continue;
    }
    ++resources;
    for (const auto* parameter : definitions->search_parameters(type)) {
      if (parameter->expression.empty()) continue;
      const auto whole = fhirpath::Expression::compile(parameter->expression);
      const auto pruned = whole.for_resource_type(type, types);
      branches_before += union_branches(whole.root());
      branches_after += union_branches(pruned.root());
      // An expression that fails on a resource (the extractor skips it) must fail either way.
      const auto run = [&](const fhirpath::Expression& expression) -> std::optional<fhirpath::Collection> {
        try {
          return fhirpath::evaluate(expression, resource, options);
        } catch (const fhirpath::EvaluationError&) {
          return std::nullopt;
        }
      };
      const auto expected_or_error = run(whole);
      const auto actual_or_error = run(pruned);
      ++evaluations;
      ASSERT_EQ(actual_or_error.has_value(), expected_or_error.has_value())
          << file.path().filename() << " " << parameter->code;
      if (!expected_or_error) continue;
      const auto& expected = *expected_or_error;
      const auto& actual = *actual_or_error;
      ASSERT_EQ(actual.size(), expected.size())
          << file.path().filename() << " " << parameter->code << ": " << parameter->expression;
      for (std::size_t i = 0; i < actual.size(); ++i) {
        EXPECT_TRUE(same_item(actual[i], expected[i]))
            << file.path().filename() << " " << parameter->code << " item " << i;
      }
    }
  }
  EXPECT_GT(resources, 200U);
  EXPECT_GT(evaluations, 5000U);
  // Most branches of the shared expressions name other types.
  EXPECT_LT(branches_after * 3, branches_before) << branches_after << " of " << branches_before;
}

TEST(UnionPruning, KeepsBranchesOfTheTypeItsBasesAndThoseNotStartingAtAType) {
  const auto definitions = definitions::Definitions::open(kPackageParent);
  const DefinitionTypes types(*definitions);
  const auto whole = fhirpath::Expression::compile(
      "Condition.code | Observation.code | Resource.id | DomainResource.text | %resource.id | "
      "(Patient.name) | Observation.component.code");
  const auto pruned = whole.for_resource_type("Observation", types);
  EXPECT_EQ(union_branches(pruned.root()), 5U);
  EXPECT_EQ(pruned.text(), whole.text());
  const auto none = fhirpath::Expression::compile("Condition.code | Patient.name")
                        .for_resource_type("Observation", types);
  EXPECT_EQ(union_branches(none.root()), 0U);
  const nlohmann::json observation = {{"resourceType", "Observation"}, {"id", "o1"}};
  EXPECT_TRUE(fhirpath::evaluate(none, observation).empty());
}

}  // namespace
}  // namespace ptwin::ingest::fhir::indexing
