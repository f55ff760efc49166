// SPDX-License-Identifier: Apache-2.0
// Over the 400-line aim: the schema (one function per section) and the small YAML field
// readers it needs form one cohesive unit; the readers are not used anywhere else.
#include "ptwin/core/error.hpp"
#include "ptwin/core/twin_config.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <utility>

namespace ptwin {
namespace {



// The value of a node as it appears in a problem: scalars verbatim, structures by kind.
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

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Optimal string alignment distance (Levenshtein plus adjacent transpositions), for
// "did you mean" hints.
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

// One YAML map with a fixed set of keys. Construction reports unknown, duplicate and
// non-text keys; get() returns the value of a known key if it was given.
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

// Scalar text of a given value, or a problem. `kind` names what was expected ("an integer").
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
                                     std::string_view kind = "a text value") {
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

// YAML 1.2 core-schema float syntax without .inf/.nan: [-+]?(\.d+|d+(\.d*)?)([eE][-+]?d+)?
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

// A number strictly between `lowest` and `highest`.
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
  // YAML 1.2 core schema only: "yes", "on" and "y" are YAML 1.1 and read as text.
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

constexpr std::array kModelKinds{Choice<ModelKind>{"zerod", ModelKind::ZeroD}};
constexpr std::array kModelFormats{Choice<ModelFormat>{"ptwin", ModelFormat::Ptwin},
                                   Choice<ModelFormat>{"svzerod", ModelFormat::SvZeroD}};
constexpr std::array kSvZeroDUnits{Choice<SvZeroDUnits>{"cgs", SvZeroDUnits::Cgs},
                                   Choice<SvZeroDUnits>{"si", SvZeroDUnits::Si}};
constexpr std::array kOutputs{Choice<SimulationOutput>{"last_cycle", SimulationOutput::LastCycle},
                              Choice<SimulationOutput>{"all_cycles", SimulationOutput::AllCycles}};
constexpr std::array kBackends{Choice<StoreBackend>{"sqlite", StoreBackend::Sqlite}};
constexpr std::array kTargets{
    Choice<PersonalisationTarget>{"heart_rate", PersonalisationTarget::HeartRate},
    Choice<PersonalisationTarget>{"systolic_pressure", PersonalisationTarget::SystolicPressure},
    Choice<PersonalisationTarget>{"diastolic_pressure", PersonalisationTarget::DiastolicPressure},
    Choice<PersonalisationTarget>{"cardiac_output", PersonalisationTarget::CardiacOutput},
    Choice<PersonalisationTarget>{"ejection_fraction", PersonalisationTarget::EjectionFraction}};

bool is_valid_twin_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

void read_twin(const YAML::Node& node, Problems& problems, TwinSection& out) {
  const Section section(node, "twin", {"id", "description"}, problems);
  if (const auto id = read_text(section, "id", true)) {
    if (is_valid_twin_id(*id)) {
      out.id = *id;
    } else {
      problems.add("twin.id", printable_value(*id),
                   "must be 1 to 64 characters from A-Z a-z 0-9 . _ - (a pseudonymous id)");
    }
  }
  out.description = read_text(section, "description", false);
}

void read_patient(const YAML::Node& node, const std::filesystem::path& base_dir, Problems& problems,
                  PatientSection& out) {
  const Section section(node, "patient", {"fhir_bundle"}, problems);
  read_path(section, "fhir_bundle", true, base_dir, out.fhir_bundle);
}

void read_model(const YAML::Node& node, const std::filesystem::path& base_dir, Problems& problems,
                ModelSection& out) {
  const Section section(node, "model", {"kind", "file", "format", "svzerod_units"}, problems);
  read_choice(section, "kind", true, kModelKinds, out.kind);
  read_path(section, "file", true, base_dir, out.file);
  read_choice(section, "format", false, kModelFormats, out.format);
  read_choice(section, "svzerod_units", false, kSvZeroDUnits, out.svzerod_units);
  // Units given for a ptwin-format model are a sign of a mix-up: say so rather than ignore them.
  const auto units = section.get("svzerod_units");
  const auto format = section.get("format");
  const bool is_ptwin_format = !format || (format->IsScalar() && format->Scalar() == "ptwin");
  if (units && is_ptwin_format) {
    problems.add("model.svzerod_units", describe(*units),
                 "is only meaningful when model.format is svzerod; remove it");
  }
}

void read_simulation(const YAML::Node& node, Problems& problems, SimulationSection& out) {
  const Section section(node, "simulation",
                        {"steps_per_cycle", "max_cycles", "steady_state_tolerance", "output"},
                        problems);
  read_int(section, "steps_per_cycle", 10, 100000, out.steps_per_cycle);
  read_int(section, "max_cycles", 1, 10000, out.max_cycles);
  read_open_interval(section, "steady_state_tolerance", 0.0, 1.0, out.steady_state_tolerance);
  read_choice(section, "output", false, kOutputs, out.output);
}

// A list of distinct text items; `accept` turns one item into its value or reports it.
template <typename T, typename Accept>
void read_list(const Section& section, std::string_view key, bool is_required, std::vector<T>& out,
               Accept accept) {
  const auto node = section.get(key);
  const auto path = section.path_of(key);
  if (!node) {
    if (is_required)
      section.problems().missing(path, "is required when personalisation is enabled");
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
      section.problems().add(item_path, printable_value(*text), "repeats an earlier item of the list");
      continue;
    }
    seen.push_back(*text);
    if (auto value = accept(*text, item_path)) out.push_back(std::move(*value));
  }
}

void read_personalisation(const YAML::Node& node, Problems& problems, PersonalisationSection& out) {
  const Section section(
      node, "personalisation",
      {"enabled", "targets", "parameters", "max_evaluations", "relative_tolerance"}, problems);
  read_bool(section, "enabled", out.is_enabled);
  read_list(section, "targets", out.is_enabled, out.targets,
            [&](const std::string& text, const std::string& path) {
              return choose(text, path, kTargets, problems);
            });
  read_list(section, "parameters", out.is_enabled, out.parameters,
            [&](const std::string& text, const std::string& path) -> std::optional<std::string> {
              const bool is_name =
                  !text.empty() && std::none_of(text.begin(), text.end(), [](char c) {
                    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
                  });
              if (is_name) return text;
              problems.add(path, printable_value(text),
                           "must be a parameter name: not empty, no spaces or control characters");
              return std::nullopt;
            });
  read_int(section, "max_evaluations", 1, 100000, out.max_evaluations);
  read_open_interval(section, "relative_tolerance", 0.0, 1.0, out.relative_tolerance);
}

void read_store(const YAML::Node& node, const std::filesystem::path& base_dir, Problems& problems,
                StoreSection& out) {
  const Section section(node, "store", {"backend", "path"}, problems);
  if (const auto backend = read_text(section, "backend", false)) {
    if (*backend == "postgresql") {
      problems.add("store.backend", *backend, "is not available in this build (available: sqlite)");
    } else if (const auto value = choose(*backend, "store.backend", kBackends, problems)) {
      out.backend = *value;
    }
  }
  out.path = (base_dir / "ptwin.db").lexically_normal();
  read_path(section, "path", false, base_dir, out.path);
}

void read_outputs(const YAML::Node& node, const std::filesystem::path& base_dir, Problems& problems,
                  OutputsSection& out) {
  const Section section(node, "outputs", {"directory", "report", "csv"}, problems);
  out.directory = (base_dir / "out").lexically_normal();
  read_path(section, "directory", false, base_dir, out.directory);
  out.report_file_name = "report.html";
  if (const auto report = read_text(section, "report", false, "a file name")) {
    if (report->empty() || *report == "." || *report == ".." ||
        report->find_first_of(std::string_view("/\\\0", 3)) != std::string::npos) {
      problems.add("outputs.report", printable_value(*report),
                   "must be a file name without a directory (it is written in outputs.directory)");
    } else {
      out.report_file_name = *report;
    }
  }
  read_bool(section, "csv", out.writes_csv);
}

// The text of line `line` (0-based), for a syntax error message.
std::string line_at(std::string_view text, std::size_t line) {
  for (std::size_t i = 0; i < line; ++i) {
    const auto next = text.find('\n');
    if (next == std::string_view::npos) return "";
    text.remove_prefix(next + 1);
  }
  return printable_value(text.substr(0, text.find('\n')));
}

// Records where each document starts and ignores the rest of the event stream.
class DocumentStarts final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { marks.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
  std::vector<YAML::Mark> marks;
};

[[noreturn]] void throw_syntax_error(std::string_view yaml_text, std::string_view source_name,
                                     const YAML::Mark& mark, std::string_view reason) {
  if (mark.is_null()) {
    throw InputError(ErrorCode::BadInput, std::string(source_name), "",
                     fmt::format("is not valid YAML: {}", reason));
  }
  const auto line = static_cast<std::size_t>(mark.line);
  throw InputError(ErrorCode::BadInput,
                   fmt::format("{}:{}:{}", source_name, line + 1, mark.column + 1),
                   line_at(yaml_text, line), fmt::format("is not valid YAML: {}", reason));
}

// The number of documents, at most 3. yaml-cpp 0.7's LoadAll never returns on a stray ',' at
// document level (found by twin_config_fuzzer): its parser reports an empty document without
// consuming the token, again and again. A document that starts where the previous one started
// is that case, and is reported as a syntax error.
std::size_t count_documents(const std::string& text, std::string_view source_name) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentStarts starts;
  while (starts.marks.size() < 3 && parser.HandleNextDocument(starts)) {
    const auto& marks = starts.marks;
    if (marks.size() >= 2 && marks[marks.size() - 2].pos == marks.back().pos) {
      throw_syntax_error(text, source_name, marks.back(),
                         "unexpected text where a document should start");
    }
  }
  return starts.marks.size();
}

