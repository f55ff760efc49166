// SPDX-License-Identifier: Apache-2.0
#include "ptwin/twin/estimation/zerod_beat_model.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <set>

#include "ptwin/core/error.hpp"
#include "ptwin/physics/zerod/model_builder.hpp"
#include "ptwin/physics/zerod/parameter_reader.hpp"
#include "ptwin/twin/personalisation.hpp"

namespace ptwin::twin::estimation {
namespace zerod = physics::zerod;
namespace {

constexpr double kWarmUpTolerance = 1e-4;  // relative cycle-to-cycle change (simulation.hpp)
constexpr std::string_view kInitialPrefix = "initial:";

void validate(const ZerodBeatSettings& s) {
  const auto positive = [](double value, std::string_view field) {
    if (!(value > 0.0) || !std::isfinite(value)) {
      throw InputError(ErrorCode::BadInput, fmt::format("zerod_beat.{}", field),
                       fmt::format("{}", value), "must be a positive number (SI)");
    }
  };
  if (s.parameters.empty()) {
    throw InputError(ErrorCode::MissingField, "zerod_beat.parameters", "[]",
                     "name at least one adjustable parameter to estimate");
  }
  for (std::size_t j = 0; j < s.parameters.size(); ++j) {
    const double q = s.parameters[j].random_walk_per_sqrt_s;
    if (!(q >= 0.0) || !std::isfinite(q)) {
      throw InputError(ErrorCode::BadInput,
                       fmt::format("zerod_beat.parameters[{}].random_walk_per_sqrt_s", j),
                       fmt::format("{}", q), "must be a finite number >= 0 (1/sqrt(s))");
    }
  }
  if (s.steps_per_beat < 10 || s.beats_per_observation < 1 || s.warm_up_max_beats < 1) {
    throw InputError(
        ErrorCode::BadInput, "zerod_beat",
        fmt::format("steps_per_beat {}, beats_per_observation {}, warm_up_max_beats {}",
                    s.steps_per_beat, s.beats_per_observation, s.warm_up_max_beats),
        "need steps_per_beat >= 10, beats_per_observation >= 1, "
        "warm_up_max_beats >= 1");
  }
  positive(s.systolic_sd_pa, "systolic_sd_pa");
  positive(s.diastolic_sd_pa, "diastolic_sd_pa");
  positive(s.mean_sd_pa, "mean_sd_pa");
  positive(s.cardiac_output_sd_m3_per_s, "cardiac_output_sd_m3_per_s");
}

std::vector<std::string> names_of(const std::vector<BeatParameter>& parameters) {
  std::vector<std::string> names;
  for (const auto& p : parameters) names.push_back(p.name);
  return names;
}

// The blocks whose outputs the observables read ("sys_art.pressure_in" -> "sys_art").
std::vector<std::string> observed_blocks(const Observables& o) {
  std::set<std::string> blocks;
  for (const auto* channel : {&o.arterial_pressure, &o.lv_volume, &o.lv_pressure}) {
    blocks.insert(channel->substr(0, channel->find('.')));
  }
  return {blocks.begin(), blocks.end()};
}

}  // namespace

ZerodBeatModel::ZerodBeatModel(const nlohmann::json& model, std::string_view source,
                               ZerodBeatSettings settings)
    : base_(model),
      source_(source),
      settings_(std::move(settings)),
      observables_(Observables::from_model_json(model, source)) {
  validate(settings_);
  adjustables_ = read_adjustable_parameters(model, names_of(settings_.parameters), source);
  if (!model.contains("heart_period")) {
    throw InputError(ErrorCode::MissingField, fmt::format("{}: heart_period", source), "",
                     "a beat-to-beat model needs a heart period");
  }
  period_s_ = zerod::parse_quantity_si(model.at("heart_period"), units::kTimeDim,
                                       fmt::format("{}: heart_period", source));
  const auto built = zerod::build_model(base_, source_);
  for (const auto& parameter : adjustables_) {
    std::vector<int> indices;
    for (const auto& path : parameter.scales) {
      if (!path.starts_with(kInitialPrefix)) continue;
      const auto variable = path.substr(kInitialPrefix.size());
      const int index = built->variable_index(variable);
      if (index < 0) {
        throw InputError(ErrorCode::BadInput,
                         fmt::format("{}: adjustable_parameters.{}.scales", source, parameter.name),
                         variable, "is not a variable of the model");
      }
      indices.push_back(index);
    }
    warm_scaled_variables_.push_back(std::move(indices));
  }
  warm_log_multipliers_ = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(adjustables_.size()));
  zerod::SimulationSettings warm_up;
  warm_up.steps_per_cycle = settings_.steps_per_beat;
  warm_up.max_cycles = settings_.warm_up_max_beats;
  warm_up.steady_state_tolerance = kWarmUpTolerance;
  warm_up.output_blocks = observed_blocks(observables_);
  const auto run = zerod::simulate(*built, warm_up);
  if (run.status != zerod::SimulationStatus::Completed) {
    throw Error(ErrorCode::SolverDivergence,
                fmt::format("{}: the beat model's warm-up did not reach a periodic state: {}",
                            source, run.message));
  }
  warm_state_ = run.final_state;
}

