// SPDX-License-Identifier: Apache-2.0
#include "ptwin/vv/gate/recalibration_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ptwin/core/assert.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/vv/gate/detail/read_gate_file.hpp"

namespace ptwin::vv::gate {
namespace {

using nlohmann::json;
using twin::risk::RecalibrationMethod;

constexpr const char* kRefit = "write one with `ptwin vv hypotension --write-recalibration`";

[[noreturn]] void refuse(ErrorCode code, const std::string& where, std::string value,
                         std::string_view rule) {
  throw InputError(code, where, printable_value(value), fmt::format("{}; {}", rule, kRefit));
}

// A versioned format: a member this version does not define is a mistake (a typo, or a file of
// a newer version), never ignored.
void refuse_unknown_members(const json& object, std::initializer_list<const char*> known,
                            const std::string& where) {
  for (const auto& item : object.items()) {
    const std::string& key = item.key();
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return key == k; })) {
      refuse(ErrorCode::BadInput, fmt::format("{}.{}", where, key), item.value().dump(),
             fmt::format("is not a member of {}", kRecalibrationFileFormat));
    }
  }
}

const json& member(const json& object, const char* name, json::value_t type,
                   const std::string& where) {
  const auto found = object.find(name);
  const std::string at = fmt::format("{}.{}", where, name);
  if (found == object.end()) {
    refuse(ErrorCode::MissingField, at, "", "is required in a recalibration file");
  }
  const bool is_number = type == json::value_t::number_float;
  const bool is_integer = type == json::value_t::number_unsigned;
  const bool ok = is_number    ? found->is_number()
                  : is_integer ? found->is_number_unsigned()
                               : found->type() == type;
  if (!ok) {
    refuse(ErrorCode::BadInput, at, found->dump(),
           is_number                       ? "must be a number"
           : is_integer                    ? "must be a whole number >= 0"
           : type == json::value_t::object ? "must be a JSON object"
           : type == json::value_t::array  ? "must be a JSON array"
                                           : "must be a JSON string");
  }
  return *found;
}

std::string text(const json& object, const char* name, const std::string& where) {
  return member(object, name, json::value_t::string, where).get<std::string>();
}

double number(const json& object, const char* name, const std::string& where) {
  return member(object, name, json::value_t::number_float, where).get<double>();
}

// A count that fits an int (patients, cases, hours).
int count(const json& object, const char* name, const std::string& where) {
  const auto value =
      member(object, name, json::value_t::number_unsigned, where).get<std::uint64_t>();
  if (value > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
    refuse(ErrorCode::BadInput, fmt::format("{}.{}", where, name), std::to_string(value),
           "is too large");
  }
  return static_cast<int>(value);
}

RecalibrationCohort parse_cohort(const json& object, const std::string& where) {
  refuse_unknown_members(
      object, {"cohort", "cohort_seed", "patients", "hours", "training_patients"}, where);
  RecalibrationCohort c;
  c.cohort = text(object, "cohort", where);
  c.cohort_seed =
      member(object, "cohort_seed", json::value_t::number_unsigned, where).get<std::uint64_t>();
  c.patients = count(object, "patients", where);
  c.hours = count(object, "hours", where);
  c.training_patients = count(object, "training_patients", where);
  if (c.training_patients < 1 || c.training_patients > c.patients) {
    refuse(ErrorCode::BadInput, where + ".training_patients", std::to_string(c.training_patients),
           fmt::format("must be 1..patients ({})", c.patients));
  }
  return c;
}

[[noreturn]] void refuse_value(const std::string& where, double value, std::string_view rule) {
  refuse(ErrorCode::BadInput, where, fmt::format("{}", value), rule);
}

