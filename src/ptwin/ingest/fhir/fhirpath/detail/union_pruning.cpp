// SPDX-License-Identifier: Apache-2.0
// Expression::for_resource_type: drops the top-level union branches that start at another
// resource type. The official SearchParameter expressions share one text across many types
// ("AllergyIntolerance.code | Condition.code | ... | Observation.code"); on an Observation all
// but one branch select nothing, yet each costs an evaluation. Measured in
// bench/ingest (extract_index).

#include <memory>
#include <string>
#include <vector>

#include "ptwin/ingest/fhir/fhirpath/fhirpath.hpp"

namespace ptwin::ingest::fhir::fhirpath {
namespace {

std::unique_ptr<AstNode> clone(const AstNode& node) {
  auto copy = std::make_unique<AstNode>();
  copy->kind = node.kind;
  copy->position = node.position;
  copy->name = node.name;
  copy->literal = node.literal;
  copy->height = node.height;
  copy->children.reserve(node.children.size());
  for (const auto& child : node.children) copy->children.push_back(clone(*child));
  return copy;
}

// The operands of a chain of top-level `|`, left to right.
void collect_union_operands(const AstNode& node, std::vector<const AstNode*>& operands) {
  if (node.kind == AstKind::Binary && node.name == "|" && node.children.size() == 2) {
    collect_union_operands(*node.children[0], operands);
    collect_union_operands(*node.children[1], operands);
    return;
  }
  operands.push_back(&node);
}

// The identifier a path starts with ("Observation" in `Observation.code.where(...)`), or null
// when the operand starts with something else ($this, a function, a literal, %resource).
const AstNode* leading_member(const AstNode& node) {
  const AstNode* current = &node;
  while (true) {
    switch (current->kind) {
      case AstKind::Member:
        return current;
      case AstKind::Invocation:
      case AstKind::Indexer:
      case AstKind::TypeTest:
      case AstKind::TypeCast:
        if (current->children.empty()) return nullptr;
        current = current->children[0].get();
        break;
      default:
        return nullptr;
    }
  }
}

// True when the operand starts at a known type that is neither `type` nor one of its bases:
// on a `type` resource such a path selects nothing (a leading type name only filters the
// focus by type; resource type names never clash with element names, which start in lower case).
bool starts_at_other_type(const AstNode& operand, std::string_view type,
                          const TypeInfoProvider& types) {
  const AstNode* member = leading_member(operand);
  if (member == nullptr || member->name.empty() || member->name.front() < 'A' ||
      member->name.front() > 'Z' || !types.base_type(member->name).has_value()) {
    return false;
  }
  std::string ancestor(type);
  while (!ancestor.empty()) {
    if (ancestor == member->name) return false;
    std::optional<std::string> base = types.base_type(ancestor);
    if (!base.has_value()) break;
    ancestor.swap(*base);
  }
  return true;
}

}  // namespace

Expression Expression::for_resource_type(std::string_view type,
                                         const TypeInfoProvider& types) const {
  std::vector<const AstNode*> operands;
  collect_union_operands(*root_, operands);
  std::vector<const AstNode*> kept;
  for (const AstNode* operand : operands) {
    if (!starts_at_other_type(*operand, type, types)) kept.push_back(operand);
  }
  if (kept.size() == operands.size()) return *this;
  if (kept.empty()) {
    auto empty = std::make_shared<AstNode>();
    empty->kind = AstKind::EmptyLiteral;
    return Expression(text_, std::move(empty));
  }
  // Rebuild the left-nested union of the kept operands; positions still point into text_.
  // A single kept operand stays a union (with {}): `|` removes duplicates, which the operand
  // alone would not.
  AstNode empty_operand;  // kind EmptyLiteral
  empty_operand.position = kept.front()->position;
  if (kept.size() == 1) kept.push_back(&empty_operand);
  std::unique_ptr<AstNode> root = clone(*kept.front());
  for (std::size_t i = 1; i < kept.size(); ++i) {
    auto join = std::make_unique<AstNode>();
    join->kind = AstKind::Binary;
    join->name.push_back('|');  // not = "|": GCC 12 -Wrestrict false positive
    join->position = root->position;
    auto right = clone(*kept[i]);
    join->height = 1 + std::max(root->height, right->height);
    join->children.push_back(std::move(root));
    join->children.push_back(std::move(right));
    root = std::move(join);
  }
  return Expression(text_, std::shared_ptr<const AstNode>(std::move(root)));
}

}  // namespace ptwin::ingest::fhir::fhirpath
