// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/fhirpath/parser.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ptwin/ingest/fhir/fhirpath/errors.hpp"
#include "ptwin/ingest/fhir/fhirpath/lexer.hpp"
#include "ptwin/ingest/fhir/fhirpath/ucum.hpp"

namespace ptwin::ingest::fhir::fhirpath {
namespace {

// Binding powers; higher binds tighter.
constexpr int kImplies = 1;
constexpr int kOr = 2;
constexpr int kAnd = 3;
constexpr int kMembership = 4;
constexpr int kEquality = 5;
constexpr int kInequality = 6;
constexpr int kUnion = 7;
constexpr int kType = 8;
constexpr int kAdditive = 9;
constexpr int kMultiplicative = 10;

struct InfixOperator {
  std::string_view text;
  TokenKind kind;
  int power;
};

constexpr std::array kInfixOperators{
    InfixOperator{"*", TokenKind::Symbol, kMultiplicative},
    InfixOperator{"/", TokenKind::Symbol, kMultiplicative},
    InfixOperator{"div", TokenKind::Identifier, kMultiplicative},
    InfixOperator{"mod", TokenKind::Identifier, kMultiplicative},
    InfixOperator{"+", TokenKind::Symbol, kAdditive},
    InfixOperator{"-", TokenKind::Symbol, kAdditive},
    InfixOperator{"&", TokenKind::Symbol, kAdditive},
    InfixOperator{"is", TokenKind::Identifier, kType},
    InfixOperator{"as", TokenKind::Identifier, kType},
    InfixOperator{"|", TokenKind::Symbol, kUnion},
    InfixOperator{"<", TokenKind::Symbol, kInequality},
    InfixOperator{">", TokenKind::Symbol, kInequality},
    InfixOperator{"<=", TokenKind::Symbol, kInequality},
    InfixOperator{">=", TokenKind::Symbol, kInequality},
    InfixOperator{"=", TokenKind::Symbol, kEquality},
    InfixOperator{"~", TokenKind::Symbol, kEquality},
    InfixOperator{"!=", TokenKind::Symbol, kEquality},
    InfixOperator{"!~", TokenKind::Symbol, kEquality},
    InfixOperator{"in", TokenKind::Identifier, kMembership},
    InfixOperator{"contains", TokenKind::Identifier, kMembership},
    InfixOperator{"and", TokenKind::Identifier, kAnd},
    InfixOperator{"or", TokenKind::Identifier, kOr},
    InfixOperator{"xor", TokenKind::Identifier, kOr},
    InfixOperator{"implies", TokenKind::Identifier, kImplies},
};

std::optional<int> infix_power(const Token& token) {
  for (const auto& op : kInfixOperators) {
    if (op.kind == token.kind && op.text == token.text) return op.power;
  }
  return std::nullopt;
}

std::string describe_token(const Token& token) {
  return token.kind == TokenKind::End ? "end of expression" : token.text;
}

using NodePtr = std::unique_ptr<AstNode>;

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text), tokens_(tokenize(text)) {}

  NodePtr run() {
    NodePtr root = expression(0);
    if (current().kind != TokenKind::End) {
      fail(current(), "is not expected here (an operator or the end of the expression was)");
    }
    return root;
  }

 private:
  [[noreturn]] void fail(const Token& token, std::string rule) const {
    throw ParseError(text_, token.position, describe_token(token), std::move(rule));
  }

  [[nodiscard]] const Token& current() const { return tokens_.at(index_); }
  const Token& advance() { return tokens_.at(index_ < tokens_.size() - 1 ? index_++ : index_); }
  [[nodiscard]] bool at_symbol(std::string_view symbol) const {
    return current().kind == TokenKind::Symbol && current().text == symbol;
  }
  void expect_symbol(std::string_view symbol, std::string_view context) {
    if (!at_symbol(symbol)) {
      fail(current(), fmt::format("expected '{}' {}", symbol, context));
    }
    advance();
  }

  NodePtr make(AstKind kind, std::size_t position, std::string name = {},
               std::vector<NodePtr> children = {}) {
    auto node = std::make_unique<AstNode>();
    node->kind = kind;
    node->position = position;
    node->name = std::move(name);
    node->children = std::move(children);
    int height = 1;
    for (const auto& child : node->children) height = std::max(height, child->height + 1);
    node->height = height;
    if (height > kMaxSyntaxDepth) {
      throw ParseError(text_, position, node->name,
                       fmt::format("nests deeper than {} levels", kMaxSyntaxDepth));
    }
    return node;
  }

  NodePtr expression(int min_power) {
    if (++nesting_ > kMaxSyntaxDepth) fail(current(), "nests too deeply");
    NodePtr left = unary();
    while (true) {
      const Token& op = current();
      const auto power = infix_power(op);
      if (!power || *power < min_power) break;
      advance();
      if (*power == kType) {
        const bool is_test = op.text == "is";
        std::string type = type_specifier();
        std::vector<NodePtr> children;
        children.push_back(std::move(left));
        left = make(is_test ? AstKind::TypeTest : AstKind::TypeCast, op.position, std::move(type),
                    std::move(children));
        continue;
      }
      NodePtr right = expression(*power + 1);
      std::vector<NodePtr> children;
      children.push_back(std::move(left));
      children.push_back(std::move(right));
      left = make(AstKind::Binary, op.position, op.text, std::move(children));
    }
    --nesting_;
    return left;
  }

  NodePtr unary() {
    if (at_symbol("+") || at_symbol("-")) {
      const Token op = advance();
      if (++nesting_ > kMaxSyntaxDepth) fail(op, "nests too deeply");
      std::vector<NodePtr> children;
      children.push_back(unary());
      --nesting_;
      return make(AstKind::Unary, op.position, op.text, std::move(children));
    }
    return postfix(term());
  }