twin::risk::RiskRecalibration parse_platt(const json& entry, const std::string& where) {
  refuse_unknown_members(entry, {"horizon_s", "method", "cases", "events", "platt"}, where);
  const std::string at = where + ".platt";
  const auto& platt = member(entry, "platt", json::value_t::object, where);
  refuse_unknown_members(platt, {"a", "b", "logit_epsilon"}, at);
  twin::risk::RiskRecalibration map;
  map.method = RecalibrationMethod::Platt;
  map.platt_intercept = number(platt, "a", at);  // finite: JSON has no inf or NaN
  map.platt_slope = number(platt, "b", at);
  map.logit_epsilon = number(platt, "logit_epsilon", at);
  // A slope <= 0 would reverse or flatten the ranking: not a recalibration.
  if (!(map.platt_slope > 0.0)) refuse_value(at + ".b", map.platt_slope, "must be positive");
  if (!(map.logit_epsilon > 0.0 && map.logit_epsilon < 0.5)) {
    refuse_value(at + ".logit_epsilon", map.logit_epsilon, "must be in (0, 0.5)");
  }
  return map;
}

twin::risk::RiskRecalibration parse_isotonic(const json& entry, const std::string& where) {
  refuse_unknown_members(entry, {"horizon_s", "method", "cases", "events", "isotonic"}, where);
  const std::string at = where + ".isotonic";
  const auto& isotonic = member(entry, "isotonic", json::value_t::object, where);
  refuse_unknown_members(isotonic, {"knots"}, at);
  const auto& knots = member(isotonic, "knots", json::value_t::array, at);
  if (knots.empty())
    refuse(ErrorCode::BadInput, at + ".knots", "[]", "must hold at least one knot");
  twin::risk::RiskRecalibration map;
  map.method = RecalibrationMethod::Isotonic;
  for (std::size_t i = 0; i < knots.size(); ++i) {
    const std::string knot_at = fmt::format("{}.knots[{}]", at, i);
    if (!knots[i].is_object()) {
      refuse(ErrorCode::BadInput, knot_at, knots[i].dump(), "must be a JSON object");
    }
    refuse_unknown_members(knots[i], {"raw", "calibrated"}, knot_at);
    const twin::risk::CalibrationKnot knot{number(knots[i], "raw", knot_at),
                                           number(knots[i], "calibrated", knot_at)};
    if (!(knot.raw >= 0.0 && knot.raw <= 1.0)) {
      refuse_value(knot_at + ".raw", knot.raw, "must be a probability in [0, 1]");
    }
    if (!(knot.calibrated >= 0.0 && knot.calibrated <= 1.0)) {
      refuse_value(knot_at + ".calibrated", knot.calibrated, "must be a probability in [0, 1]");
    }
    // The map must be a function of the raw risk (raw strictly increasing) that keeps its
    // ranking (calibrated non-decreasing): what pool-adjacent-violators fits.
    if (i > 0 && !(knot.raw > map.isotonic_knots.back().raw)) {
      refuse_value(
          knot_at + ".raw", knot.raw,
          fmt::format("must be above the previous knot's ({})", map.isotonic_knots.back().raw));
    }
    if (i > 0 && knot.calibrated < map.isotonic_knots.back().calibrated) {
      refuse_value(knot_at + ".calibrated", knot.calibrated,
                   fmt::format("must not be below the previous knot's ({}): an isotonic map is "
                               "non-decreasing",
                               map.isotonic_knots.back().calibrated));
    }
    map.isotonic_knots.push_back(knot);
  }
  return map;
}

twin::risk::RiskRecalibration parse_map(const json& entry, const std::string& method,
                                        const std::string& where) {
  if (method == "platt") return parse_platt(entry, where);
  if (method == "isotonic") return parse_isotonic(entry, where);
  refuse(ErrorCode::BadInput, where + ".method", method, "must be platt or isotonic");
}

