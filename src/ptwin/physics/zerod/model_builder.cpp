// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/model_builder.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/physics/zerod/block_registry.hpp"
#include "ptwin/physics/zerod/parameter_reader.hpp"
#include "ptwin/physics/zerod/svzerod_import.hpp"

namespace ptwin::physics::zerod {
namespace {

units::Dimension dimension_of(VariableKind kind) {
  switch (kind) {
    case VariableKind::Pressure: return units::kPressureDim;
    case VariableKind::Flow: return units::kVolumeFlowDim;
    case VariableKind::Volume: return units::kVolumeDim;
  }
  return units::kDimensionless;
}

std::string closest_type(std::string_view type) {
  // Suggest the registered type sharing the longest common prefix.
  std::string best;
  std::size_t best_length = 0;
  for (const auto& [key, factory] : block_registry()) {
    std::size_t common = 0;
    while (common < key.size() && common < type.size() && key[common] == type[common]) ++common;
    if (common > best_length) {
      best_length = common;
      best = key;
    }
  }
  return best;
}

std::string known_types() {
  std::vector<std::string> names;
  for (const auto& [key, factory] : block_registry()) names.push_back(key);
  return fmt::format("{}", fmt::join(names, ", "));
}

const nlohmann::json& require(const nlohmann::json& object, std::string_view key,
                              std::string_view where) {
  if (!object.contains(key)) {
    throw InputError(ErrorCode::MissingField, fmt::format("{}.{}", where, key), "", "is required");
  }
  return object.at(std::string(key));
}

std::unique_ptr<Block> build_block(const nlohmann::json& spec, std::size_t index,
                                   std::optional<double> period_s, std::string_view source) {
  const auto where = fmt::format("{}: blocks[{}]", source, index);
  if (!spec.is_object()) {
    throw InputError(ErrorCode::BadInput, where, spec.dump(), "is not a JSON object");
  }
  const auto& name = require(spec, "name", where);
  const auto& type = require(spec, "type", where);
  if (!name.is_string() || name.get<std::string>().empty()) {
    throw InputError(ErrorCode::BadInput, where + ".name", name.dump(), "must be a non-empty string");
  }
  const auto block_where = fmt::format("{} ({})", where, name.get<std::string>());
  if (!type.is_string()) {
    throw InputError(ErrorCode::BadInput, block_where + ".type", type.dump(), "must be a string");
  }
  for (const auto& [key, value] : spec.items()) {
    if (key != "name" && key != "type" && key != "parameters" && !key.starts_with("_")) {
      throw InputError(ErrorCode::UnknownField, block_where, key,
                       "is not a block key (name, type, parameters; '_' keys are comments)");
    }
  }
  const auto& registry = block_registry();
  const auto entry = registry.find(type.get<std::string>());
  if (entry == registry.end()) {
    throw InputError(ErrorCode::UnknownBlockType, block_where + ".type", type.get<std::string>(),
                     fmt::format("is not a block type (did you mean '{}'? known: {})",
                                 closest_type(type.get<std::string>()), known_types()));
  }
  static const nlohmann::json kNoParameters = nlohmann::json::object();
  const auto& parameters = spec.contains("parameters") ? spec.at("parameters") : kNoParameters;
  ParameterReader reader(parameters, block_where + ".parameters");
  auto block = entry->second(name.get<std::string>(), reader,
                             BlockContext{period_s, block_where});
  reader.reject_unread();
  return block;
}

Connection read_connection(const nlohmann::json& item, std::size_t index,
                           std::string_view source) {
  const auto where = fmt::format("{}: connections[{}]", source, index);
  if (item.is_array() && item.size() == 2 && item[0].is_string() && item[1].is_string()) {
    return {item[0].get<std::string>(), item[1].get<std::string>()};
  }
  if (item.is_object() && item.contains("from") && item.contains("to") &&
      item.at("from").is_string() && item.at("to").is_string()) {
    return {item.at("from").get<std::string>(), item.at("to").get<std::string>()};
  }
  throw InputError(ErrorCode::BadInput, where, item.dump(),
                   "must be [\"from\", \"to\"] or {\"from\": ..., \"to\": ...}");
}

// "pressure_all" / "flow_all" set every connection pressure / flow first; named variables then
// override them whatever their order in the file.
void set_initial_conditions(const nlohmann::json& conditions, Model& model,
                            std::string_view source) {
  if (!conditions.is_object()) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}: initial_conditions", source),
                     conditions.dump(), "must be an object {variable: \"<value> <unit>\"}");
  }
  for (const auto& [key, prefix, kind] :
       {std::tuple{"pressure_all", "pressure:", VariableKind::Pressure},
        std::tuple{"flow_all", "flow:", VariableKind::Flow}}) {
    if (!conditions.contains(key)) continue;
    const auto where = fmt::format("{}: initial_conditions.{}", source, key);
    const double value_si = parse_quantity_si(conditions.at(key), dimension_of(kind), where);
    for (const auto& variable : model.variables()) {
      if (variable.name.starts_with(prefix)) model.set_initial_value(variable.name, value_si);
    }
  }
  for (const auto& [variable, value] : conditions.items()) {
    if (variable == "pressure_all" || variable == "flow_all" || variable.starts_with("_")) {
      continue;
    }
    const int index = model.variable_index(variable);
    const auto where = fmt::format("{}: initial_conditions.{}", source, variable);
    if (index < 0) {
      throw InputError(ErrorCode::BadInput, where, variable,
                       "is not a variable of the model (pressure:<from>:<to>, "
                       "flow:<from>:<to>, volume:<chamber>, pressure_c:<windkessel>, or "
                       "pressure_all / flow_all for every connection)");
    }
    const auto kind = model.variables()[static_cast<std::size_t>(index)].kind;
    model.set_initial_value(variable, parse_quantity_si(value, dimension_of(kind), where));
  }
}

}  // namespace

