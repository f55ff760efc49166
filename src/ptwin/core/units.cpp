// SPDX-License-Identifier: Apache-2.0
#include "ptwin/core/units.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::units {
namespace {

struct Atom {
  std::string_view code;
  Dimension dimension;
  double to_si;
  bool is_prefixable;
};

// Base atoms. Whole-atom matches are tried before prefix + atom, so "mmHg" and "min" are never
// read as milli-"mHg" or milli-"in".
constexpr std::array kAtoms{
    Atom{"mm[Hg]", kPressureDim, kPaPerMmHg, false},
    Atom{"mmHg", kPressureDim, kPaPerMmHg, false},
    Atom{"cm[H2O]", kPressureDim, kPaPerCmH2O, false},
    Atom{"cmH2O", kPressureDim, kPaPerCmH2O, false},
    Atom{"Pa", kPressureDim, 1.0, true},
    Atom{"bar", kPressureDim, 1e5, true},
    Atom{"dyn", Dimension{1, 1, -2, 0}, 1e-5, false},
    Atom{"N", Dimension{1, 1, -2, 0}, 1.0, true},
    Atom{"g", Dimension{1, 0, 0, 0}, 1e-3, true},
    Atom{"m", kLengthDim, 1.0, true},
    Atom{"L", kVolumeDim, 1e-3, true},
    Atom{"l", kVolumeDim, 1e-3, true},
    Atom{"min", kTimeDim, 60.0, false},
    Atom{"h", kTimeDim, 3600.0, false},
    Atom{"d", kTimeDim, 86400.0, false},
    Atom{"s", kTimeDim, 1.0, true},
    Atom{"Hz", kFrequencyDim, 1.0, true},
    Atom{"bpm", kFrequencyDim, 1.0 / 60.0, false},
    Atom{"mol", Dimension{0, 0, 0, 1}, 1.0, true},
    Atom{"%", kDimensionless, 0.01, false},
    Atom{"1", kDimensionless, 1.0, false},
};

struct Prefix {
  std::string_view symbol;
  double factor;
};
constexpr std::array kPrefixes{Prefix{"k", 1e3}, Prefix{"M", 1e6},  Prefix{"d", 1e-1},
                               Prefix{"c", 1e-2}, Prefix{"m", 1e-3}, Prefix{"u", 1e-6},
                               Prefix{"n", 1e-9}, Prefix{"p", 1e-12}};

std::optional<Atom> find_atom(std::string_view code) {
  for (const auto& atom : kAtoms) {
    if (atom.code == code) return atom;
  }
  for (const auto& prefix : kPrefixes) {
    if (code.size() <= prefix.symbol.size() || !code.starts_with(prefix.symbol)) continue;
    const auto rest = code.substr(prefix.symbol.size());
    for (const auto& atom : kAtoms) {
      if (atom.is_prefixable && atom.code == rest) {
        return Atom{code, atom.dimension, atom.to_si * prefix.factor, false};
      }
    }
  }
  return std::nullopt;
}

// Far above any physiological unit (cm5, s2) and low enough that dimension arithmetic cannot
// overflow int and factors stay within double range.
constexpr int kMaxExponent = 9;
constexpr int kMaxDimensionExponent = 99;

Dimension scaled(Dimension d, int exponent) {
  return {d.mass * exponent, d.length * exponent, d.time * exponent, d.amount * exponent};
}

[[noreturn]] void unknown(std::string_view expression, std::string_view detail) {
  throw InputError(ErrorCode::UnknownUnit, "unit", std::string(expression),
                   fmt::format("is not a unit ptwin can read ({})", detail));
}

// One component: an atom with an optional exponent ("cm5", "cm-5", "cm^5", "s2"), or a
// brace annotation ("{beats}") that UCUM defines as dimensionless.
ParsedUnit parse_component(std::string_view text, std::string_view expression) {
  if (text.empty()) unknown(expression, "empty component");
  if (text.front() == '{') {
    if (text.back() != '}') unknown(expression, fmt::format("unclosed annotation '{}'", text));
    return {};
  }
  // Split a trailing integer exponent off, unless the whole component is an atom ("1", "%").
  if (auto atom = find_atom(text)) return {atom->dimension, atom->to_si};
  std::size_t split = text.size();
  while (split > 0 && std::isdigit(static_cast<unsigned char>(text[split - 1]))) --split;
  if (split > 0 && (text[split - 1] == '-' || text[split - 1] == '+')) --split;
  if (split > 0 && text[split - 1] == '^') --split;
  if (split == 0 || split == text.size()) {
    unknown(expression, fmt::format("unknown atom '{}'", text));
  }
  auto exponent_text = text.substr(split);
  if (exponent_text.starts_with('^')) exponent_text.remove_prefix(1);
  if (exponent_text.starts_with('+')) exponent_text.remove_prefix(1);
  int exponent = 0;
  const auto [end, ec] = std::from_chars(exponent_text.data(),
                                         exponent_text.data() + exponent_text.size(), exponent);
  if (exponent_text.empty() || ec != std::errc{} ||
      end != exponent_text.data() + exponent_text.size() || exponent == 0) {
    unknown(expression, fmt::format("bad exponent in '{}'", text));
  }
  if (std::abs(exponent) > kMaxExponent) {
    unknown(expression, fmt::format("exponent in '{}' is beyond +-{}", text, kMaxExponent));
  }
  const auto atom = find_atom(text.substr(0, split));
  if (!atom) unknown(expression, fmt::format("unknown atom '{}'", text.substr(0, split)));
  return {scaled(atom->dimension, exponent), std::pow(atom->to_si, exponent)};
}

}  // namespace

