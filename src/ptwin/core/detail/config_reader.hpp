// SPDX-License-Identifier: Apache-2.0
#pragma once
// The field readers of the twin declaration loader (twin_config.cpp and its
// section files): each reads one YAML value, checks it and either stores it or
// adds a ConfigProblem naming its key path, so that every problem of a file is
// reported at once. Not part of core's API.

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/core/twin_config.hpp"

namespace ptwin::detail {

// The value of a node as it appears in a problem: scalars verbatim, structures
// by kind.
[[nodiscard]] std::string describe(const YAML::Node& node);
// The closest candidate if it is close enough to be a plausible typo.
[[nodiscard]] std::optional<std::string_view> closest(
    std::string_view text, const std::vector<std::string_view>& candidates);
[[nodiscard]] std::string join(const std::vector<std::string_view>& items,
                               std::string_view separator);

class Problems {
 public:
  void add(std::string path, std::string value, std::string rule,
           ErrorCode code = ErrorCode::BadInput) {
    list_.push_back({std::move(path), std::move(value), std::move(rule), code});
  }
  void missing(std::string path, std::string rule = "is required") {
    add(std::move(path), "", std::move(rule), ErrorCode::MissingField);
  }
  [[nodiscard]] bool empty() const { return list_.empty(); }
  [[nodiscard]] std::vector<ConfigProblem> take() { return std::move(list_); }

 private:
  std::vector<ConfigProblem> list_;
};

// One YAML map with a fixed set of keys. Construction reports unknown,
// duplicate and non-text keys; get() returns the value of a known key if it was
// given.
class Section {
 public:
  Section(const YAML::Node& node, std::string path, std::vector<std::string_view> known_keys,
          Problems& problems)
      : path_(std::move(path)), known_keys_(std::move(known_keys)), problems_(problems) {
    if (!node.IsDefined() || node.IsNull()) return;  // absent or all keys commented out
    if (!node.IsMap()) {
      problems_.add(path_.empty() ? "(document)" : path_, describe(node),
                    "must be a map of keys (" + join(known_keys_, ", ") + ")");
      return;
    }
    for (const auto& pair : node) check_key(pair.first, pair.second);
  }

  [[nodiscard]] std::optional<YAML::Node> get(std::string_view key) const {
    for (const auto& [name, value] : entries_) {
      if (name == key) return value;
    }
    return std::nullopt;
  }
  [[nodiscard]] std::string path_of(std::string_view key) const {
    return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
  }
  [[nodiscard]] Problems& problems() const { return problems_; }

 private:
  void check_key(const YAML::Node& key, const YAML::Node& value) {
    if (!key.IsScalar()) {
      problems_.add(path_of("<key>"), describe(key), "is not a text key");
      return;
    }
    const std::string& name = key.Scalar();
    if (std::find(known_keys_.begin(), known_keys_.end(), name) == known_keys_.end()) {
      const auto where = path_.empty() ? std::string("the top level") : "'" + path_ + "'";
      const auto hint = closest(name, known_keys_);
      problems_.add(path_of(printable_value(name)), printable_value(name),
                    hint ? fmt::format("is not a known key of {}; did you mean '{}'?", where, *hint)
                         : fmt::format("is not a known key of {} (known keys: {})", where,
                                       join(known_keys_, ", ")),
                    ErrorCode::UnknownField);
      return;
    }
    if (get(name)) {
      problems_.add(path_of(name), describe(value), "repeats a key given earlier in the map");
      return;
    }
    entries_.emplace_back(name, value);
  }