std::unique_ptr<Model> build_model(const nlohmann::json& spec, std::string_view source) {
  if (!spec.is_object()) {
    throw InputError(ErrorCode::BadInput, std::string(source), "", "is not a JSON object");
  }
  const auto& format = require(spec, "format", source);
  if (format != kModelFormat) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}: format", source), format.dump(),
                     fmt::format("must be \"{}\"", kModelFormat));
  }
  static const std::set<std::string, std::less<>> kKnownKeys{
      "format", "name", "description", "heart_period", "blocks", "connections",
      "initial_conditions", "adjustable_parameters", "simulation", "observables"};
  for (const auto& [key, value] : spec.items()) {
    if (!kKnownKeys.contains(key) && !key.starts_with("_")) {
      throw InputError(ErrorCode::UnknownField, std::string(source), key,
                       "is not a model key (format, name, description, heart_period, blocks, "
                       "connections, initial_conditions, adjustable_parameters, simulation, observables)");
    }
  }
  std::optional<double> period_s;
  if (spec.contains("heart_period")) {
    const auto where = fmt::format("{}: heart_period", source);
    period_s = parse_quantity_si(spec.at("heart_period"), units::kTimeDim, where);
    if (!(*period_s > 0.0)) {
      throw InputError(ErrorCode::BadInput, where, spec.at("heart_period").dump(),
                       "must be positive");
    }
  }
  const auto& blocks_json = require(spec, "blocks", source);
  if (!blocks_json.is_array()) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}: blocks", source), "", "must be an array");
  }
  std::vector<std::unique_ptr<Block>> blocks;
  for (std::size_t i = 0; i < blocks_json.size(); ++i) {
    blocks.push_back(build_block(blocks_json[i], i, period_s, source));
  }
  std::vector<Connection> connections;
  const auto& connections_json = require(spec, "connections", source);
  if (!connections_json.is_array()) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}: connections", source),
                     connections_json.dump(), "must be an array");
  }
  for (std::size_t i = 0; i < connections_json.size(); ++i) {
    connections.push_back(read_connection(connections_json[i], i, source));
  }
  std::string name = "model";
  if (spec.contains("name")) {
    if (!spec.at("name").is_string()) {
      throw InputError(ErrorCode::BadInput, fmt::format("{}: name", source),
                       spec.at("name").dump(), "must be a string");
    }
    name = spec.at("name").get<std::string>();
  }
  std::unique_ptr<Model> model;
  try {
    model = std::make_unique<Model>(std::move(name), std::move(blocks),
                                    std::move(connections), period_s);
  } catch (const InputError& error) {
    // Wiring errors name the connection or block; the file is named here.
    throw InputError(error.code(), fmt::format("{}: {}", source, error.where()), error.value(),
                     error.rule());
  }
  if (spec.contains("initial_conditions")) {
    set_initial_conditions(spec.at("initial_conditions"), *model, source);
  }
  return model;
}

nlohmann::json read_json_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    throw Error(ErrorCode::Io, fmt::format("cannot open '{}': check that the path exists and is "
                                           "readable",
                                           path.string()));
  }
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& error) {
    throw InputError(ErrorCode::BadInput, path.string(), fmt::format("byte {}", error.byte),
                     fmt::format("is not valid JSON ({})", error.what()));
  } catch (const nlohmann::json::out_of_range& error) {
    // JSON has no limit on numbers; "1e400" parses as a number that no double can hold.
    throw InputError(ErrorCode::BadInput, path.string(), error.what(),
                     "is not valid JSON for ptwin (a number beyond the range of a double)");
  }
}

nlohmann::json read_model_spec(const std::filesystem::path& path,
                               std::string_view svzerod_units) {
  auto json = read_json_file(path);
  if (json.is_object() && json.contains("simulation_parameters")) {
    return import_svzerod(json, parse_svzerod_units(svzerod_units), path.string());
  }
  return json;
}

std::unique_ptr<Model> load_model_file(const std::filesystem::path& path,
                                       std::string_view svzerod_units) {
  return build_model(read_model_spec(path, svzerod_units), path.string());
}

}  // namespace ptwin::physics::zerod