FittedHorizonRecalibration parse_horizon(const json& entry, const std::string& where) {
  if (!entry.is_object()) refuse(ErrorCode::BadInput, where, entry.dump(), "must be a JSON object");
  FittedHorizonRecalibration h;
  const int horizon_s = count(entry, "horizon_s", where);
  if (horizon_s < 1) {
    refuse(ErrorCode::BadInput, where + ".horizon_s", std::to_string(horizon_s),
           "must be a positive number of seconds");
  }
  h.recalibration.horizon = std::chrono::seconds(horizon_s);
  h.cases = count(entry, "cases", where);
  h.events = count(entry, "events", where);
  if (h.events > h.cases) {
    refuse(ErrorCode::BadInput, where + ".events", std::to_string(h.events),
           fmt::format("must not exceed cases ({})", h.cases));
  }
  h.recalibration.map = parse_map(entry, text(entry, "method", where), where);
  return h;
}

json map_json(const twin::risk::RiskRecalibration& map) {
  if (map.method == RecalibrationMethod::Platt) {
    return {
        {"a", map.platt_intercept}, {"b", map.platt_slope}, {"logit_epsilon", map.logit_epsilon}};
  }
  json knots = json::array();
  for (const auto& k : map.isotonic_knots) {
    knots.push_back({{"raw", k.raw}, {"calibrated", k.calibrated}});
  }
  return {{"knots", std::move(knots)}};
}

}  // namespace

std::vector<twin::risk::HorizonRecalibration> maps_of(const RecalibrationFile& file) {
  std::vector<twin::risk::HorizonRecalibration> maps;
  for (const auto& h : file.horizons) maps.push_back(h.recalibration);
  return maps;
}

std::string to_json_text(const RecalibrationFile& file) {
  json horizons = json::array();
  for (const auto& h : file.horizons) {
    const auto& map = h.recalibration.map;
    PTWIN_ASSERT(map.method != RecalibrationMethod::None, "a recalibration file holds maps");
    const std::string method(twin::risk::to_string(map.method));
    horizons.push_back({{"horizon_s", h.recalibration.horizon.count()},
                        {"method", method},
                        {"cases", h.cases},
                        {"events", h.events},
                        {method, map_json(map)}});
  }
  const auto& c = file.fitted_on;
  const json out{{"format", kRecalibrationFileFormat},
                 {"model",
                  {{"name", file.model.name},
                   {"version", file.model.version},
                   {"settings_digest", file.model.settings_digest}}},
                 {"fitted_at", time::format_iso8601(file.fitted_at)},
                 {"fitted_on",
                  {{"cohort", c.cohort},
                   {"cohort_seed", c.cohort_seed},
                   {"patients", c.patients},
                   {"hours", c.hours},
                   {"training_patients", c.training_patients}}},
                 {"horizons", std::move(horizons)}};
  return out.dump(2) + "\n";
}

