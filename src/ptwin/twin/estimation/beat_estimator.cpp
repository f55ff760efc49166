// SPDX-License-Identifier: Apache-2.0
#include "ptwin/twin/estimation/beat_estimator.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

#include "ptwin/core/error.hpp"

namespace ptwin::twin::estimation {
namespace {

GaussianEstimate prior_of(const BeatEstimatorSettings& settings) {
  if (!(settings.prior_log_sd > 0.0) || !std::isfinite(settings.prior_log_sd)) {
    throw InputError(ErrorCode::BadInput, "beat_estimator.prior_log_sd",
                     fmt::format("{}", settings.prior_log_sd), "must be a positive number");
  }
  const auto n = static_cast<Eigen::Index>(settings.model.parameters.size());
  return {Eigen::VectorXd::Zero(n),
          settings.prior_log_sd * settings.prior_log_sd * Eigen::MatrixXd::Identity(n, n)};
}

}  // namespace

BeatEstimator::BeatEstimator(const nlohmann::json& model, std::string_view source,
                             const BeatEstimatorSettings& settings)
    : model_(model, source, settings.model), filter_(model_, prior_of(settings), settings.filter) {}

BeatAssimilation BeatEstimator::assimilate(const BeatFeatures& beat) {
  const long evaluations_before = model_.evaluations();
  model_.set_heart_rate(beat.heart_rate_hz);
  filter_.predict(model_.heart_period_s());
  BeatAssimilation out;
  Measurement pressures;
  const std::array<std::pair<BeatChannel, const std::optional<double>*>, 3> pressure_channels{{
      {kSystolic, &beat.systolic_pressure_pa},
      {kDiastolic, &beat.diastolic_pressure_pa},
      {kMeanPressure, &beat.mean_arterial_pressure_pa},
  }};
  std::vector<double> values;
  for (const auto& [channel, value] : pressure_channels) {
    if (!value->has_value()) continue;
    pressures.channels.push_back(channel);
    values.push_back(**value);
  }
  if (!values.empty()) {
    pressures.values =
        Eigen::Map<const Eigen::VectorXd>(values.data(), static_cast<Eigen::Index>(values.size()));
    out.updates.push_back(filter_.update(pressures));
  }
  if (beat.cardiac_output_m3_per_s) {
    out.updates.push_back(filter_.update(
        {{kCardiacOutput}, Eigen::VectorXd::Constant(1, *beat.cardiac_output_m3_per_s)}));
  }
  out.estimate = filter_.estimate();
  out.features = model_.advance(out.estimate.mean);
  out.model_evaluations = model_.evaluations() - evaluations_before;
  return out;
}

}  // namespace ptwin::twin::estimation
