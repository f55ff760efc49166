// SPDX-License-Identifier: Apache-2.0
#pragma once
// The syntax tree of a FHIRPath expression (FHIRPath N1 §"Grammar"). Every node records the
// offset of its first token so that evaluation errors can point into the expression.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "ptwin/ingest/fhir/fhirpath/value.hpp"

namespace ptwin::ingest::fhir::fhirpath {

enum class AstKind {
  EmptyLiteral,  // {}
  Literal,       // true, 'text', 12, 1.5, @2014, 4 'mg'           literal
  Member,        // name, applied to the focus (or to children[0]'s result via Invocation)
  Function,      // name(args...)                                   children = arguments
  This,          // $this
  Index,         // $index
  Total,         // $total
  Constant,      // %name                                           name
  Invocation,    // children[0].children[1] where [1] is a Member or a Function
  Indexer,       // children[0][children[1]]
  Unary,         // name is "+" or "-"                              children = {operand}
  Binary,        // name is the operator ("and", "<=", "|", ...)    children = {left, right}
  TypeTest,      // children[0] is <name>                           name = qualified type
  TypeCast,      // children[0] as <name>
};

struct AstNode {
  AstKind kind = AstKind::EmptyLiteral;
  std::size_t position = 0;
  /// Member, function, constant, operator or (qualified) type name, as written.
  std::string name;
  /// The value of a Literal.
  Item literal;
  std::vector<std::unique_ptr<AstNode>> children;
  /// Levels of this subtree (1 for a leaf); bounded by kMaxSyntaxDepth (parser.hpp).
  int height = 1;
};

}  // namespace ptwin::ingest::fhir::fhirpath
