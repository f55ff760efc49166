// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the FHIRPath lexer, parser and compile-time checks. ParseError is the
// expected way to reject input; any other exception, a crash, a sanitizer report, an error
// position outside the input or a tree deeper than the parser's limit is a finding. Seed
// corpus: tests/data/bad_inputs/fhirpath (docs/fhirpath.md#fuzzing).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ptwin/ingest/fhir/fhirpath/fhirpath.hpp"
#include "ptwin/ingest/fhir/fhirpath/parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using ptwin::ingest::fhir::fhirpath::Expression;
  try {
    const auto expression = Expression::compile(text);
    if (expression.root().height > ptwin::ingest::fhir::fhirpath::kMaxSyntaxDepth) std::abort();
    if (expression.text() != text) std::abort();
  } catch (const ptwin::ingest::fhir::fhirpath::ParseError& error) {
    if (error.position() > size) std::abort();
  }
  return 0;
}
