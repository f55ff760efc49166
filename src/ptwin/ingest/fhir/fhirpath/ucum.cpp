// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/fhirpath/ucum.hpp"

#include <string>

#include <fmt/format.h>

namespace ptwin::ingest::fhir::fhirpath::ucum {
namespace {

// Base indices in Exponents.
enum Base : std::size_t {
  kMeter,
  kGram,
  kSecond,
  kRadian,
  kKelvin,
  kCoulomb,
  kCandela,
  kMole,
  kMonth
};

struct Atom {
  std::string_view code;
  std::string_view factor;  // exact decimal text, in base units
  Exponents exponents;
  bool is_metric;  // may take an SI prefix
};

constexpr Exponents dims(int m, int g, int s, int rad = 0, int kelvin = 0, int coulomb = 0,
                         int candela = 0, int mole = 0) {
  return {m, g, s, rad, kelvin, coulomb, candela, mole, 0};
}

// UCUM (ucum.org, "The Unified Code for Units of Measure", tables 1-20): values reduced to base
// units by hand. Pa = kg/(m.s2) = 1000 g.m-1.s-2 because the UCUM mass base is the gram.
constexpr std::array kAtoms{
    Atom{"1", "1", dims(0, 0, 0), false},
    Atom{"%", "0.01", dims(0, 0, 0), false},
    Atom{"[ppth]", "0.001", dims(0, 0, 0), false},
    Atom{"[ppm]", "0.000001", dims(0, 0, 0), false},
    Atom{"m", "1", dims(1, 0, 0), true},
    Atom{"g", "1", dims(0, 1, 0), true},
    Atom{"s", "1", dims(0, 0, 1), true},
    Atom{"rad", "1", dims(0, 0, 0, 1), true},
    Atom{"K", "1", dims(0, 0, 0, 0, 1), true},
    Atom{"C", "1", dims(0, 0, 0, 0, 0, 1), true},
    Atom{"cd", "1", dims(0, 0, 0, 0, 0, 0, 1), true},
    Atom{"mol", "1", dims(0, 0, 0, 0, 0, 0, 0, 1), true},
    Atom{"eq", "1", dims(0, 0, 0, 0, 0, 0, 0, 1), true},
    Atom{"osm", "1", dims(0, 0, 0, 0, 0, 0, 0, 1), true},
    Atom{"kat", "1", dims(0, 0, -1, 0, 0, 0, 0, 1), true},
    Atom{"sr", "1", dims(0, 0, 0, 2), true},
    Atom{"Hz", "1", dims(0, 0, -1), true},
    Atom{"N", "1000", dims(1, 1, -2), true},
    Atom{"Pa", "1000", dims(-1, 1, -2), true},
    Atom{"J", "1000", dims(2, 1, -2), true},
    Atom{"W", "1000", dims(2, 1, -3), true},
    Atom{"A", "1", dims(0, 0, -1, 0, 0, 1), true},
    Atom{"V", "1000", dims(2, 1, -2, 0, 0, -1), true},
    Atom{"dyn", "0.01", dims(1, 1, -2), true},
    Atom{"erg", "0.0001", dims(2, 1, -2), true},
    Atom{"P", "100", dims(-1, 1, -1), true},
    Atom{"bar", "100000000", dims(-1, 1, -2), true},
    Atom{"atm", "101325000", dims(-1, 1, -2), false},
    Atom{"m[Hg]", "133322000", dims(-1, 1, -2), true},
    Atom{"m[H2O]", "9806650", dims(-1, 1, -2), true},
    Atom{"cal", "4184", dims(2, 1, -2), true},
    Atom{"[Cal]", "4184000", dims(2, 1, -2), false},
    Atom{"L", "0.001", dims(3, 0, 0), true},
    Atom{"l", "0.001", dims(3, 0, 0), true},
    Atom{"t", "1000000", dims(0, 1, 0), true},
    Atom{"min", "60", dims(0, 0, 1), false},
    Atom{"h", "3600", dims(0, 0, 1), false},
    Atom{"d", "86400", dims(0, 0, 1), false},
    Atom{"wk", "604800", dims(0, 0, 1), false},
    Atom{"mo", "2629800", dims(0, 0, 1), false},
    Atom{"mo_j", "2629800", dims(0, 0, 1), false},
    Atom{"mo_g", "2629746", dims(0, 0, 1), false},
    Atom{"a", "31557600", dims(0, 0, 1), false},
    Atom{"a_j", "31557600", dims(0, 0, 1), false},
    Atom{"a_g", "31556952", dims(0, 0, 1), false},
    Atom{"[in_i]", "0.0254", dims(1, 0, 0), false},
    Atom{"[ft_i]", "0.3048", dims(1, 0, 0), false},
    Atom{"[yd_i]", "0.9144", dims(1, 0, 0), false},
    Atom{"[mi_i]", "1609.344", dims(1, 0, 0), false},
    Atom{"[lb_av]", "453.59237", dims(0, 1, 0), false},
    Atom{"[oz_av]", "28.349523125", dims(0, 1, 0), false},
    Atom{"[gr]", "0.06479891", dims(0, 1, 0), false},
    Atom{"[foz_us]", "0.0000295735295625", dims(3, 0, 0), false},
    Atom{"[pt_us]", "0.000473176473", dims(3, 0, 0), false},
    Atom{"[qt_us]", "0.000946352946", dims(3, 0, 0), false},
    Atom{"[gal_us]", "0.003785411784", dims(3, 0, 0), false},
    // U (enzyme unit) = umol/min: 1e-6 / 60 mol/s, not a finite decimal; 28 digits kept.
    Atom{"U", "0.0000000166666666666666666667", dims(0, 0, -1, 0, 0, 0, 0, 1), true},
};

struct Prefix {
  std::string_view code;
  int power_of_ten;
};
constexpr std::array kPrefixes{
    Prefix{"da", 1},  Prefix{"Y", 24},  Prefix{"Z", 21},  Prefix{"E", 18},  Prefix{"P", 15},
    Prefix{"T", 12},  Prefix{"G", 9},   Prefix{"M", 6},   Prefix{"k", 3},   Prefix{"h", 2},
    Prefix{"d", -1},  Prefix{"c", -2},  Prefix{"m", -3},  Prefix{"u", -6},  Prefix{"n", -9},
    Prefix{"p", -12}, Prefix{"f", -15}, Prefix{"a", -18}, Prefix{"z", -21}, Prefix{"y", -24},
};

Decimal power_of_ten(int exponent) {
  const std::string digits(static_cast<std::size_t>(exponent < 0 ? -exponent : exponent), '0');
  return *Decimal::parse(exponent < 0 ? fmt::format("0.{}1", digits.substr(1))
                                      : fmt::format("1{}", digits));
}

const Atom* find_atom(std::string_view code) {
  for (const auto& atom : kAtoms) {
    if (atom.code == code) return &atom;
  }
  return nullptr;
}

std::optional<CanonicalUnit> symbol_unit(std::string_view symbol) {
  if (const Atom* atom = find_atom(symbol)) {
    return CanonicalUnit{*Decimal::parse(atom->factor), atom->exponents};
  }
  for (const auto& prefix : kPrefixes) {
    if (symbol.size() <= prefix.code.size() ||
        symbol.substr(0, prefix.code.size()) != prefix.code) {
      continue;
    }
    const Atom* atom = find_atom(symbol.substr(prefix.code.size()));
    if (atom == nullptr || !atom->is_metric) continue;
    const auto factor = Decimal::parse(atom->factor)->multiply(power_of_ten(prefix.power_of_ten));
    if (!factor) return std::nullopt;
    return CanonicalUnit{*factor, atom->exponents};
  }
  return std::nullopt;
}

std::optional<CanonicalUnit> combine(const CanonicalUnit& left, const CanonicalUnit& right,
                                     bool divide) {
  CanonicalUnit result;
  const auto factor =
      divide ? left.factor.divide(right.factor) : left.factor.multiply(right.factor);
  if (!factor) return std::nullopt;
  result.factor = *factor;
  for (std::size_t i = 0; i < kBaseCount; ++i) {
    result.exponents.at(i) = left.exponents.at(i) + (divide ? -1 : 1) * right.exponents.at(i);
  }
  return result;
}

std::optional<CanonicalUnit> raised(const CanonicalUnit& unit, int exponent) {
  CanonicalUnit result;
  for (int i = 0; i < (exponent < 0 ? -exponent : exponent); ++i) {
    const auto next = combine(result, unit, exponent < 0);
    if (!next) return std::nullopt;
    result = *next;
  }
  return result;
}

// Recursive-descent reader of the UCUM term grammar (UCUM §2.1: term, component, annotatable).
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  std::optional<CanonicalUnit> whole() {
    auto unit = term();
    if (!unit || position_ != text_.size()) return std::nullopt;
    return unit;
  }

