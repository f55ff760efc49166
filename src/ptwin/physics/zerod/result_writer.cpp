// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/result_writer.hpp"

#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"

namespace ptwin::physics::zerod {

UnitSystem parse_unit_system(std::string_view name) {
  if (name == "si") return UnitSystem::Si;
  if (name == "clinical") return UnitSystem::Clinical;
  throw InputError(ErrorCode::BadInput, "units", std::string(name), "must be si or clinical");
}

DisplayUnit display_unit(std::string_view si_unit, UnitSystem system) {
  if (system == UnitSystem::Clinical) {
    if (si_unit == "Pa") return {"mmHg", units::kPaPerMmHg};
    if (si_unit == "m3/s") return {"mL/s", 1e-6};
    if (si_unit == "m3") return {"mL", 1e-6};
    if (si_unit == "Pa/m3") return {"mmHg/mL", units::kPaPerMmHg / 1e-6};
  }
  return {si_unit, 1.0};
}

namespace {
std::ofstream open_output(const std::filesystem::path& path) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path);
  if (!out) {
    throw Error(ErrorCode::Io, fmt::format("cannot write '{}': check the directory exists and is "
                                           "writable",
                                           path.string()));
  }
  return out;
}
}  // namespace

void write_csv(const SimulationResult& result, const std::filesystem::path& path,
               UnitSystem system) {
  auto out = open_output(path);
  std::vector<double> factors;
  out << "time [s]";
  for (const auto& channel : result.channels) {
    const auto display = display_unit(channel.unit, system);
    factors.push_back(display.si_per_unit);
    out << ',' << channel.name << " [" << display.unit << ']';
  }
  out << '\n';
  for (std::size_t i = 0; i < result.times_s.size(); ++i) {
    out << fmt::format("{:.9g}", result.times_s[i]);
    for (std::size_t c = 0; c < result.channels.size(); ++c) {
      out << fmt::format(",{:.9g}", result.values[c][i] / factors[c]);
    }
    out << '\n';
  }
  if (!out) throw Error(ErrorCode::Io, fmt::format("writing '{}' failed", path.string()));
}

void write_json(const SimulationResult& result, const std::filesystem::path& path,
                UnitSystem system) {
  nlohmann::json json;
  json["status"] = result.status == SimulationStatus::Completed
                       ? "completed"
                       : (result.status == SimulationStatus::Diverged ? "diverged" : "not_periodic");
  json["message"] = result.message;
  json["cycles"] = result.cycles;
  json["cycle_change"] = result.cycle_change;
  json["period_s"] = result.period_s;
  json["time_s"] = result.times_s;
  auto& channels = json["channels"];
  for (std::size_t c = 0; c < result.channels.size(); ++c) {
    const auto display = display_unit(result.channels[c].unit, system);
    std::vector<double> values(result.values[c].size());
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = result.values[c][i] / display.si_per_unit;
    channels[result.channels[c].name] = {{"unit", display.unit}, {"values", values}};
  }
  auto out = open_output(path);
  out << json.dump() << '\n';
  if (!out) throw Error(ErrorCode::Io, fmt::format("writing '{}' failed", path.string()));
}

}  // namespace ptwin::physics::zerod
