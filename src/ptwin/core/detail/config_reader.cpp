// SPDX-License-Identifier: Apache-2.0
#include "ptwin/core/detail/config_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace ptwin::detail {
namespace {

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Optimal string alignment distance (Levenshtein plus adjacent transpositions),
// for "did you mean" hints.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// The closest candidate if it is close enough to be a plausible typo.

bool is_finite_float_syntax(std::string_view text) {
  std::size_t i = 0;
  const auto digits = [&] {
    const auto start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i - start;
  };
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  const auto integer_digits = digits();
  std::size_t fraction_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    fraction_digits = digits();
  }
  if (integer_digits == 0 && fraction_digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == text.size();
}

}  // namespace

// The value of a node as it appears in a problem: scalars verbatim, structures
// by kind.
std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return printable_value(node.Scalar());
    case YAML::NodeType::Sequence:
      return "<list>";
    case YAML::NodeType::Map:
      return "<map>";
    default:
      return "<empty>";
  }
}

std::optional<std::string_view> closest(std::string_view text,
                                        const std::vector<std::string_view>& candidates) {
  constexpr std::size_t kMaxTypoLength = 64;  // longer text is not a typo of a key
  if (text.empty() || text.size() > kMaxTypoLength) return std::nullopt;
  const auto needle = lowercase(text);
  std::optional<std::string_view> best;
  std::size_t best_distance = 0;
  for (const auto candidate : candidates) {
    const auto distance = edit_distance(needle, lowercase(candidate));
    if (!best || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  const std::size_t limit = std::max<std::size_t>(2, best ? best->size() / 3 : 0);
  if (!best || best_distance > limit || best_distance >= text.size()) return std::nullopt;
  return best;
}

std::string join(const std::vector<std::string_view>& items, std::string_view separator) {
  std::string out;
  for (const auto item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// Scalar text of a given value, or a problem. `kind` names what was expected
// ("an integer").
std::optional<std::string> scalar_text(const YAML::Node& node, const std::string& path,
                                       std::string_view kind, Problems& problems) {
  if (node.IsScalar()) return node.Scalar();
  if (node.IsNull()) {
    problems.add(path, "", fmt::format("has no value; give {} or remove the key", kind),
                 ErrorCode::MissingField);
  } else {
    problems.add(path, describe(node), fmt::format("must be {}", kind));
  }
  return std::nullopt;
}

// Text of a known key; a problem if it is required and absent.
std::optional<std::string> read_text(const Section& section, std::string_view key, bool is_required,
                                     std::string_view kind) {
  const auto node = section.get(key);
  if (!node) {
    if (is_required) section.problems().missing(section.path_of(key));
    return std::nullopt;
  }
  return scalar_text(*node, section.path_of(key), kind, section.problems());
}

void read_int(const Section& section, std::string_view key, int lowest, int highest, int& out) {
  const auto kind = fmt::format("an integer from {} to {}", lowest, highest);
  const auto text = read_text(section, key, false, kind);
  if (!text) return;
  std::string_view digits = *text;
  if (digits.starts_with('+')) digits.remove_prefix(1);
  long long value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() ||
      value < lowest || value > highest) {
    section.problems().add(section.path_of(key), printable_value(*text), "must be " + kind);
    return;
  }
  out = static_cast<int>(value);
}

// YAML 1.2 core-schema float syntax without .inf/.nan:
// [-+]?(\.d+|d+(\.d*)?)([eE][-+]?d+)? A number strictly between `lowest` and
// `highest`.
void read_open_interval(const Section& section, std::string_view key, double lowest, double highest,
                        double& out) {
  const auto kind = fmt::format("a number greater than {} and less than {}", lowest, highest);
  const auto text = read_text(section, key, false, kind);
  if (!text) return;
  std::string_view number = *text;
  if (number.starts_with('+')) number.remove_prefix(1);
  double value = 0.0;
  const bool is_number =
      is_finite_float_syntax(*text) &&
      std::from_chars(number.data(), number.data() + number.size(), value).ec == std::errc{};
  if (!is_number || !std::isfinite(value) || !(value > lowest && value < highest)) {
    section.problems().add(section.path_of(key), printable_value(*text), "must be " + kind);
    return;
  }
  out = value;
}

void read_bool(const Section& section, std::string_view key, bool& out) {
  const auto text = read_text(section, key, false, "true or false");
  if (!text) return;
  // YAML 1.2 core schema only: "yes", "on" and "y" are YAML 1.1 and read as
  // text.
  static constexpr std::array kTrue{"true", "True", "TRUE"};
  static constexpr std::array kFalse{"false", "False", "FALSE"};
  if (std::find(kTrue.begin(), kTrue.end(), *text) != kTrue.end()) {
    out = true;
  } else if (std::find(kFalse.begin(), kFalse.end(), *text) != kFalse.end()) {
    out = false;
  } else {
    section.problems().add(section.path_of(key), printable_value(*text), "must be true or false");
  }
}

void read_path(const Section& section, std::string_view key, bool is_required,
               const std::filesystem::path& base_dir, std::filesystem::path& out) {
  const auto text = read_text(section, key, is_required, "a path");
  if (!text) return;
  if (text->empty() || text->find('\0') != std::string::npos) {
    section.problems().add(section.path_of(key), printable_value(*text),
                           "must be a non-empty path without NUL characters");
    return;
  }
  const std::filesystem::path path(*text);
  out = (path.is_absolute() ? path : base_dir / path).lexically_normal();
}
}  // namespace ptwin::detail
