// SPDX-License-Identifier: Apache-2.0
#pragma once
// The tree-walking evaluator and the interface that library functions see.
//
// Scoping (FHIRPath N1 §"Functions", defineVariable() in FHIRPath 2.1): a Scope carries the
// focus ($this, and the input of a name or function at the start of a path), $index, $total and
// the variables that defineVariable() added. Each operand of an operator, each function
// argument and each iteration of a lambda gets a child scope, so a variable is visible to the
// rest of the invocation chain that defined it and to everything nested in it, and nowhere else.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ptwin/ingest/fhir/fhirpath/detail/model.hpp"
#include "ptwin/ingest/fhir/fhirpath/detail/operators.hpp"
#include "ptwin/ingest/fhir/fhirpath/fhirpath.hpp"

namespace ptwin::ingest::fhir::fhirpath::detail {

struct Scope {
  const Scope* parent = nullptr;
  const Collection* focus = nullptr;
  std::optional<std::int64_t> index;
  const Collection* total = nullptr;
  std::vector<std::pair<std::string, Collection>> locals;

  [[nodiscard]] Scope child() const {
    Scope scope;
    scope.parent = this;
    scope.focus = focus;
    scope.index = index;
    scope.total = total;
    return scope;
  }
  [[nodiscard]] const Collection* find_local(std::string_view name) const;
};

class Evaluator {
 public:
  Evaluator(const Expression& expression, const EvaluationContext& context,
            const EvaluationOptions& options);

  [[nodiscard]] Collection run();
  [[nodiscard]] Collection eval(const AstNode& node, Scope& scope);

  [[nodiscard]] const EvaluationOptions& options() const { return options_; }
  [[nodiscard]] const Model& model() const { return model_; }
  [[nodiscard]] const EvaluationContext& context() const { return context_; }
  /// A variable that defineVariable() may not shadow (%context, %ucum, an option variable, ...).
  [[nodiscard]] bool is_environment_variable(std::string_view name) const;
  /// The instant of now(), read from the clock once per evaluation (FHIRPath N1 §"now": every
  /// call within one evaluation returns the same value); nullopt without a clock.
  [[nodiscard]] std::optional<time::Instant> now();
  /// Takes `items` navigated elements from EvaluationOptions::navigation_budget (if any);
  /// false, with the budget emptied, when it cannot pay for them.
  [[nodiscard]] bool charge_navigation(std::size_t items) const;
  /// The EvaluationError for a navigation the budget could not pay for.
  [[noreturn]] static void fail_navigation(const Site& site, std::size_t items);

 private:
  Collection member(const AstNode& node, const Collection& input, bool is_leading);
  Collection call(const AstNode& node, const Collection& input, Scope& scope);
  Collection constant(const AstNode& node, const Scope& scope);
  Collection binary(const AstNode& node, Scope& scope);
  Collection logical(const AstNode& node, Scope& scope);
  Collection indexer(const AstNode& node, Scope& scope);
  Collection type_operator(const AstNode& node, Scope& scope);

  const Expression& expression_;
  const EvaluationContext& context_;
  const EvaluationOptions& options_;
  Model model_;
  Collection resource_;
  Collection root_resource_;
  std::optional<time::Instant> now_;
};

/// A function invocation as a library function sees it. Arguments are evaluated on demand, so
/// iif() evaluates only the branch it returns and lambdas run once per item.
class FunctionCall {
 public:
  FunctionCall(Evaluator& evaluator, const AstNode& node, const Collection& input, Scope& scope);

  [[nodiscard]] const Collection& input() const { return input_; }
  [[nodiscard]] std::size_t argument_count() const { return node_.children.size(); }
  [[nodiscard]] const AstNode& argument_node(std::size_t index) const {
    return *node_.children.at(index);
  }
  /// Argument `index` evaluated with the caller's focus (non-lambda parameters).
  [[nodiscard]] Collection argument(std::size_t index);
  /// Argument `index` evaluated with $this = `item` and $index = `position` (lambdas).
  [[nodiscard]] Collection argument_for(std::size_t index, const Item& item, std::int64_t position,
                                        const Collection* total = nullptr);
  /// Any node (a part of an argument) evaluated as argument_for() evaluates an argument.
  [[nodiscard]] Collection evaluate_for(const AstNode& node, const Item& item,
                                        std::int64_t position, const Collection* total = nullptr);
  /// Argument `index` evaluated with `focus` as $this (defineVariable(), iif() on a focus).
  [[nodiscard]] Collection argument_with_focus(std::size_t index, const Collection& focus);

  /// A single-valued argument as a System value; nullopt when empty; an error for several items.
  [[nodiscard]] std::optional<Item> single_argument(std::size_t index);

  [[nodiscard]] Evaluator& evaluator() { return evaluator_; }
  [[nodiscard]] const Model& model() const { return evaluator_.model(); }
  [[nodiscard]] Scope& scope() { return scope_; }
  [[nodiscard]] const std::string& name() const { return node_.name; }
  [[nodiscard]] Site site() const;

  /// Throws EvaluationError naming this function, its position and `value`.
  [[noreturn]] void fail(const std::string& value, const std::string& rule) const;

 private:
  Evaluator& evaluator_;
  const AstNode& node_;
  const Collection& input_;
  Scope& scope_;
  std::string description_;
};

}  // namespace ptwin::ingest::fhir::fhirpath::detail