 private:
  static constexpr int kMaxNesting = 16;

  std::optional<CanonicalUnit> term() {
    CanonicalUnit result;
    bool divide = false;
    if (accept('/')) divide = true;  // "/min"
    while (true) {
      const auto next = component();
      if (!next) return std::nullopt;
      const auto combined = combine(result, *next, divide);
      if (!combined) return std::nullopt;
      result = *combined;
      if (accept('.')) {
        divide = false;
      } else if (accept('/')) {
        divide = true;
      } else {
        return result;
      }
    }
  }

  std::optional<CanonicalUnit> component() {
    if (accept('(')) {
      if (++depth_ > kMaxNesting) return std::nullopt;
      auto inner = term();
      --depth_;
      if (!inner || !accept(')')) return std::nullopt;
      return inner;
    }
    if (peek('{')) {
      if (!annotation()) return std::nullopt;
      return CanonicalUnit{};
    }
    auto unit = annotatable();
    if (unit && peek('{') && !annotation()) return std::nullopt;
    return unit;
  }

  std::optional<CanonicalUnit> annotatable() {
    if (position_ < text_.size() && is_digit(text_[position_])) return factor();
    const std::size_t start = position_;
    int bracket_depth = 0;
    while (position_ < text_.size()) {
      const char c = text_[position_];
      if (c == '[') ++bracket_depth;
      if (c == ']') --bracket_depth;
      if (bracket_depth == 0 && (c == '.' || c == '/' || c == '(' || c == ')' || c == '{' ||
                                 c == '+' || c == '-' || is_digit(c))) {
        break;
      }
      ++position_;
    }
    if (position_ == start || bracket_depth != 0) return std::nullopt;
    auto unit = symbol_unit(text_.substr(start, position_ - start));
    if (!unit) return std::nullopt;
    const auto exponent = optional_exponent();
    if (!exponent) return std::nullopt;
    return raised(*unit, *exponent);
  }