std::vector<std::string> ZerodBeatModel::state_names() const {
  std::vector<std::string> names;
  for (const auto& p : adjustables_) names.push_back("ln_" + p.name);
  return names;
}

std::vector<std::string> ZerodBeatModel::observation_names() const {
  return {"systolic_pressure_pa", "diastolic_pressure_pa", "mean_arterial_pressure_pa",
          "cardiac_output_m3_per_s"};
}

Eigen::VectorXd ZerodBeatModel::propagate(const Eigen::VectorXd& state, double /*dt_s*/) const {
  return state;  // random walks: the drift is all in Q
}

Eigen::MatrixXd ZerodBeatModel::process_noise(double dt_s) const {
  Eigen::VectorXd variances(static_cast<Eigen::Index>(settings_.parameters.size()));
  for (std::size_t j = 0; j < settings_.parameters.size(); ++j) {
    const double q = settings_.parameters[j].random_walk_per_sqrt_s;
    variances(static_cast<Eigen::Index>(j)) = q * q * dt_s;
  }
  return variances.asDiagonal();
}

Eigen::MatrixXd ZerodBeatModel::observation_noise() const {
  return Eigen::Vector4d(
             settings_.systolic_sd_pa * settings_.systolic_sd_pa,
             settings_.diastolic_sd_pa * settings_.diastolic_sd_pa,
             settings_.mean_sd_pa * settings_.mean_sd_pa,
             settings_.cardiac_output_sd_m3_per_s * settings_.cardiac_output_sd_m3_per_s)
      .asDiagonal();
}

ZerodBeatModel::Beat ZerodBeatModel::simulate_beats(const Eigen::VectorXd& state, int beats) const {
  const std::vector<double> log_multipliers(state.data(), state.data() + state.size());
  const auto model =
      zerod::build_model(with_multipliers(base_, adjustables_, log_multipliers, source_), source_);
  auto initial = warm_state_;
  for (std::size_t j = 0; j < adjustables_.size(); ++j) {
    const auto index = static_cast<Eigen::Index>(j);
    const double ratio = std::exp(state(index) - warm_log_multipliers_(index));
    for (const int v : warm_scaled_variables_[j]) initial[static_cast<std::size_t>(v)] *= ratio;
  }
  zerod::SimulationSettings settings;
  settings.steps_per_cycle = settings_.steps_per_beat;
  settings.max_cycles = beats;
  settings.steady_state_tolerance = 0.0;  // exactly `beats` beats
  settings.output_blocks = observed_blocks(observables_);
  const auto run = zerod::simulate(*model, settings, {}, &initial);
  ++evaluations_;
  if (run.status != zerod::SimulationStatus::Completed) {
    throw Error(ErrorCode::SolverDivergence,
                fmt::format("{}: beat model with log multipliers [{:.4g}] did not complete: {}",
                            source_, fmt::join(log_multipliers, ", "), run.message));
  }
  const auto summary = summarise(run, observables_);
  Beat beat;
  beat.features =
      Eigen::Vector4d(summary.systolic_pressure_pa, summary.diastolic_pressure_pa,
                      summary.mean_arterial_pressure_pa, summary.cardiac_output_m3_per_s);
  beat.final_state = run.final_state;
  return beat;
}

Eigen::VectorXd ZerodBeatModel::observe(const Eigen::VectorXd& state) const {
  return simulate_beats(state, settings_.beats_per_observation).features;
}

void ZerodBeatModel::set_heart_rate(double heart_rate_hz) {
  base_ = with_heart_rate(base_, heart_rate_hz, source_);
  period_s_ = 1.0 / heart_rate_hz;
}

Eigen::VectorXd ZerodBeatModel::advance(const Eigen::VectorXd& state) {
  auto beat = simulate_beats(state, 1);
  warm_state_ = std::move(beat.final_state);
  warm_log_multipliers_ = state;
  return beat.features;
}

}  // namespace ptwin::twin::estimation