RecalibrationFile parse_recalibration_file(std::string_view json_text,
                                           std::string_view source_name) {
  const std::string where(source_name);
  json document;
  try {
    document = json::parse(json_text);
  } catch (const json::parse_error& e) {
    refuse(ErrorCode::BadInput, where, fmt::format("byte {}", e.byte), "is not JSON");
  } catch (const json::exception& e) {  // e.g. a number beyond double (out_of_range 406)
    refuse(ErrorCode::BadInput, where, e.what(), "is not JSON a recalibration file can hold");
  }
  if (!document.is_object()) {
    refuse(ErrorCode::BadInput, where, document.dump(), "must be a JSON object");
  }
  if (const auto format = text(document, "format", where); format != kRecalibrationFileFormat) {
    refuse(ErrorCode::BadInput, where + ".format", format,
           fmt::format("must be {}", kRecalibrationFileFormat));
  }
  refuse_unknown_members(document, {"format", "model", "fitted_at", "fitted_on", "horizons"},
                         where);
  RecalibrationFile file;
  const auto& model = member(document, "model", json::value_t::object, where);
  refuse_unknown_members(model, {"name", "version", "settings_digest"}, where + ".model");
  file.model = {text(model, "name", where + ".model"), text(model, "version", where + ".model"),
                text(model, "settings_digest", where + ".model")};
  const auto& digest = file.model.settings_digest;
  if (digest.size() != 64 || digest.find_first_not_of("0123456789abcdef") != std::string::npos) {
    refuse(ErrorCode::BadInput, where + ".model.settings_digest", digest,
           "must be a SHA-256: 64 lowercase hex digits");
  }
  file.fitted_at =
      time::parse_iso8601(text(document, "fitted_at", where), std::nullopt, where + ".fitted_at");
  file.fitted_on = parse_cohort(member(document, "fitted_on", json::value_t::object, where),
                                where + ".fitted_on");
  const auto& horizons = member(document, "horizons", json::value_t::array, where);
  if (horizons.empty()) {
    refuse(ErrorCode::BadInput, where + ".horizons", "[]", "must hold at least one horizon's map");
  }
  for (std::size_t i = 0; i < horizons.size(); ++i) {
    const std::string at = fmt::format("{}.horizons[{}]", where, i);
    auto h = parse_horizon(horizons[i], at);
    for (std::size_t j = 0; j < file.horizons.size(); ++j) {
      if (file.horizons[j].recalibration.horizon == h.recalibration.horizon) {
        refuse(ErrorCode::BadInput, at + ".horizon_s",
               std::to_string(h.recalibration.horizon.count()),
               fmt::format("repeats horizons[{}]'s; one map per horizon", j));
      }
    }
    file.horizons.push_back(std::move(h));
  }
  return file;
}

RecalibrationFile read_recalibration_file(const std::filesystem::path& path) {
  return parse_recalibration_file(detail::read_gate_file(path, "recalibration file"), path.string());
}

void write_recalibration_file(const RecalibrationFile& file, const std::filesystem::path& path) {
  std::ofstream stream(path, std::ios::binary | std::ios::trunc);
  stream << to_json_text(file);
  stream.close();
  if (!stream) {
    throw Error(ErrorCode::Io,
                fmt::format("recalibration file {}: cannot be written", path.string()));
  }
}

void check_applies_to(const RecalibrationFile& file, const ModelIdentity& uncalibrated,
                      std::span<const std::chrono::seconds> served_horizons,
                      std::string_view source_name) {
  const std::string where(source_name);
  const auto mismatch = [&](const char* field, const std::string& value,
                            const std::string& served) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}.model.{}", where, field),
                     printable_value(value),
                     fmt::format("is not the served model's ({}): the maps were fitted on another "
                                 "model's raw risk; refit them for this twin with `ptwin vv "
                                 "hypotension --twin twin.yaml --write-recalibration FILE`",
                                 served));
  };
  if (file.model.name != uncalibrated.name) mismatch("name", file.model.name, uncalibrated.name);
  if (file.model.version != uncalibrated.version) {
    mismatch("version", file.model.version, uncalibrated.version);
  }
  if (file.model.settings_digest != uncalibrated.settings_digest) {
    mismatch("settings_digest", file.model.settings_digest, uncalibrated.settings_digest);
  }
  for (std::size_t i = 0; i < file.horizons.size(); ++i) {
    const auto horizon = file.horizons[i].recalibration.horizon;
    if (std::find(served_horizons.begin(), served_horizons.end(), horizon) ==
        served_horizons.end()) {
      std::string served;
      for (const auto s : served_horizons) {
        if (!served.empty()) served.append(", ");
        served.append(std::to_string(s.count()));
      }
      throw InputError(ErrorCode::BadInput, fmt::format("{}.horizons[{}].horizon_s", where, i),
                       std::to_string(horizon.count()),
                       fmt::format("is not a horizon the served model forecasts ({} s); fit maps "
                                   "for those horizons (--horizons in minutes)",
                                   served));
    }
  }
}

}  // namespace ptwin::vv::gate