  // "10*3", "10^-2" or a plain integer factor.
  std::optional<CanonicalUnit> factor() {
    const auto number = digits();
    if (!number) return std::nullopt;
    if (*number == 10 && (accept('*') || accept('^'))) {
      const auto exponent = optional_exponent();
      if (!exponent || *exponent == 0 || *exponent > 24 || *exponent < -24) return std::nullopt;
      return CanonicalUnit{power_of_ten(*exponent), {}};
    }
    return CanonicalUnit{Decimal::from_integer(*number), {}};
  }

  // An integer exponent after an atom ("m2", "s-1"); 1 when there is none.
  std::optional<int> optional_exponent() {
    const std::size_t start = position_;
    int sign = 1;
    if (accept('-')) {
      sign = -1;
    } else {
      accept('+');
    }
    if (position_ >= text_.size() || !is_digit(text_[position_])) {
      if (position_ != start) return std::nullopt;  // a sign without digits
      return 1;
    }
    const auto value = digits();
    if (!value || *value > 24) return std::nullopt;
    return sign * static_cast<int>(*value);
  }

  std::optional<long> digits() {
    long value = 0;
    const std::size_t start = position_;
    while (position_ < text_.size() && is_digit(text_[position_])) {
      if (position_ - start >= 9) return std::nullopt;
      value = value * 10 + (text_[position_] - '0');
      ++position_;
    }
    if (position_ == start) return std::nullopt;
    return value;
  }

  bool annotation() {
    if (!accept('{')) return false;
    while (position_ < text_.size() && text_[position_] != '}') {
      if (text_[position_] == '{') return false;
      ++position_;
    }
    return accept('}');
  }

  static bool is_digit(char c) { return c >= '0' && c <= '9'; }
  [[nodiscard]] bool peek(char c) const {
    return position_ < text_.size() && text_[position_] == c;
  }
  bool accept(char c) {
    if (!peek(c)) return false;
    ++position_;
    return true;
  }

  std::string_view text_;
  std::size_t position_ = 0;
  int depth_ = 0;
};

}  // namespace

std::optional<CalendarUnit> calendar_keyword(std::string_view unit) {
  struct Keyword {
    std::string_view singular;
    std::string_view plural;
    CalendarUnit unit;
  };
  constexpr std::array kKeywords{
      Keyword{"year", "years", CalendarUnit::Year},
      Keyword{"month", "months", CalendarUnit::Month},
      Keyword{"week", "weeks", CalendarUnit::Week},
      Keyword{"day", "days", CalendarUnit::Day},
      Keyword{"hour", "hours", CalendarUnit::Hour},
      Keyword{"minute", "minutes", CalendarUnit::Minute},
      Keyword{"second", "seconds", CalendarUnit::Second},
      Keyword{"millisecond", "milliseconds", CalendarUnit::Millisecond},
  };
  for (const auto& keyword : kKeywords) {
    if (unit == keyword.singular || unit == keyword.plural) return keyword.unit;
  }
  return std::nullopt;
}

std::optional<CalendarUnit> duration_unit(std::string_view unit) {
  if (const auto keyword = calendar_keyword(unit)) return keyword;
  if (unit == "wk") return CalendarUnit::Week;
  if (unit == "d") return CalendarUnit::Day;
  if (unit == "h") return CalendarUnit::Hour;
  if (unit == "min") return CalendarUnit::Minute;
  if (unit == "s") return CalendarUnit::Second;
  if (unit == "ms") return CalendarUnit::Millisecond;
  return std::nullopt;
}

std::optional<CanonicalUnit> canonical(std::string_view unit) {
  if (const auto keyword = calendar_keyword(unit)) {
    switch (*keyword) {
      case CalendarUnit::Year:
      case CalendarUnit::Month: {
        CanonicalUnit months{Decimal::from_integer(*keyword == CalendarUnit::Year ? 12 : 1), {}};
        months.exponents.at(kMonth) = 1;
        return months;
      }
      case CalendarUnit::Week:
        return canonical("wk");
      case CalendarUnit::Day:
        return canonical("d");
      case CalendarUnit::Hour:
        return canonical("h");
      case CalendarUnit::Minute:
        return canonical("min");
      case CalendarUnit::Second:
        return canonical("s");
      case CalendarUnit::Millisecond:
        return canonical("ms");
    }
  }
  if (unit.empty() || unit.size() > 256) return std::nullopt;
  return Reader(unit).whole();
}

}  // namespace ptwin::ingest::fhir::fhirpath::ucum
