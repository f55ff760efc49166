// SPDX-License-Identifier: Apache-2.0
// Argument and input helpers shared by the function families.
#include <fmt/format.h>

#include "ptwin/ingest/fhir/fhirpath/detail/functions.hpp"

namespace ptwin::ingest::fhir::fhirpath::detail {
namespace {

std::optional<std::string> qualified_name(const AstNode& node) {
  if (node.kind == AstKind::Member) return node.name;
  if (node.kind == AstKind::Invocation && node.children.size() == 2 &&
      node.children.at(1)->kind == AstKind::Member) {
    const auto prefix = qualified_name(*node.children.at(0));
    if (prefix) return fmt::format("{}.{}", *prefix, node.children.at(1)->name);
  }
  return std::nullopt;
}

}  // namespace

std::optional<Item> input_value(FunctionCall& call) {
  return single_operand(call.input(), call.site());
}

std::optional<std::string> input_string(FunctionCall& call) {
  const auto value = input_value(call);
  if (!value) return std::nullopt;
  if (const auto* text = std::get_if<std::string>(&*value)) return *text;
  call.fail(describe(call.input()), "expects a String input");
}

std::optional<std::string> string_argument(FunctionCall& call, std::size_t index) {
  const auto value = call.single_argument(index);
  if (!value) return std::nullopt;
  if (const auto* text = std::get_if<std::string>(&*value)) return *text;
  call.fail(describe(*value), fmt::format("expects a String as argument {}", index + 1));
}

std::optional<std::int64_t> integer_argument(FunctionCall& call, std::size_t index) {
  const auto value = call.single_argument(index);
  if (!value) return std::nullopt;
  if (const auto* integer = std::get_if<std::int64_t>(&*value)) return *integer;
  call.fail(describe(*value), fmt::format("expects an Integer as argument {}", index + 1));
}

TypeSpecifier type_argument(FunctionCall& call, std::size_t index) {
  const auto name = qualified_name(call.argument_node(index));
  if (!name) call.fail(call.name(), "expects a type name such as Quantity or FHIR.Patient");
  return parse_type_specifier(*name);
}

}  // namespace ptwin::ingest::fhir::fhirpath::detail
