// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reads the official FHIRPath test suite (tests-fhir-r5.xml in HL7's fhir-test-cases, schema
// testSchema.xsd there): groups of tests, each an expression with its expected outputs. A
// small XML reader that covers what the suite uses (elements, attributes, text, comments,
// the XML entities and character references); it is not a general XML parser.

#include <string>
#include <string_view>
#include <vector>

namespace ptwin::ingest::fhir::fhirpath::testing {

struct SuiteOutput {
  std::string type;  // boolean, integer, decimal, string, code, date, dateTime, time, Quantity, ...
  std::string text;
};

struct SuiteTest {
  std::string group;
  std::string name;
  std::string expression;
  std::string invalid;     // "", "syntax", "semantic", "execution", "true"
  std::string input_file;  // e.g. "patient-example.xml"; empty for no input
  std::string mode;        // "", "strict", "lenient/polymorphics", "element", "cda", "tx", "html"
  bool predicate = false;
  bool ordered = true;
  std::vector<SuiteOutput> outputs;
};

/// All tests of the suite document. Throws std::runtime_error on XML it cannot read.
[[nodiscard]] std::vector<SuiteTest> read_suite(std::string_view xml);

}  // namespace ptwin::ingest::fhir::fhirpath::testing
