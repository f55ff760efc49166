// SPDX-License-Identifier: Apache-2.0
#include "ptwin/twin/adjustable_parameters.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ptwin/core/error.hpp"

namespace ptwin::twin {
namespace {

nlohmann::json& locate(nlohmann::json& model, std::string_view path, std::string_view source) {
  const auto where = fmt::format("{}: adjustable_parameters ... scales '{}'", source, path);
  if (path.starts_with("initial:")) {
    auto& initial = model["initial_conditions"];
    const std::string variable(path.substr(8));
    if (!initial.contains(variable)) {
      throw InputError(ErrorCode::BadInput, where, variable, "is not in initial_conditions");
    }
    return initial[variable];
  }
  const auto dot = path.find('.');
  if (dot == std::string_view::npos) {
    throw InputError(ErrorCode::BadInput, where, std::string(path),
                     "must be <block>.<parameter> or initial:<variable>");
  }
  const auto block = path.substr(0, dot);
  const std::string parameter(path.substr(dot + 1));
  for (auto& b : model["blocks"]) {
    if (b.value("name", "") == block) {
      if (!b["parameters"].contains(parameter)) {
        throw InputError(ErrorCode::BadInput, where, parameter, "is not a parameter of the block");
      }
      return b["parameters"][parameter];
    }
  }
  throw InputError(ErrorCode::BadInput, where, std::string(block), "is not a block of the model");
}

}  // namespace

nlohmann::json scaled_quantity(const nlohmann::json& value, double factor, std::string_view where) {
  if (value.is_number()) return value.get<double>() * factor;
  if (!value.is_string()) {
    throw InputError(ErrorCode::BadInput, std::string(where), value.dump(),
                     "an adjustable value must be a quantity string or a number");
  }
  const auto text = value.get<std::string>();
  const auto space = text.find(' ');
  const auto number_text = text.substr(0, space);
  double number = 0.0;
  const auto [end, error] =
      std::from_chars(number_text.data(), number_text.data() + number_text.size(), number);
  if (error != std::errc() || end != number_text.data() + number_text.size()) {
    throw InputError(ErrorCode::BadInput, std::string(where), printable_value(text),
                     "must start with a number, e.g. \"1.2 mm[Hg].s/mL\"");
  }
  return fmt::format("{:.12g}{}", number * factor,
                     space == std::string::npos ? "" : text.substr(space));
}

std::vector<AdjustableParameter> read_adjustable_parameters(const nlohmann::json& model,
                                         const std::vector<std::string>& names,
                                         std::string_view source) {
  if (!model.contains("adjustable_parameters")) {
    throw InputError(ErrorCode::MissingField, fmt::format("{}: adjustable_parameters", source), "",
                     "the model declares no adjustable parameters to personalise");
  }
  const auto& declared = model.at("adjustable_parameters");
  std::vector<AdjustableParameter> out;
  std::set<std::string> seen;
  for (const auto& name : names) {
    const auto where = fmt::format("{}: adjustable_parameters.{}", source, name);
    if (!declared.contains(name)) {
      std::vector<std::string> known;
      for (const auto& [key, value] : declared.items()) known.push_back(key);
      throw InputError(ErrorCode::BadInput, "personalisation.parameters", name,
                       fmt::format("is not an adjustable parameter of the model (known: {})",
                                   fmt::join(known, ", ")));
    }
    if (!seen.insert(name).second) {
      throw InputError(ErrorCode::BadInput, "personalisation.parameters", name, "is listed twice");
    }
    const auto& spec = declared.at(name);
    const bool has_scales = spec.is_object() && spec.contains("scales") &&
                            spec.at("scales").is_array() && !spec.at("scales").empty() &&
                            std::all_of(spec.at("scales").begin(), spec.at("scales").end(),
                                        [](const auto& v) { return v.is_string(); });
    if (!has_scales) {
      throw InputError(ErrorCode::MissingField, where + ".scales",
                       spec.is_object() && spec.contains("scales") ? spec.at("scales").dump() : "",
                       "must list what the parameter scales, e.g. [\"aorta.resistance\"]");
    }
    AdjustableParameter a{name, spec.at("scales").get<std::vector<std::string>>(), 0.0, 0.0};
    const auto bounds = spec.value("bounds", std::vector<double>{0.2, 5.0});
    if (bounds.size() != 2 || !(bounds[0] > 0) || !(bounds[1] > bounds[0]) || !(bounds[0] <= 1) ||
        !(bounds[1] >= 1)) {
      throw InputError(ErrorCode::BadInput, where + ".bounds", spec.value("bounds", nlohmann::json()).dump(),
                       "must be [lower, upper] multipliers with 0 < lower <= 1 <= upper");
    }
    a.lower = bounds[0];
    a.upper = bounds[1];
    out.push_back(std::move(a));
  }
  return out;
}

nlohmann::json with_multipliers(const nlohmann::json& model,
                                const std::vector<AdjustableParameter>& parameters,
                                const std::vector<double>& log_multipliers,
                                std::string_view source) {
  auto out = model;
  for (std::size_t j = 0; j < parameters.size(); ++j) {
    const double factor = std::exp(log_multipliers[j]);
    for (const auto& path : parameters[j].scales) {
      auto& value = locate(out, path, source);
      value = scaled_quantity(value, factor, path);
    }
  }
  return out;
}

}  // namespace ptwin::twin
