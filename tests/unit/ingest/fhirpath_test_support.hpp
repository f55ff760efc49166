// SPDX-License-Identifier: Apache-2.0
#pragma once
// Helpers for the FHIRPath unit tests: evaluate an expression and render the result as text,
// so that a test reads `EXPECT_EQ(run("1 + 2"), "[3]")`.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fhirpath_package_types.hpp"
#include "ptwin/ingest/fhir/fhirpath/fhirpath.hpp"

namespace ptwin::ingest::fhir::fhirpath::testing {

inline const std::filesystem::path kPackageDir = PTWIN_FHIR_PACKAGE_DIR;

/// The R5 core package types, shared by all tests of a binary (loaded lazily, thread-safe).
inline const PackageTypes& core_types() {
  static const PackageTypes types(kPackageDir / "hl7.fhir.r5.core");
  return types;
}

/// An example resource of the R5 examples package, e.g. "Patient-example.json".
inline nlohmann::json example(const std::string& file) {
  const auto path = kPackageDir / "hl7.fhir.r5.examples" / file;
  std::ifstream stream(path);
  if (!stream)
    throw std::runtime_error("missing " + path.string() +
                             " (run scripts/install_fhir_packages.sh)");
  return nlohmann::json::parse(stream);
}

/// One item as text: true, 3, 1.50, 'text', @2014-05, 5 'mg', or a node's System value; a
/// complex node as its type in angle brackets.
inline std::string render(const Item& item) {
  auto value = system_value(item);
  if (const auto* node = std::get_if<Node>(&item); !value && node != nullptr) {
    if (const auto quantity = quantity_of_node(*node); quantity && node->type == "Quantity")
      value = *quantity;
  }
  if (!value) {
    const auto* node = std::get_if<Node>(&item);
    return node != nullptr ? std::string("<") + node->type + ">" : std::string("<?>");
  }
  if (const auto* boolean = std::get_if<bool>(&*value)) return *boolean ? "true" : "false";
  if (const auto* integer = std::get_if<std::int64_t>(&*value)) return std::to_string(*integer);
  if (const auto* decimal = std::get_if<Decimal>(&*value)) return decimal->to_string();
  if (const auto* text = std::get_if<std::string>(&*value)) return std::string("'") + *text + "'";
  if (const auto* temporal = std::get_if<Temporal>(&*value)) {
    return std::string(temporal->kind == TemporalKind::Time ? "@T" : "@") + temporal->to_string();
  }
  if (const auto* quantity = std::get_if<Quantity>(&*value)) return quantity->to_string();
  if (const auto* type = std::get_if<TypeName>(&*value))
    return type->namespace_name + "." + type->name;
  return "<?>";
}

inline std::string render(const Collection& items) {
  std::string out = "[";
  for (const auto& item : items) {
    if (out.size() > 1) out += ", ";
    out += render(item);
  }
  return out + "]";
}

/// Evaluates `expression` against `resource` (an empty object when not given).
inline std::string run(std::string_view expression,
                       const nlohmann::json& resource = nlohmann::json::object(),
                       const EvaluationOptions& options = {}) {
  return render(evaluate(Expression::compile(expression), resource, options));
}

/// Options with the R5 core types.
inline EvaluationOptions typed(bool strict = false) {
  EvaluationOptions options;
  options.types = &core_types();
  options.strict_paths = strict;
  return options;
}

/// The message of the exception `expression` throws, or "" when it does not throw that type.
template <typename Error>
std::string error_of(std::string_view expression,
                     const nlohmann::json& resource = nlohmann::json::object(),
                     const EvaluationOptions& options = {}) {
  try {
    (void)evaluate(Expression::compile(expression), resource, options);
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

}  // namespace ptwin::ingest::fhir::fhirpath::testing
