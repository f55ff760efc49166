// SPDX-License-Identifier: Apache-2.0
#pragma once
// FHIRPath text -> syntax tree. Precedence, from tightest to loosest (FHIRPath N1 §"Operator
// precedence"): `.` and `[]`; unary `+ -`; `* / div mod`; `+ - &`; `is as`; `|`;
// `< > <= >=`; `= ~ != !~`; `in contains`; `and`; `or xor`; `implies`. All binary operators
// are left-associative.

#include <memory>
#include <string_view>

#include "ptwin/ingest/fhir/fhirpath/ast.hpp"

namespace ptwin::ingest::fhir::fhirpath {

/// Nodes deeper than this are refused, so that hostile input cannot exhaust the stack of the
/// parser, the evaluator or the tree's destructor.
inline constexpr int kMaxSyntaxDepth = 200;

/// Parses a whole expression. Throws ParseError with the position of the offending token.
/// Function names are not checked here (see compile() in fhirpath.hpp).
[[nodiscard]] std::unique_ptr<AstNode> parse(std::string_view expression);

}  // namespace ptwin::ingest::fhir::fhirpath