YAML::Node load_document(std::string_view yaml_text, std::string_view source_name,
                         Problems& problems) {
  const std::string text(yaml_text);
  try {
    const auto documents = count_documents(text, source_name);
    if (documents > 1) {
      problems.add("(document)", "---",
                   "starts a second YAML document; a twin declaration is one document");
    }
    return YAML::Load(text);
  } catch (const YAML::Exception& error) {
    throw_syntax_error(yaml_text, source_name, error.mark, error.msg);
  }
}

std::string problem_line(std::string_view source_name, const ConfigProblem& problem) {
  if (problem.code == ErrorCode::MissingField && problem.value.empty()) {
    return fmt::format("{}: {}: {}", source_name, problem.path, problem.rule);
  }
  return fmt::format("{}: {}: '{}' {}", source_name, problem.path, problem.value, problem.rule);
}

ErrorCode common_code(const std::vector<ConfigProblem>& problems) {
  if (problems.empty()) return ErrorCode::BadInput;
  const auto code = problems.front().code;
  const bool is_common = std::all_of(problems.begin(), problems.end(),
                                     [code](const ConfigProblem& p) { return p.code == code; });
  return is_common ? code : ErrorCode::BadInput;
}

ConfigProblem first_or_placeholder(const std::vector<ConfigProblem>& problems) {
  return problems.empty() ? ConfigProblem{"(document)", "", "has problems"} : problems.front();
}

}  // namespace

