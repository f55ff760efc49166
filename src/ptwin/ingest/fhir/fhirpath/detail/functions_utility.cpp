// SPDX-License-Identifier: Apache-2.0
// Utility functions (FHIRPath N1 §5.9), types (§6.3), aggregate() (§7), and the FHIRPath 2.1
// additions defineVariable(), lowBoundary(), highBoundary(), precision(), comparable(), sort().
#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "ptwin/ingest/fhir/fhirpath/detail/functions.hpp"

namespace ptwin::ingest::fhir::fhirpath::detail::functions {
namespace {

// Default precisions of lowBoundary()/highBoundary() (FHIRPath 2.1 §"lowBoundary").
constexpr int kDefaultDecimalPrecision = 8;
constexpr int kDefaultDatePrecision = 8;
constexpr int kDefaultDateTimePrecision = 17;
constexpr int kDefaultTimePrecision = 9;

// The decimal boundary of `value` (which is known to its scale, ±half a unit of its last digit)
// at `precision` digits. A boundary smaller than one unit of the requested precision is 0.
std::optional<Decimal> decimal_boundary(const Decimal& value, int precision, bool high) {
  if (precision < 0 || precision > Decimal::kMaxScale) return std::nullopt;
  const int scale = value.scale();
  const auto half_unit =
      Decimal::parse(fmt::format("0.{}5", std::string(static_cast<std::size_t>(scale), '0')));
  const auto boundary = high ? value.add(*half_unit) : value.subtract(*half_unit);
  if (!boundary) return std::nullopt;
  if (precision >= boundary->scale()) return boundary->with_scale(precision);
  const auto unit = Decimal::parse(
      precision == 0
          ? std::string("1")
          : fmt::format("0.{}1", std::string(static_cast<std::size_t>(precision - 1), '0')));
  if (boundary->abs().compare(*unit) < 0) return Decimal::from_integer(0).with_scale(precision);
  return high ? boundary->ceiled(precision) : boundary->floored(precision);
}

Collection boundary(FunctionCall& call, bool high) {
  const auto value = input_value(call);
  if (!value) return {};
  std::optional<std::int64_t> requested;
  if (call.argument_count() > 0) {
    requested = integer_argument(call, 0);
    if (!requested) return {};
    if (*requested < 0 || *requested > 100) return {};
  }
  const auto digits = [&](int fallback) {
    return requested ? static_cast<int>(*requested) : fallback;
  };
  if (const auto* temporal = std::get_if<Temporal>(&*value)) {
    const int fallback = temporal->kind == TemporalKind::Date       ? kDefaultDatePrecision
                         : temporal->kind == TemporalKind::DateTime ? kDefaultDateTimePrecision
                                                                    : kDefaultTimePrecision;
    const auto result = high ? high_boundary(*temporal, digits(fallback))
                             : low_boundary(*temporal, digits(fallback));
    if (!result) return {};
    return {Item{*result}};
  }
  if (const auto* quantity = std::get_if<Quantity>(&*value)) {
    const auto result = decimal_boundary(quantity->value, digits(kDefaultDecimalPrecision), high);
    if (!result) return {};
    return {Item{Quantity{*result, quantity->unit}}};
  }
  if (const auto* integer = std::get_if<std::int64_t>(&*value)) {
    const auto result =
        decimal_boundary(Decimal::from_integer(*integer), digits(kDefaultDecimalPrecision), high);
    if (!result) return {};
    return {Item{*result}};
  }
  if (const auto* decimal = std::get_if<Decimal>(&*value)) {
    const auto result = decimal_boundary(*decimal, digits(kDefaultDecimalPrecision), high);
    if (!result) return {};
    return {Item{*result}};
  }
  call.fail(describe(*value), "expects a number, a Quantity, a date or a time");
}

// The key of one sort() argument: the expression, or the operand of a leading unary minus
// with the order reversed (`sort(-$this)` on strings).
struct SortKey {
  const AstNode* expression;
  bool descending;
};

}  // namespace

Collection trace(FunctionCall& call) {
  const auto name = string_argument(call, 0).value_or("");
  const auto& sink = call.evaluator().options().trace;
  if (!sink) return call.input();
  if (call.argument_count() < 2) {
    sink(name, call.input());
  } else {
    Collection projected;
    for (std::size_t i = 0; i < call.input().size(); ++i) {
      auto values = call.argument_for(1, call.input()[i], static_cast<std::int64_t>(i));
      projected.insert(projected.end(), values.begin(), values.end());
    }
    sink(name, projected);
  }
  return call.input();
}

namespace {
Collection clock_reading(FunctionCall& call, TemporalKind kind) {
  const auto now = call.evaluator().now();
  if (!now) call.fail(call.name() + "()", "needs a clock (EvaluationOptions::clock)");
  return {Item{Temporal::from_instant(*now, call.evaluator().options().local_offset, kind)}};
}
}  // namespace

Collection now(FunctionCall& call) { return clock_reading(call, TemporalKind::DateTime); }
Collection today(FunctionCall& call) { return clock_reading(call, TemporalKind::Date); }
Collection time_of_day(FunctionCall& call) { return clock_reading(call, TemporalKind::Time); }

Collection define_variable(FunctionCall& call) {
  const auto name = string_argument(call, 0);
  if (!name || name->empty()) call.fail(describe(call.argument(0)), "expects a variable name");
  if (call.evaluator().is_environment_variable(*name)) {
    call.fail(fmt::format("%{}", *name), "is an environment variable and cannot be redefined");
  }
  if (call.scope().find_local(*name) != nullptr) {
    call.fail(fmt::format("%{}", *name), "is already defined in this scope");
  }
  Collection value =
      call.argument_count() > 1 ? call.argument_with_focus(1, call.input()) : call.input();
  call.scope().locals.emplace_back(*name, std::move(value));
  return call.input();
}

Collection low_boundary(FunctionCall& call) { return boundary(call, false); }
Collection high_boundary(FunctionCall& call) { return boundary(call, true); }

Collection precision(FunctionCall& call) {
  const auto value = input_value(call);
  if (!value) return {};
  if (const auto* decimal = std::get_if<Decimal>(&*value))
    return {Item{std::int64_t{decimal->scale()}}};
  if (std::holds_alternative<std::int64_t>(*value)) return {Item{std::int64_t{0}}};
  if (const auto* temporal = std::get_if<Temporal>(&*value)) {
    return {Item{std::int64_t{temporal->precision_digits()}}};
  }
  if (const auto* quantity = std::get_if<Quantity>(&*value)) {
    return {Item{std::int64_t{quantity->value.scale()}}};
  }
  call.fail(describe(*value), "expects a number, a Quantity, a date or a time");
}

Collection comparable(FunctionCall& call) {
  const auto value = input_value(call);
  const auto other = call.single_argument(0);
  if (!value || !other) return {};
  const auto* a = std::get_if<Quantity>(&*value);
  const auto* b = std::get_if<Quantity>(&*other);
  if (a == nullptr || b == nullptr) call.fail(describe(*value), "expects two Quantities");
  return {Item{fhirpath::comparable(*a, *b)}};
}

Collection sort(FunctionCall& call) {
  const Collection& input = call.input();
  std::vector<SortKey> keys;
  for (std::size_t i = 0; i < call.argument_count(); ++i) {
    const AstNode& argument = call.argument_node(i);
    const bool reversed = argument.kind == AstKind::Unary && argument.name == "-";
    keys.push_back(SortKey{reversed ? argument.children.at(0).get() : &argument, reversed});
  }
  // Key values per item, computed once.
  std::vector<std::vector<std::optional<Item>>> values(input.size());
  for (std::size_t i = 0; i < input.size(); ++i) {
    if (keys.empty()) values[i].push_back(operand_value(input[i]));
    for (const auto& key : keys) {
      const auto result =
          call.evaluate_for(*key.expression, input[i], static_cast<std::int64_t>(i));
      values[i].push_back(single_operand(result, call.site()));
    }
  }
  std::vector<std::size_t> order_of(input.size());
  std::iota(order_of.begin(), order_of.end(), 0);
  const Site site = call.site();
  std::stable_sort(order_of.begin(), order_of.end(), [&](std::size_t a, std::size_t b) {
    for (std::size_t k = 0; k < values[a].size(); ++k) {
      const auto& left = values[a][k];
      const auto& right = values[b][k];
      const bool descending = !keys.empty() && keys[k].descending;
      if (!left || !right) {  // an empty key sorts first, in either direction
        if (left.has_value() != right.has_value()) return !left.has_value();
        continue;
      }
      const auto result = order(*left, *right, site).value_or(0);
      if (result != 0) return descending ? result > 0 : result < 0;
    }
    return false;
  });
  Collection out;
  for (const auto index : order_of) out.push_back(input[index]);
  return out;
}

Collection type(FunctionCall& call) {
  Collection out;
  for (const auto& item : call.input()) out.emplace_back(type_of(item));
  return out;
}

Collection is(FunctionCall& call) {
  const TypeSpecifier type = type_argument(call, 0);
  if (call.input().empty()) return {};
  if (call.input().size() > 1) call.fail(describe(call.input()), "expects a single item");
  try {
    return {Item{call.model().matches(call.input().front(), type, false)}};
  } catch (const EvaluationError& error) {
    call.fail(error.value(), error.rule());
  }
}

Collection as(FunctionCall& call) {
  const TypeSpecifier type = type_argument(call, 0);
  if (call.input().empty()) return {};
  if (call.input().size() > 1) call.fail(describe(call.input()), "expects a single item");
  try {
    if (call.model().matches(call.input().front(), type, true)) return call.input();
  } catch (const EvaluationError& error) {
    call.fail(error.value(), error.rule());
  }
  return {};
}

Collection aggregate(FunctionCall& call) {
  Collection total = call.argument_count() > 1 ? call.argument(1) : Collection{};
  const auto& input = call.input();
  for (std::size_t i = 0; i < input.size(); ++i) {
    total = call.argument_for(0, input[i], static_cast<std::int64_t>(i), &total);
  }
  return total;
}

}  // namespace ptwin::ingest::fhir::fhirpath::detail::functions