  NodePtr postfix(NodePtr left) {
    while (true) {
      if (at_symbol(".")) {
        advance();
        const Token& name = current();
        if (name.kind != TokenKind::Identifier && name.kind != TokenKind::DelimitedIdentifier) {
          fail(name, "expected a name or a function call after '.'");
        }
        std::vector<NodePtr> children;
        children.push_back(std::move(left));
        children.push_back(member_or_function());
        const std::size_t position = children.back()->position;
        left = make(AstKind::Invocation, position, {}, std::move(children));
      } else if (at_symbol("[")) {
        const Token open = advance();
        std::vector<NodePtr> children;
        children.push_back(std::move(left));
        children.push_back(expression(0));
        expect_symbol("]", "to close the index");
        left = make(AstKind::Indexer, open.position, {}, std::move(children));
      } else {
        return left;
      }
    }
  }

  // A name, or a name followed by an argument list.
  NodePtr member_or_function() {
    const Token name = advance();
    if (!at_symbol("(")) return make(AstKind::Member, name.position, name.text);
    advance();
    std::vector<NodePtr> arguments;
    if (!at_symbol(")")) {
      arguments.push_back(expression(0));
      while (at_symbol(",")) {
        advance();
        arguments.push_back(expression(0));
      }
    }
    expect_symbol(")", fmt::format("to close the argument list of {}()", name.text));
    return make(AstKind::Function, name.position, name.text, std::move(arguments));
  }

  NodePtr term() {
    const Token& token = current();
    switch (token.kind) {
      case TokenKind::Identifier:
        if (token.text == "true" || token.text == "false") {
          const Token literal = advance();
          return literal_node(literal.position, Item{literal.text == "true"});
        }
        return member_or_function();
      case TokenKind::DelimitedIdentifier:
        return member_or_function();
      case TokenKind::String: {
        const Token literal = advance();
        return literal_node(literal.position, Item{literal.text});
      }
      case TokenKind::Integer:
      case TokenKind::Long:
      case TokenKind::Decimal:
        return number();
      case TokenKind::Temporal:
        return temporal();
      case TokenKind::Special: {
        const Token special = advance();
        const AstKind kind = special.text == "$this"    ? AstKind::This
                             : special.text == "$index" ? AstKind::Index
                                                        : AstKind::Total;
        return make(kind, special.position, special.text);
      }
      case TokenKind::Constant: {
        const Token constant = advance();
        return make(AstKind::Constant, constant.position, constant.text);
      }
      case TokenKind::Symbol:
        if (token.text == "(") {
          advance();
          NodePtr inner = expression(0);
          expect_symbol(")", "to close the parenthesis");
          return inner;
        }
        if (token.text == "{") {
          const Token open = advance();
          expect_symbol("}", "after '{' (only the empty collection {} is a literal)");
          return make(AstKind::EmptyLiteral, open.position, "{}");
        }
        break;
      case TokenKind::End:
        break;
    }
    fail(token, "expected a term (a name, a literal, a function call or '(')");
  }

  NodePtr literal_node(std::size_t position, Item value) {
    NodePtr node = make(AstKind::Literal, position);
    node->literal = std::move(value);
    return node;
  }

  // An Integer or Decimal literal, or a Quantity when a unit follows.
  NodePtr number() {
    const Token literal = advance();
    const auto decimal = Decimal::parse(literal.text);
    if (!decimal) fail(literal, "is not a number that fits 38 digits");
    const bool has_unit =
        current().kind == TokenKind::String || (current().kind == TokenKind::Identifier &&
                                                ucum::calendar_keyword(current().text).has_value());
    if (has_unit) {
      const Token unit = advance();
      return literal_node(literal.position, Item{Quantity{*decimal, unit.text}});
    }
    if (literal.kind == TokenKind::Decimal) return literal_node(literal.position, Item{*decimal});
    const auto integer = decimal->to_int64();
    if (!integer) fail(literal, "is too large for an Integer");
    return literal_node(literal.position, Item{*integer});
  }

  NodePtr temporal() {
    const Token literal = advance();
    const std::string& text = literal.text;
    std::optional<Temporal> value;
    if (!text.empty() && text.front() == 'T') {
      value = Temporal::parse_time(std::string_view(text).substr(1));
    } else if (text.find('T') != std::string::npos) {
      value = Temporal::parse_date_time(text);
    } else {
      value = Temporal::parse_date(text);
    }
    if (!value) fail(literal, "is not a valid date, date-time or time literal");
    return literal_node(literal.position, Item{*value});
  }

  // qualifiedIdentifier: name ('.' name)*, as written ("FHIR.Patient").
  std::string type_specifier() {
    std::string name;
    while (true) {
      const Token& part = current();
      if (part.kind != TokenKind::Identifier && part.kind != TokenKind::DelimitedIdentifier) {
        fail(part, "expected a type name");
      }
      name += advance().text;
      if (!at_symbol(".") || tokens_.at(index_ + 1).kind == TokenKind::End) return name;
      const Token& after = tokens_.at(index_ + 1);
      if (after.kind != TokenKind::Identifier && after.kind != TokenKind::DelimitedIdentifier) {
        return name;
      }
      // `x is Quantity.exists()` is not valid FHIRPath; only a namespace may be qualified.
      if (name != "FHIR" && name != "System") return name;
      advance();
      name += ".";
    }
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  std::size_t index_ = 0;
  int nesting_ = 0;
};

}  // namespace

std::unique_ptr<AstNode> parse(std::string_view expression) { return Parser(expression).run(); }

}  // namespace ptwin::ingest::fhir::fhirpath