ParsedUnit parse_unit(std::string_view expression) {
  if (expression.empty()) unknown(expression, "empty unit");
  ParsedUnit result;
  bool is_divisor = false;
  std::size_t start = 0;
  if (expression.front() == '/') {  // UCUM "/min" means 1/min
    is_divisor = true;
    start = 1;
  }
  while (start <= expression.size()) {
    std::size_t end = start;
    while (end < expression.size() && expression[end] != '.' && expression[end] != '*' &&
           expression[end] != '/') {
      if (expression[end] == '{') {  // annotations may contain separators
        const auto close = expression.find('}', end);
        if (close == std::string_view::npos) unknown(expression, "unclosed annotation");
        end = close;
      }
      ++end;
    }
    const auto component = parse_component(expression.substr(start, end - start), expression);
    if (is_divisor) {
      result.dimension = result.dimension - component.dimension;
      result.to_si /= component.to_si;
    } else {
      result.dimension = result.dimension + component.dimension;
      result.to_si *= component.to_si;
    }
    const auto& d = result.dimension;
    if (std::abs(d.mass) > kMaxDimensionExponent || std::abs(d.length) > kMaxDimensionExponent ||
        std::abs(d.time) > kMaxDimensionExponent || std::abs(d.amount) > kMaxDimensionExponent) {
      unknown(expression, "dimension exponents beyond +-99");
    }
    if (!std::isnormal(result.to_si)) unknown(expression, "factor to SI outside double range");
    if (end == expression.size()) break;
    is_divisor = expression[end] == '/';
    start = end + 1;
    if (start == expression.size()) unknown(expression, "trailing separator");
  }
  return result;
}

std::string to_string(Dimension d) {
  std::string out;
  const auto append = [&out](std::string_view symbol, int exponent) {
    if (exponent == 0) return;
    if (!out.empty()) out += ' ';
    out += symbol;
    if (exponent != 1) out += fmt::format("^{}", exponent);
  };
  append("M", d.mass);
  append("L", d.length);
  append("T", d.time);
  append("N", d.amount);
  return out.empty() ? std::string("dimensionless") : out;
}

double to_si(double value, std::string_view unit, Dimension expected, std::string_view where) {
  if (!std::isfinite(value)) {
    throw InputError(ErrorCode::BadInput, std::string(where), fmt::format("{}", value),
                     "is not a finite number");
  }
  ParsedUnit parsed;
  try {
    parsed = parse_unit(unit);
  } catch (const InputError& error) {
    throw InputError(ErrorCode::UnknownUnit, std::string(where), std::string(unit), error.rule());
  }
  if (parsed.dimension != expected) {
    throw InputError(ErrorCode::UnitMismatch, std::string(where), std::string(unit),
                     fmt::format("has dimension {} but the field needs {}",
                                 to_string(parsed.dimension), to_string(expected)));
  }
  const double si = value * parsed.to_si;
  if (!std::isfinite(si)) {
    throw InputError(ErrorCode::BadInput, std::string(where), fmt::format("{} {}", value, unit),
                     "is too large to represent in SI units");
  }
  return si;
}

double convert(double value, std::string_view from_unit, std::string_view to_unit) {
  const auto to = parse_unit(to_unit);
  return to_si(value, from_unit, to.dimension, "unit conversion") / to.to_si;
}

}  // namespace ptwin::units
