// SPDX-License-Identifier: Apache-2.0
// The schema of the twin declaration, one function per section; the field readers are in
// detail/config_reader.hpp, the feeds: and serve: sections in twin_config_feeds.cpp.
#include "ptwin/core/twin_config.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>
#include <utility>

#include "ptwin/core/detail/config_reader.hpp"

namespace ptwin {
namespace {

using namespace detail;  // NOLINT(google-build-using-namespace): the field readers

constexpr std::array kModelKinds{Choice<ModelKind>{"zerod", ModelKind::ZeroD}};
constexpr std::array kModelFormats{Choice<ModelFormat>{"ptwin", ModelFormat::Ptwin},
                                   Choice<ModelFormat>{"svzerod", ModelFormat::SvZeroD}};
constexpr std::array kSvZeroDUnits{Choice<SvZeroDUnits>{"cgs", SvZeroDUnits::Cgs},
                                   Choice<SvZeroDUnits>{"si", SvZeroDUnits::Si}};
constexpr std::array kOutputs{Choice<SimulationOutput>{"last_cycle", SimulationOutput::LastCycle},
                              Choice<SimulationOutput>{"all_cycles", SimulationOutput::AllCycles}};
constexpr std::array kBackends{Choice<StoreBackend>{"sqlite", StoreBackend::Sqlite}};
constexpr std::array kFilters{Choice<StateFilter>{"ukf", StateFilter::Ukf},
                              Choice<StateFilter>{"enkf", StateFilter::Enkf}};
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

void read_twin(const YAML::Node& node, const std::filesystem::path& base_dir, Problems& problems,
               TwinSection& out) {
  const Section section(
      node, "twin",
      {"id", "description", "filter", "ensemble_size", "ensemble_seed", "recalibration"},
      problems);
  if (const auto id = read_text(section, "id", true)) {
    if (is_valid_twin_id(*id)) {
      out.id = *id;
    } else {
      problems.add("twin.id", printable_value(*id),
                   "must be 1 to 64 characters from A-Z a-z 0-9 . _ - (a pseudonymous id)");
    }
  }
  out.description = read_text(section, "description", false);
  read_choice(section, "filter", false, kFilters, out.filter);
  read_int(section, "ensemble_size", 10, 100000, out.ensemble_size);
  read_int(section, "ensemble_seed", 0, 2147483647, out.ensemble_seed);
  // Ensemble settings under the UKF would be silently unused: say so rather than ignore them.
  const auto filter = section.get("filter");
  const bool is_enkf = filter && filter->IsScalar() && filter->Scalar() == "enkf";
  for (const char* key : {"ensemble_size", "ensemble_seed"}) {
    if (const auto value = section.get(key); value && !is_enkf) {
      problems.add(fmt::format("twin.{}", key), describe(*value),
                   "is only meaningful when twin.filter is enkf; remove it or set twin.filter: "
                   "enkf");
    }
  }
  // The file is read where the model is assembled (ptwin serve, ptwin vv gate), which can check
  // that its maps belong to the model; here only the path is resolved.
  std::filesystem::path recalibration;
  read_path(section, "recalibration", false, base_dir, recalibration);
  if (!recalibration.empty()) out.recalibration = recalibration;
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


void read_personalisation(const YAML::Node& node, Problems& problems, PersonalisationSection& out) {
  const Section section(
      node, "personalisation",
      {"enabled", "targets", "parameters", "max_evaluations", "relative_tolerance"}, problems);
  read_bool(section, "enabled", out.is_enabled);
  read_list(
      section, "targets", out.is_enabled, out.targets,
      [&](const std::string& text, const std::string& path) {
        return choose(text, path, kTargets, problems);
      },
      "is required when personalisation is enabled");
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
            },
            "is required when personalisation is enabled");
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
std::string_view to_string(StateFilter filter) { return name_of(kFilters, filter); }
std::string_view to_string(PersonalisationTarget target) { return name_of(kTargets, target); }
std::string_view to_string(ClockTracking tracking) { return clock_tracking_name(tracking); }

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
  const Section top(root, "",
                    {"twin", "patient", "model", "simulation", "personalisation", "store",
                     "outputs", "feeds", "serve"},
                    problems);
  const auto section_node = [&top](std::string_view key) {
    return top.get(key).value_or(YAML::Node());
  };
  read_twin(section_node("twin"), base_dir, problems, config.twin);
  read_patient(section_node("patient"), base_dir, problems, config.patient);
  read_model(section_node("model"), base_dir, problems, config.model);
  read_simulation(section_node("simulation"), problems, config.simulation);
  read_personalisation(section_node("personalisation"), problems, config.personalisation);
  read_store(section_node("store"), base_dir, problems, config.store);
  read_outputs(section_node("outputs"), base_dir, problems, config.outputs);
  read_feeds(section_node("feeds"), config.twin.id.empty() ? "twin" : config.twin.id, problems,
             config.feeds);
  read_serve(section_node("serve"), config.feeds, base_dir, problems, config.serve);
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
