// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/fhirpath/detail/operators.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <string_view>
#include <unordered_set>

#include <fmt/format.h>

#include "ptwin/ingest/fhir/fhirpath/errors.hpp"
#include "ptwin/ingest/fhir/fhirpath/ucum.hpp"

namespace ptwin::ingest::fhir::fhirpath::detail {
namespace {

constexpr std::array<std::string_view, 7> kQuantityTypes{
    "Quantity", "Age", "Count", "Distance", "Duration", "MoneyQuantity", "SimpleQuantity"};

bool is_number(const Item& item) {
  return std::holds_alternative<std::int64_t>(item) || std::holds_alternative<Decimal>(item);
}

Decimal to_decimal(const Item& item) {
  if (const auto* integer = std::get_if<std::int64_t>(&item))
    return Decimal::from_integer(*integer);
  return std::get<Decimal>(item);
}

std::optional<Quantity> to_quantity(const Item& item) {
  if (const auto* quantity = std::get_if<Quantity>(&item)) return *quantity;
  if (is_number(item)) return Quantity{to_decimal(item), "1"};
  return std::nullopt;
}

// Untyped JSON strings (no type provider) compared with a date: read them as one.
std::optional<Temporal> temporal_from_string(const std::string& text, const Temporal& like) {
  if (like.kind == TemporalKind::Time) return Temporal::parse_time(text);
  if (auto date = Temporal::parse_date(text)) return date;
  return Temporal::parse_date_time(text);
}

bool json_equal(const Node& left, const Node& right) {
  const auto same = [](const nlohmann::json* a, const nlohmann::json* b) {
    if (a == nullptr || b == nullptr) return a == b;
    return *a == *b;
  };
  return same(left.value, right.value) && same(left.extension_part, right.extension_part);
}

// FHIRPath N1 §"Equivalent": strings ignore case and collapse whitespace.
std::string normalized_text(const std::string& text) {
  std::string out;
  bool pending_space = false;
  for (const char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

std::string kind_name(const Item& item) {
  const TypeName type = type_of(item);
  return type.name.empty() ? "element" : type.name;
}

// Operands with untyped strings turned into dates where the other side is a date.
void align(Item& left, Item& right) {
  const auto* left_date = std::get_if<Temporal>(&left);
  const auto* right_date = std::get_if<Temporal>(&right);
  if (left_date != nullptr && std::holds_alternative<std::string>(right)) {
    if (auto parsed = temporal_from_string(std::get<std::string>(right), *left_date))
      right = *parsed;
  } else if (right_date != nullptr && std::holds_alternative<std::string>(left)) {
    if (auto parsed = temporal_from_string(std::get<std::string>(left), *right_date))
      left = *parsed;
  }
}

std::optional<Item> checked(std::optional<std::int64_t> value) {
  if (!value) return std::nullopt;
  return Item{*value};
}

std::optional<Item> integer_arithmetic(std::string_view op, std::int64_t a, std::int64_t b) {
  std::int64_t result = 0;
  if (op == "+") return __builtin_add_overflow(a, b, &result) ? std::nullopt : checked(result);
  if (op == "-") return __builtin_sub_overflow(a, b, &result) ? std::nullopt : checked(result);
  if (op == "*") return __builtin_mul_overflow(a, b, &result) ? std::nullopt : checked(result);
  if (b == 0 || (a == INT64_MIN && b == -1)) return std::nullopt;  // x/0 and overflow are empty
  if (op == "div") return Item{a / b};
  if (op == "mod") return Item{a % b};
  const auto quotient = Decimal::from_integer(a).divide(Decimal::from_integer(b));
  if (!quotient) return std::nullopt;
  return Item{*quotient};
}

std::optional<Item> decimal_arithmetic(std::string_view op, const Decimal& a, const Decimal& b) {
  std::optional<Decimal> result;
  if (op == "+") result = a.add(b);
  if (op == "-") result = a.subtract(b);
  if (op == "*") result = a.multiply(b);
  if (op == "/") result = a.divide(b);
  if (op == "div" || op == "mod") {
    if (b.is_zero()) return std::nullopt;
    const auto quotient = a.divide(b);
    if (!quotient) return std::nullopt;
    const Decimal whole = quotient->truncated(0);
    if (op == "div") {
      const auto integer = whole.to_int64();
      return integer ? std::optional<Item>(Item{*integer}) : std::nullopt;
    }
    const auto product = whole.multiply(b);
    if (product) result = a.subtract(*product);
  }
  if (!result) return std::nullopt;
  return Item{*result};
}

std::optional<Item> quantity_arithmetic(std::string_view op, const Quantity& a, const Quantity& b,
                                        const Site& site) {
  std::optional<Quantity> result;
  if (op == "+" || op == "-") {
    if (!comparable(a, b)) {
      fail(site, fmt::format("{} and {}", a.to_string(), b.to_string()),
           "have units that cannot be added");
    }
    result = op == "+" ? add(a, b) : subtract(a, b);
  } else if (op == "*") {
    result = multiply(a, b);
  } else if (op == "/") {
    result = divide(a, b);
  } else {
    fail(site, a.to_string(), "is not defined for quantities");
  }
  if (!result) return std::nullopt;
  return Item{*result};
}

std::optional<Item> temporal_arithmetic(std::string_view op, const Temporal& date,
                                        const Quantity& amount, const Site& site) {
  if (op != "+" && op != "-") fail(site, date.to_string(), "only + and - apply to dates and times");
  const auto unit = ucum::duration_unit(amount.unit);
  if (!unit) {
    fail(site, amount.to_string(),
         "is not a calendar duration (year ... millisecond, or UCUM wk, d, h, min, s, ms)");
  }
  const Decimal value = op == "-" ? amount.value.negated() : amount.value;
  const auto result = fhirpath::add(date, value, *unit);
  if (!result) {
    fail(site, fmt::format("{} {} {}", date.to_string(), op, amount.to_string()),
         "has no result (unit does not apply, or year out of range)");
  }
  return Item{*result};
}

}  // namespace

void fail(const Site& site, const std::string& value, const std::string& rule) {
  throw EvaluationError(fmt::format("{} at position {}", site.description, site.position),
                        printable_value(value), rule);
}

std::optional<Item> operand_value(const Item& item) {
  const auto* node = std::get_if<Node>(&item);
  if (node == nullptr) return item;
  if (std::find(kQuantityTypes.begin(), kQuantityTypes.end(), node->type) != kQuantityTypes.end()) {
    if (auto quantity = quantity_of_node(*node)) return Item{*quantity};
    return std::nullopt;
  }
  const bool is_complex = node->type.empty()
                              ? node->value != nullptr && node->value->is_structured()
                              : !is_fhir_primitive(node->type);
  if (is_complex) return item;  // compared as JSON
  return system_value(item);
}

std::optional<Item> single_operand(const Collection& items, const Site& site) {
  if (items.empty()) return std::nullopt;
  if (items.size() > 1) fail(site, describe(items), "expects at most one item");
  return operand_value(items.front());
}

std::optional<bool> as_boolean(const Collection& items, const Site& site) {
  if (items.empty()) return std::nullopt;
  if (items.size() > 1) fail(site, describe(items), "expects a single Boolean, not a collection");
  const auto value = operand_value(items.front());
  if (!value) return std::nullopt;
  if (const auto* boolean = std::get_if<bool>(&*value)) return *boolean;
  return true;  // a single non-Boolean item counts as true (FHIRPath N1 §"Singleton Evaluation")
}

Collection from_boolean(std::optional<bool> value) {
  if (!value) return {};
  return {Item{*value}};
}

std::optional<bool> items_equal(const Item& left_item, const Item& right_item) {
  auto left_value = operand_value(left_item);
  auto right_value = operand_value(right_item);
  if (!left_value || !right_value) return std::nullopt;
  Item& left = *left_value;
  Item& right = *right_value;
  align(left, right);
  if (is_number(left) && is_number(right)) return to_decimal(left).compare(to_decimal(right)) == 0;
  if (std::holds_alternative<Quantity>(left) || std::holds_alternative<Quantity>(right)) {
    const auto a = to_quantity(left);
    const auto b = to_quantity(right);
    if (!a || !b) return false;
    return equal(*a, *b);
  }
  if (left.index() != right.index()) return false;
  if (const auto* a = std::get_if<Temporal>(&left)) {
    const auto& b = std::get<Temporal>(right);
    if ((a->kind == TemporalKind::Time) != (b.kind == TemporalKind::Time)) return false;
    return equal(*a, b);
  }
  if (const auto* a = std::get_if<Node>(&left)) return json_equal(*a, std::get<Node>(right));
  if (const auto* a = std::get_if<TypeName>(&left)) {
    const auto& b = std::get<TypeName>(right);
    return a->namespace_name == b.namespace_name && a->name == b.name;
  }
  if (const auto* a = std::get_if<bool>(&left)) return *a == std::get<bool>(right);
  return std::get<std::string>(left) == std::get<std::string>(right);
}

bool items_equivalent(const Item& left_item, const Item& right_item) {
  auto left_value = operand_value(left_item);
  auto right_value = operand_value(right_item);
  if (!left_value || !right_value) return !left_value && !right_value;
  Item& left = *left_value;
  Item& right = *right_value;
  align(left, right);
  if (is_number(left) && is_number(right)) {
    const Decimal a = to_decimal(left);
    const Decimal b = to_decimal(right);
    const int digits = std::min(a.normalized().scale(), b.normalized().scale());
    return a.rounded(digits).compare(b.rounded(digits)) == 0;
  }
  if (std::holds_alternative<Quantity>(left) || std::holds_alternative<Quantity>(right)) {
    const auto a = to_quantity(left);
    const auto b = to_quantity(right);
    return a && b && equivalent(*a, *b);
  }
  if (left.index() != right.index()) return false;
  if (const auto* a = std::get_if<std::string>(&left)) {
    return normalized_text(*a) == normalized_text(std::get<std::string>(right));
  }
  if (const auto* a = std::get_if<Temporal>(&left))
    return equivalent(*a, std::get<Temporal>(right));
  return items_equal(left, right).value_or(false);
}

std::optional<bool> collections_equal(const Collection& left, const Collection& right) {
  if (left.empty() || right.empty()) return std::nullopt;
  if (left.size() != right.size()) return false;
  bool unknown = false;
  for (std::size_t i = 0; i < left.size(); ++i) {
    const auto same = items_equal(left[i], right[i]);
    if (!same) {
      unknown = true;
    } else if (!*same) {
      return false;
    }
  }
  if (unknown) return std::nullopt;
  return true;
}

bool collections_equivalent(const Collection& left, const Collection& right) {
  if (left.size() != right.size()) return false;
  std::vector<bool> used(right.size(), false);
  for (const auto& item : left) {
    bool found = false;
    for (std::size_t i = 0; i < right.size() && !found; ++i) {
      if (!used[i] && items_equivalent(item, right[i])) {
        used[i] = true;
        found = true;
      }
    }
    if (!found) return false;
  }
  return true;
}

bool contains_item(const Collection& items, const Item& item) {
  return std::any_of(items.begin(), items.end(), [&](const Item& candidate) {
    return items_equal(candidate, item).value_or(false);
  });
}

void append_distinct(Collection& out, const Item& item) {
  if (!contains_item(out, item)) out.push_back(item);
}

namespace {

// The text of an item whose equality with any other string item is byte equality: a System
// String, or a FHIR primitive that items_equal compares as one (code, uri, id, ... holding a
// JSON string). nullptr for anything else, including strings that would be compared with a
// Date by parsing them (align()), which is why the fast path below needs every item to be one.
const std::string* plain_text(const Item& item) {
  if (const auto* text = std::get_if<std::string>(&item)) return text;
  const auto* node = std::get_if<Node>(&item);
  if (node == nullptr || node->value == nullptr || !node->value->is_string() ||
      !is_fhir_primitive(node->type)) {
    return nullptr;
  }
  static constexpr std::array<std::string_view, 10> kNotText{
      "boolean", "integer", "unsignedInt", "positiveInt", "integer64",
      "decimal", "date",    "dateTime",    "instant",     "time"};
  if (std::find(kNotText.begin(), kNotText.end(), node->type) != kNotText.end()) return nullptr;
  return &node->value->get_ref<const std::string&>();
}

}  // namespace

void append_all_distinct(Collection& out, const Collection& items) {
  // Comparing each new item with every kept one made `%resource.descendants().reference | ...`
  // (FHIR's dom-3, once per contained resource) and bdl-7's isDistinct() over a Bundle's
  // fullUrls quadratic in the resource: seconds for a few hundred contained resources.
  constexpr std::size_t kLinearBelow = 16;
  const bool is_all_text =
      out.size() + items.size() >= kLinearBelow &&
      std::all_of(out.begin(), out.end(), [](const Item& i) { return plain_text(i) != nullptr; }) &&
      std::all_of(items.begin(), items.end(),
                  [](const Item& i) { return plain_text(i) != nullptr; });
  if (!is_all_text) {
    for (const auto& item : items) append_distinct(out, item);
    return;
  }
  // No reallocation below, so the views into `out` stay valid; those into `items` are stable.
  out.reserve(out.size() + items.size());
  std::unordered_set<std::string_view> seen;
  seen.reserve(out.size() + items.size());
  for (const auto& item : out) seen.insert(*plain_text(item));
  for (const auto& item : items) {
    if (seen.insert(*plain_text(item)).second) out.push_back(item);
  }
}

std::optional<int> order(const Item& left_item, const Item& right_item, const Site& site) {
  auto left_value = operand_value(left_item);
  auto right_value = operand_value(right_item);
  if (!left_value || !right_value) return std::nullopt;
  Item& left = *left_value;
  Item& right = *right_value;
  align(left, right);
  if (is_number(left) && is_number(right)) return to_decimal(left).compare(to_decimal(right));
  if (std::holds_alternative<Quantity>(left) || std::holds_alternative<Quantity>(right)) {
    const auto a = to_quantity(left);
    const auto b = to_quantity(right);
    if (a && b) return compare(*a, *b);
  } else if (left.index() == right.index()) {
    if (const auto* a = std::get_if<std::string>(&left)) {
      const int result = a->compare(std::get<std::string>(right));
      return result < 0 ? -1 : (result > 0 ? 1 : 0);
    }
    if (const auto* a = std::get_if<Temporal>(&left)) {
      const auto& b = std::get<Temporal>(right);
      if ((a->kind == TemporalKind::Time) == (b.kind == TemporalKind::Time)) return compare(*a, b);
    }
  }
  fail(site, fmt::format("{} and {}", describe(left_item), describe(right_item)),
       fmt::format("cannot be compared ({} with {})", kind_name(left), kind_name(right)));
}

Collection compare_operator(std::string_view op, const Collection& left, const Collection& right,
                            const Site& site) {
  const auto a = single_operand(left, site);
  const auto b = single_operand(right, site);
  if (!a || !b) return {};
  const auto result = order(*a, *b, site);
  if (!result) return {};
  if (op == "<") return {Item{*result < 0}};
  if (op == ">") return {Item{*result > 0}};
  if (op == "<=") return {Item{*result <= 0}};
  return {Item{*result >= 0}};
}

Collection arithmetic_operator(std::string_view op, const Collection& left, const Collection& right,
                               const Site& site) {
  if (op == "&") {
    const auto text = [&](const Collection& side) -> std::string {
      const auto value = single_operand(side, site);
      if (!value) return {};
      if (const auto* string = std::get_if<std::string>(&*value)) return *string;
      fail(site, describe(side), "expects a String");
    };
    return {Item{text(left) + text(right)}};
  }
  const auto a = single_operand(left, site);
  const auto b = single_operand(right, site);
  if (!a || !b) return {};
  std::optional<Item> result;
  if (std::holds_alternative<std::int64_t>(*a) && std::holds_alternative<std::int64_t>(*b)) {
    result = integer_arithmetic(op, std::get<std::int64_t>(*a), std::get<std::int64_t>(*b));
  } else if (is_number(*a) && is_number(*b)) {
    result = decimal_arithmetic(op, to_decimal(*a), to_decimal(*b));
  } else if (op == "+" && std::holds_alternative<std::string>(*a) &&
             std::holds_alternative<std::string>(*b)) {
    result = Item{std::get<std::string>(*a) + std::get<std::string>(*b)};
  } else if (std::holds_alternative<Temporal>(*a) && std::holds_alternative<Quantity>(*b)) {
    result = temporal_arithmetic(op, std::get<Temporal>(*a), std::get<Quantity>(*b), site);
  } else if (const auto qa = to_quantity(*a), qb = to_quantity(*b);
             qa && qb &&
             (std::holds_alternative<Quantity>(*a) || std::holds_alternative<Quantity>(*b))) {
    result = quantity_arithmetic(op, *qa, *qb, site);
  } else {
    fail(site, fmt::format("{} and {}", describe(*a), describe(*b)),
         fmt::format("is not defined for {} and {}", kind_name(*a), kind_name(*b)));
  }
  if (!result) return {};
  return {*result};
}

Collection polarity_operator(std::string_view op, const Collection& operand, const Site& site) {
  const auto value = single_operand(operand, site);
  if (!value) return {};
  if (const auto* integer = std::get_if<std::int64_t>(&*value)) {
    if (op == "+") return {*value};
    if (*integer == INT64_MIN) return {};
    return {Item{-*integer}};
  }
  if (const auto* decimal = std::get_if<Decimal>(&*value)) {
    return {Item{op == "-" ? decimal->negated() : *decimal}};
  }
  if (const auto* quantity = std::get_if<Quantity>(&*value)) {
    return {
        Item{Quantity{op == "-" ? quantity->value.negated() : quantity->value, quantity->unit}}};
  }
  fail(site, describe(*value), "expects a number or a Quantity");
}

}  // namespace ptwin::ingest::fhir::fhirpath::detail