  std::string path_;
  std::vector<std::string_view> known_keys_;
  Problems& problems_;
  std::vector<std::pair<std::string, YAML::Node>> entries_;
};

// Scalar text of a given value, or a problem. `kind` names what was expected
// ("an integer").
std::optional<std::string> scalar_text(const YAML::Node& node, const std::string& path,
                                       std::string_view kind, Problems& problems);
// Text of a known key; a problem if it is required and absent.
std::optional<std::string> read_text(const Section& section, std::string_view key, bool is_required,
                                     std::string_view kind = "a text value");
void read_int(const Section& section, std::string_view key, int lowest, int highest, int& out);
// A number strictly between `lowest` and `highest`.
void read_open_interval(const Section& section, std::string_view key, double lowest, double highest,
                        double& out);
void read_bool(const Section& section, std::string_view key, bool& out);
void read_path(const Section& section, std::string_view key, bool is_required,
               const std::filesystem::path& base_dir, std::filesystem::path& out);
// A map of text keys to text values (e.g. zone offsets by source); `accept`
// checks one entry and returns its value or reports it (path
// "<section>.<key>[<entry key>]").
template <typename T, typename Accept>
void read_text_map(const Section& section, std::string_view key,
                   std::map<std::string, T, std::less<>>& out, Accept accept) {
  const auto node = section.get(key);
  if (!node || node->IsNull()) return;
  const auto path = section.path_of(key);
  if (!node->IsMap()) {
    section.problems().add(path, describe(*node), "must be a map of text keys to text values");
    return;
  }
  for (const auto& pair : *node) {
    if (!pair.first.IsScalar()) {
      section.problems().add(path + "[<key>]", describe(pair.first), "is not a text key");
      continue;
    }
    const auto entry_path = fmt::format("{}[{}]", path, printable_value(pair.first.Scalar()));
    if (out.contains(pair.first.Scalar())) {
      section.problems().add(entry_path, describe(pair.second),
                             "repeats a key given earlier in the map");
      continue;
    }
    const auto text = scalar_text(pair.second, entry_path, "a text value", section.problems());
    if (!text) continue;
    if (auto value = accept(*text, entry_path)) out.emplace(pair.first.Scalar(), std::move(*value));
  }
}

template <typename Enum>
struct Choice {
  std::string_view name;
  Enum value;
};

template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<Choice<Enum>, N>& choices, Enum value) {
  for (const auto& choice : choices) {
    if (choice.value == value) return choice.name;
  }
  return "?";
}

// One of a closed set of names, checked with a "did you mean" hint.
template <typename Enum, std::size_t N>
std::optional<Enum> choose(const std::string& text, const std::string& path,
                           const std::array<Choice<Enum>, N>& choices, Problems& problems) {
  std::vector<std::string_view> names;
  for (const auto& choice : choices) {
    if (choice.name == text) return choice.value;
    names.push_back(choice.name);
  }
  const auto hint = closest(text, names);
  problems.add(path, printable_value(text),
               fmt::format("is not one of {}{}", join(names, ", "),
                           hint ? fmt::format("; did you mean '{}'?", *hint) : std::string()));
  return std::nullopt;
}

template <typename Enum, std::size_t N>
void read_choice(const Section& section, std::string_view key, bool is_required,
                 const std::array<Choice<Enum>, N>& choices, Enum& out) {
  const auto text = read_text(section, key, is_required);
  if (!text) return;
  if (const auto value = choose(*text, section.path_of(key), choices, section.problems())) {
    out = *value;
  }
}

// A list of distinct text items; `accept` turns one item into its value or
// reports it. `missing_rule` is the problem's rule when a required list is
// absent.
template <typename T, typename Accept>
void read_list(const Section& section, std::string_view key, bool is_required, std::vector<T>& out,
               Accept accept, std::string_view missing_rule = "is required") {
  const auto node = section.get(key);
  const auto path = section.path_of(key);
  if (!node) {
    if (is_required) section.problems().missing(path, std::string(missing_rule));
    return;
  }
  if (!node->IsSequence() || (is_required && node->size() == 0)) {
    section.problems().add(path, describe(*node), "must be a non-empty list, e.g. [a, b]");
    return;
  }
  std::vector<std::string> seen;
  std::size_t index = 0;
  for (const auto& item : *node) {
    const auto item_path = fmt::format("{}[{}]", path, index++);
    const auto text = scalar_text(item, item_path, "a text value", section.problems());
    if (!text) continue;
    if (std::find(seen.begin(), seen.end(), *text) != seen.end()) {
      section.problems().add(item_path, printable_value(*text),
                             "repeats an earlier item of the list");
      continue;
    }
    seen.push_back(*text);
    if (auto value = accept(*text, item_path)) out.push_back(std::move(*value));
  }
}

// The feeds: and serve: sections (twin_config_feeds.cpp). `twin_id` gives the
// default subscription id; ports given twice on one address are reported.
void read_feeds(const YAML::Node& node, const std::string& twin_id, Problems& problems,
                FeedsSection& out);
void read_serve(const YAML::Node& node, const FeedsSection& feeds,
                const std::filesystem::path& base_dir, Problems& problems, ServeSection& out);
[[nodiscard]] std::string_view clock_tracking_name(ClockTracking tracking);

}  // namespace ptwin::detail