std::string_view to_string(ModelKind kind) { return name_of(kModelKinds, kind); }
std::string_view to_string(ModelFormat format) { return name_of(kModelFormats, format); }
std::string_view to_string(SvZeroDUnits units) { return name_of(kSvZeroDUnits, units); }
std::string_view to_string(SimulationOutput output) { return name_of(kOutputs, output); }
std::string_view to_string(StoreBackend backend) { return name_of(kBackends, backend); }
std::string_view to_string(PersonalisationTarget target) { return name_of(kTargets, target); }

TwinConfigError::TwinConfigError(std::string source_name, std::vector<ConfigProblem> problems)
    : InputError(common_code(problems),
                 fmt::format("{}: {}", source_name, first_or_placeholder(problems).path),
                 first_or_placeholder(problems).value, first_or_placeholder(problems).rule),
      source_name_(std::move(source_name)),
      problems_(std::move(problems)) {
  message_ =
      fmt::format("{}: {} problem{} in the twin declaration [{}]", source_name_, problems_.size(),
                  problems_.size() == 1 ? "" : "s", error_code_info(code()).name);
  for (const auto& problem : problems_) {
    message_ += '\n';  // not "\n" + line: GCC 12 warns falsely on that (-Wrestrict, PR 105329)
    message_ += problem_line(source_name_, problem);
  }
}

TwinConfig parse_twin_config(std::string_view yaml_text, const std::filesystem::path& base_dir,
                             std::string_view source_name) {
  Problems problems;
  const YAML::Node root = load_document(yaml_text, source_name, problems);
  TwinConfig config;
  config.source_name = std::string(source_name);
  config.base_directory = base_dir;
  const Section top(
      root, "", {"twin", "patient", "model", "simulation", "personalisation", "store", "outputs"},
      problems);
  const auto section_node = [&top](std::string_view key) {
    return top.get(key).value_or(YAML::Node());
  };
  read_twin(section_node("twin"), problems, config.twin);
  read_patient(section_node("patient"), base_dir, problems, config.patient);
  read_model(section_node("model"), base_dir, problems, config.model);
  read_simulation(section_node("simulation"), problems, config.simulation);
  read_personalisation(section_node("personalisation"), problems, config.personalisation);
  read_store(section_node("store"), base_dir, problems, config.store);
  read_outputs(section_node("outputs"), base_dir, problems, config.outputs);
  if (!problems.empty()) throw TwinConfigError(std::string(source_name), problems.take());
  return config;
}

TwinConfig load_twin_config(const std::filesystem::path& file) {
  std::error_code error;
  std::ifstream stream(file, std::ios::binary);
  if (!std::filesystem::is_regular_file(file, error) || !stream) {
    throw InputError(ErrorCode::Io, "twin declaration", file.string(),
                     "cannot be read (check that the file exists and is readable)");
  }
  std::ostringstream text;
  text << stream.rdbuf();
  if (stream.bad()) {
    throw InputError(ErrorCode::Io, "twin declaration", file.string(),
                     "could not be read to the end");
  }
  const auto absolute = std::filesystem::absolute(file, error);
  const auto base_dir = error ? file.parent_path() : absolute.parent_path();
  return parse_twin_config(text.str(), base_dir.lexically_normal(), file.string());
}

}  // namespace ptwin
