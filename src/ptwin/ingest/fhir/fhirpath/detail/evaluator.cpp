// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/fhirpath/detail/evaluator.hpp"

#include <array>
#include <cctype>

#include <fmt/format.h>

#include "ptwin/ingest/fhir/fhirpath/detail/functions.hpp"
#include "ptwin/ingest/fhir/fhirpath/parser.hpp"

namespace ptwin::ingest::fhir::fhirpath::detail {
namespace {

// %name constants of FHIRPath N1 §"Environment variables" and FHIR R5 §"Variables" that are
// plain strings.
struct FixedConstant {
  std::string_view name;
  std::string_view value;
};
constexpr std::array kFixedConstants{
    FixedConstant{"ucum", "http://unitsofmeasure.org"},
    FixedConstant{"sct", "http://snomed.info/sct"},
    FixedConstant{"loinc", "http://loinc.org"},
};
constexpr std::string_view kValueSetPrefix = "vs-";
constexpr std::string_view kExtensionPrefix = "ext-";
// Services that FHIR defines for a server environment; this engine has none of them.
constexpr std::array<std::string_view, 3> kServiceConstants{"terminologies", "server", "factory"};

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

const Collection* Scope::find_local(std::string_view name) const {
  for (const Scope* scope = this; scope != nullptr; scope = scope->parent) {
    for (const auto& [local_name, value] : scope->locals) {
      if (local_name == name) return &value;
    }
  }
  return nullptr;
}

Evaluator::Evaluator(const Expression& expression, const EvaluationContext& context,
                     const EvaluationOptions& options)
    : expression_(expression), context_(context), options_(options), model_(options.types) {
  if (context.resource != nullptr) resource_.emplace_back(resource_node(*context.resource));
  const nlohmann::json* root =
      context.root_resource != nullptr ? context.root_resource : context.resource;
  if (root != nullptr) root_resource_.emplace_back(resource_node(*root));
}

Collection Evaluator::run() {
  Scope scope;
  scope.focus = &context_.focus;
  return eval(expression_.root(), scope);
}

bool Evaluator::is_environment_variable(std::string_view name) const {
  if (options_.variables.find(name) != options_.variables.end()) return true;
  if (name == "context" || name == "resource" || name == "rootResource") return true;
  for (const auto& fixed : kFixedConstants) {
    if (fixed.name == name) return true;
  }
  for (const auto service : kServiceConstants) {
    if (service == name) return true;
  }
  return starts_with(name, kValueSetPrefix) || starts_with(name, kExtensionPrefix);
}

std::optional<time::Instant> Evaluator::now() {
  if (!now_ && options_.clock != nullptr) now_ = options_.clock->now();
  return now_;
}

bool Evaluator::charge_navigation(std::size_t items) const {
  std::size_t* budget = options_.navigation_budget;
  if (budget == nullptr) return true;
  if (items > *budget) {
    *budget = 0;
    return false;
  }
  *budget -= items;
  return true;
}

void Evaluator::fail_navigation(const Site& site, std::size_t items) {
  fail(site, fmt::format("{} more elements", items),
       "is too costly: the navigation budget (EvaluationOptions::navigation_budget) is spent");
}

Collection Evaluator::eval(const AstNode& node, Scope& scope) {
  switch (node.kind) {
    case AstKind::EmptyLiteral:
      return {};
    case AstKind::Literal:
      return {node.literal};
    case AstKind::Member:
      return member(node, *scope.focus, true);
    case AstKind::Function:
      return call(node, *scope.focus, scope);
    case AstKind::This:
      return *scope.focus;
    case AstKind::Index:
      if (!scope.index) return {};
      return {Item{*scope.index}};
    case AstKind::Total:
      return scope.total != nullptr ? *scope.total : Collection{};
    case AstKind::Constant:
      return constant(node, scope);
    case AstKind::Invocation: {
      const Collection input = eval(*node.children.at(0), scope);
      const AstNode& target = *node.children.at(1);
      return target.kind == AstKind::Member ? member(target, input, false)
                                            : call(target, input, scope);
    }
    case AstKind::Indexer:
      return indexer(node, scope);
    case AstKind::Unary: {
      Scope operand_scope = scope.child();
      const Collection operand = eval(*node.children.at(0), operand_scope);
      const std::string description = fmt::format("operator '{}'", node.name);
      return polarity_operator(node.name, operand, Site{description, node.position});
    }
    case AstKind::Binary:
      return binary(node, scope);
    case AstKind::TypeTest:
    case AstKind::TypeCast:
      return type_operator(node, scope);
  }
  return {};
}

Collection Evaluator::member(const AstNode& node, const Collection& input, bool is_leading) {
  Collection out;
  // A path may start with the type of its context (`Patient.name` on a Patient).
  const bool may_name_type = is_leading && !node.name.empty() &&
                             std::isupper(static_cast<unsigned char>(node.name.front()));
  bool is_defined = false;
  std::string undefined_on;  // a type that lacks the element, for the strict-mode message
  for (const Item& item : input) {
    if (const auto* element = std::get_if<Node>(&item)) {
      if (may_name_type && !element->type.empty() && model_.is_subtype(element->type, node.name)) {
        out.push_back(item);
        is_defined = true;
        continue;
      }
      const auto lookup = model_.child(*element, node.name, out);
      if (lookup == Model::Lookup::Undefined) {
        undefined_on = element->type;
      } else {
        is_defined = true;
      }
    } else if (const auto* type = std::get_if<TypeName>(&item)) {
      if (node.name == "namespace") out.emplace_back(type->namespace_name);
      if (node.name == "name") out.emplace_back(type->name);
      is_defined = true;
    }
  }
  // FHIRPath's semantic check, made on the types present: an element that none of them
  // defines is an error in strict mode.
  if (options_.strict_paths && !is_defined && !undefined_on.empty()) {
    const std::string description = fmt::format("element '{}'", node.name);
    fail(Site{description, node.position}, undefined_on,
         fmt::format("has no element '{}' (strict mode)", node.name));
  }
  if (!charge_navigation(out.size())) {
    fail_navigation(Site{fmt::format("element '{}'", node.name), node.position}, out.size());
  }
  return out;
}

Collection Evaluator::call(const AstNode& node, const Collection& input, Scope& scope) {
  const FunctionSpec* function = find_function(node.name);
  if (function == nullptr) {  // compile() refuses these; kept for trees built by hand
    const std::string description = fmt::format("function {}()", node.name);
    fail(Site{description, node.position}, node.name, "is not a FHIRPath function");
  }
  FunctionCall function_call(*this, node, input, scope);
  return function->run(function_call);
}

Collection Evaluator::constant(const AstNode& node, const Scope& scope) {
  const std::string& name = node.name;
  if (const Collection* local = scope.find_local(name)) return *local;
  if (const auto it = options_.variables.find(name); it != options_.variables.end())
    return it->second;
  if (name == "context") return context_.focus;
  if (name == "resource") return resource_;
  if (name == "rootResource") return root_resource_;
  for (const auto& fixed : kFixedConstants) {
    if (fixed.name == name) return {Item{std::string(fixed.value)}};
  }
  if (starts_with(name, kValueSetPrefix)) {
    return {
        Item{fmt::format("http://hl7.org/fhir/ValueSet/{}", name.substr(kValueSetPrefix.size()))}};
  }
  if (starts_with(name, kExtensionPrefix)) {
    return {Item{fmt::format("http://hl7.org/fhir/StructureDefinition/{}",
                             name.substr(kExtensionPrefix.size()))}};
  }
  const std::string description = fmt::format("variable %{}", name);
  for (const auto service : kServiceConstants) {
    if (service == name) {
      fail(Site{description, node.position}, fmt::format("%{}", name),
           "needs a terminology or FHIR server, which this engine does not have");
    }
  }
  fail(Site{description, node.position}, fmt::format("%{}", name), "is not defined in this scope");
}

Collection Evaluator::binary(const AstNode& node, Scope& scope) {
  const std::string& op = node.name;
  if (op == "and" || op == "or" || op == "xor" || op == "implies") return logical(node, scope);
  Scope left_scope = scope.child();
  const Collection left = eval(*node.children.at(0), left_scope);
  Scope right_scope = scope.child();
  const Collection right = eval(*node.children.at(1), right_scope);
  const std::string description = fmt::format("operator '{}'", op);
  const Site site{description, node.position};
  if (op == "|") {
    Collection out;
    append_all_distinct(out, left);
    append_all_distinct(out, right);
    return out;
  }
  if (op == "=") return from_boolean(collections_equal(left, right));
  if (op == "!=") {
    const auto same = collections_equal(left, right);
    return from_boolean(same ? std::optional<bool>(!*same) : std::nullopt);
  }
  if (op == "~") return {Item{collections_equivalent(left, right)}};
  if (op == "!~") return {Item{!collections_equivalent(left, right)}};
  if (op == "<" || op == ">" || op == "<=" || op == ">=")
    return compare_operator(op, left, right, site);
  if (op == "in" || op == "contains") {
    const Collection& element = op == "in" ? left : right;
    const Collection& container = op == "in" ? right : left;
    if (element.empty()) return {};
    if (element.size() > 1) fail(site, describe(element), "expects a single item to look for");
    return {Item{contains_item(container, element.front())}};
  }
  return arithmetic_operator(op, left, right, site);
}

// Three-valued logic (FHIRPath N1 §"Boolean logic"), evaluating the right operand only when
// the left one does not decide.
Collection Evaluator::logical(const AstNode& node, Scope& scope) {
  const std::string& op = node.name;
  const std::string description = fmt::format("operator '{}'", op);
  const Site site{description, node.position};
  Scope left_scope = scope.child();
  const auto left = as_boolean(eval(*node.children.at(0), left_scope), site);
  if (op == "and" && left == false) return {Item{false}};
  if (op == "or" && left == true) return {Item{true}};
  if (op == "implies" && left == false) return {Item{true}};
  Scope right_scope = scope.child();
  const auto right = as_boolean(eval(*node.children.at(1), right_scope), site);
  if (op == "and") {
    if (right == false) return {Item{false}};
    return left && right ? Collection{Item{true}} : Collection{};
  }
  if (op == "or") {
    if (right == true) return {Item{true}};
    return left && right ? Collection{Item{false}} : Collection{};
  }
  if (op == "xor") return left && right ? Collection{Item{*left != *right}} : Collection{};
  // implies, left is true or empty
  if (left) return from_boolean(right);
  return right == true ? Collection{Item{true}} : Collection{};
}

Collection Evaluator::indexer(const AstNode& node, Scope& scope) {
  const Collection target = eval(*node.children.at(0), scope);
  Scope index_scope = scope.child();
  const Collection index = eval(*node.children.at(1), index_scope);
  const Site site{"indexer []", node.position};
  const auto position = single_operand(index, site);
  if (!position) return {};
  const auto* value = std::get_if<std::int64_t>(&*position);
  if (value == nullptr) fail(site, describe(index), "expects an Integer index");
  if (*value < 0 || static_cast<std::uint64_t>(*value) >= target.size()) return {};
  return {target.at(static_cast<std::size_t>(*value))};
}

Collection Evaluator::type_operator(const AstNode& node, Scope& scope) {
  Scope operand_scope = scope.child();
  const Collection operand = eval(*node.children.at(0), operand_scope);
  const bool is_test = node.kind == AstKind::TypeTest;
  const std::string description = fmt::format("operator '{}'", is_test ? "is" : "as");
  const Site site{description, node.position};
  if (operand.empty()) return {};
  if (operand.size() > 1) fail(site, describe(operand), "expects a single item");
  const TypeSpecifier type = parse_type_specifier(node.name);
  bool matches = false;
  try {
    matches = model_.matches(operand.front(), type, !is_test);
  } catch (const EvaluationError& error) {
    fail(site, error.value(), error.rule());
  }
  if (is_test) return {Item{matches}};
  return matches ? operand : Collection{};
}

FunctionCall::FunctionCall(Evaluator& evaluator, const AstNode& node, const Collection& input,
                           Scope& scope)
    : evaluator_(evaluator),
      node_(node),
      input_(input),
      scope_(scope),
      description_(fmt::format("function {}()", node.name)) {}

Collection FunctionCall::argument(std::size_t index) {
  Scope scope = scope_.child();
  return evaluator_.eval(argument_node(index), scope);
}

Collection FunctionCall::argument_for(std::size_t index, const Item& item, std::int64_t position,
                                      const Collection* total) {
  return evaluate_for(argument_node(index), item, position, total);
}

Collection FunctionCall::evaluate_for(const AstNode& node, const Item& item, std::int64_t position,
                                      const Collection* total) {
  const Collection focus{item};
  Scope scope = scope_.child();
  scope.focus = &focus;
  scope.index = position;
  scope.total = total;
  return evaluator_.eval(node, scope);
}

Collection FunctionCall::argument_with_focus(std::size_t index, const Collection& focus) {
  Scope scope = scope_.child();
  scope.focus = &focus;
  return evaluator_.eval(argument_node(index), scope);
}

std::optional<Item> FunctionCall::single_argument(std::size_t index) {
  return single_operand(argument(index), site());
}

Site FunctionCall::site() const { return Site{description_, node_.position}; }

void FunctionCall::fail(const std::string& value, const std::string& rule) const {
  detail::fail(site(), value, rule);
}

}  // namespace ptwin::ingest::fhir::fhirpath::detail

namespace ptwin::ingest::fhir::fhirpath {
namespace {

void check_functions(std::string_view text, const AstNode& node) {
  if (node.kind == AstKind::Function) {
    const auto* function = detail::find_function(node.name);
    if (function == nullptr)
      throw ParseError(text, node.position, node.name, "is not a FHIRPath function");
    const std::size_t count = node.children.size();
    if (count < function->min_arguments || count > function->max_arguments) {
      const std::string expected =
          function->min_arguments == function->max_arguments
              ? fmt::format("{}", function->min_arguments)
              : fmt::format("{} to {}", function->min_arguments, function->max_arguments);
      throw ParseError(text, node.position, node.name + "()",
                       fmt::format("takes {} argument(s), not {}", expected, count));
    }
  }
  for (const auto& child : node.children) check_functions(text, *child);
}

}  // namespace

Expression Expression::compile(std::string_view text) {
  std::shared_ptr<const AstNode> root = parse(text);
  check_functions(text, *root);
  return Expression(std::string(text), std::move(root));
}

Node resource_node(const nlohmann::json& resource) {
  return detail::Model::resource_node(resource);
}

Collection evaluate(const Expression& expression, const nlohmann::json& resource,
                    const EvaluationOptions& options) {
  EvaluationContext context;
  context.focus.emplace_back(resource_node(resource));
  context.resource = &resource;
  return evaluate(expression, context, options);
}

Collection evaluate(const Expression& expression, const EvaluationContext& context,
                    const EvaluationOptions& options) {
  try {
    return detail::Evaluator(expression, context, options).run();
  } catch (const EvaluationError& error) {
    // Add the expression to the message once, where the evaluation was asked for.
    throw EvaluationError(
        fmt::format("FHIRPath '{}': {}", printable_value(expression.text()), error.where()),
        error.value(), error.rule());
  }
}

}  // namespace ptwin::ingest::fhir::fhirpath
