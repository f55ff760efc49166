// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/validation/validator.hpp"

#include <set>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/validation/detail/walk.hpp"

namespace ptwin::ingest::fhir::validation {
namespace {

using nlohmann::json;

// Tracks where the parser is, to name duplicate property names (json.html: "there SHALL be
// no duplicate properties"; nlohmann keeps the last one silently).
class DuplicateKeyFinder {
 public:
  bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        frames_.push_back(Frame{false, 0, {}, {}});
        break;
      case json::parse_event_t::array_start:
        frames_.push_back(Frame{true, 0, {}, {}});
        break;
      case json::parse_event_t::key:
        if (!frames_.empty()) {
          auto& frame = frames_.back();
          frame.key = parsed.get<std::string>();
          if (!frame.keys.insert(frame.key).second) {
            duplicates_.emplace_back(path(), printable_value(frame.key));
          }
        }
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!frames_.empty()) frames_.pop_back();
        next_item();
        break;
      case json::parse_event_t::value:
        next_item();
        break;
    }
    return true;
  }

  /// (path of the object below the root, e.g. ".component[0].code"; the repeated key). The
  /// caller prefixes the resource type.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> take() {
    return std::move(duplicates_);
  }

 private:
  struct Frame {
    bool is_array;
    std::size_t index;
    std::string key;
    std::set<std::string> keys;
  };

  void next_item() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().index;
  }

  // The path of the object at the top of the stack.
  std::string path() const {
    std::string out;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
      out += frames_[i].is_array ? fmt::format("[{}]", frames_[i].index)
                                 : fmt::format(".{}", printable_value(frames_[i].key));
    }
    return out;
  }

  std::vector<Frame> frames_;
  std::vector<std::pair<std::string, std::string>> duplicates_;
};

}  // namespace

Validator::Validator(const definitions::Definitions& definitions, ValidatorOptions options)
    : definitions_(definitions), options_(std::move(options)) {}

ValidationResult Validator::validate(const json& resource) const {
  detail::Walk walk(definitions_, options_);
  walk.resource(resource, std::string(), nullptr, {}, 0);
  ValidationResult result;
  result.issues = walk.take_issues();
  result.invariants_evaluated = static_cast<bool>(options_.invariant_evaluator);
  return result;
}

ValidationResult Validator::validate_text(std::string_view json_text) const {
  json resource;
  return validate_text(json_text, resource);
}

ValidationResult Validator::validate_text(std::string_view json_text, json& resource) const {
  DuplicateKeyFinder finder;
  resource = json(json::value_t::discarded);
  const auto unparseable = [](std::string diagnostics, std::string value) {
    ValidationResult result;
    result.issues.push_back({IssueSeverity::Fatal, IssueType::Structure, std::string(),
                             std::move(diagnostics), std::move(value)});
    return result;
  };
  try {
    resource = json::parse(json_text, std::ref(finder));
  } catch (const json::parse_error& error) {
    return unparseable(fmt::format("is not valid JSON: syntax error at byte {}", error.byte),
                       fmt::format("byte {}", error.byte));
  } catch (const json::exception& error) {
    // e.g. out_of_range 406: a number too large for a double.
    return unparseable(fmt::format("is not valid JSON: {}", printable_value(error.what())), {});
  }
  auto result = validate(resource);
  const auto duplicates = finder.take();
  if (duplicates.empty()) return result;
  std::string root = "$this";
  if (resource.is_object() && resource.contains("resourceType") &&
      resource.at("resourceType").is_string()) {
    root = resource.at("resourceType").get<std::string>();
  }
  std::vector<Issue> issues;
  for (const auto& [object_path, key] : duplicates) {
    issues.push_back({IssueSeverity::Error, IssueType::Structure,
                      fmt::format("{}{}.{}", printable_value(root), object_path, key),
                      fmt::format("property '{}' appears more than once in one object; FHIR JSON "
                                  "does not allow duplicates (only the last was checked)",
                                  key),
                      key});
  }
  issues.insert(issues.end(), std::make_move_iterator(result.issues.begin()),
                std::make_move_iterator(result.issues.end()));
  result.issues = std::move(issues);
  return result;
}

}  // namespace ptwin::ingest::fhir::validation
