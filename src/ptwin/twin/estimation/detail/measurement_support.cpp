// SPDX-License-Identifier: Apache-2.0
#include "ptwin/twin/estimation/detail/measurement_support.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <set>

#include "ptwin/core/error.hpp"

namespace ptwin::twin::estimation::detail {

void validate_measurement(const Measurement& measurement, int observation_size,
                          const StepContext& context) {
  const auto where = fmt::format("{} step {} measurement", context.estimator, context.step);
  if (measurement.channels.empty()) {
    throw InputError(ErrorCode::BadInput, where + ".channels", "[]",
                     "must name at least one observation channel");
  }
  if (static_cast<std::size_t>(measurement.values.size()) != measurement.channels.size()) {
    throw InputError(
        ErrorCode::BadInput, where + ".values", fmt::format("{} values", measurement.values.size()),
        fmt::format("must hold one value per channel ({} channels)", measurement.channels.size()));
  }
  std::set<int> seen;
  for (std::size_t i = 0; i < measurement.channels.size(); ++i) {
    const int channel = measurement.channels[i];
    if (channel < 0 || channel >= observation_size) {
      throw InputError(
          ErrorCode::BadInput, fmt::format("{}.channels[{}]", where, i), fmt::format("{}", channel),
          fmt::format("must be an observation channel index from 0 to {}", observation_size - 1));
    }
    if (!seen.insert(channel).second) {
      throw InputError(ErrorCode::BadInput, fmt::format("{}.channels[{}]", where, i),
                       fmt::format("{}", channel), "is listed twice");
    }
    const double value = measurement.values(static_cast<Eigen::Index>(i));
    if (!std::isfinite(value)) {
      throw InputError(ErrorCode::BadInput, fmt::format("{}.values[{}]", where, i),
                       fmt::format("{}", value), "must be a finite number");
    }
  }
}

void validate_gate_settings(const InnovationGateSettings& settings, std::string_view where) {
  const double p = settings.probability;
  if (!(p == 0.0 || (p >= 0.5 && p < 1.0))) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}.gate.probability", where),
                     fmt::format("{}", p), "must be 0 (gating off) or in [0.5, 1)");
  }
}

Eigen::VectorXd select_rows(const Eigen::VectorXd& full, const std::vector<int>& channels) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(channels.size()));
  for (std::size_t i = 0; i < channels.size(); ++i) {
    out(static_cast<Eigen::Index>(i)) = full(channels[i]);
  }
  return out;
}

Eigen::MatrixXd select_block(const Eigen::MatrixXd& full, const std::vector<int>& channels) {
  const auto m = static_cast<Eigen::Index>(channels.size());
  Eigen::MatrixXd out(m, m);
  for (Eigen::Index i = 0; i < m; ++i) {
    for (Eigen::Index j = 0; j < m; ++j) {
      out(i, j) =
          full(channels[static_cast<std::size_t>(i)], channels[static_cast<std::size_t>(j)]);
    }
  }
  return out;
}

void apply_gate(const InnovationGateSettings& settings, const Eigen::LLT<Eigen::MatrixXd>& s_factor,
                UpdateOutcome& outcome) {
  const Eigen::VectorXd whitened = s_factor.matrixL().solve(outcome.innovation);
  outcome.normalised_innovation_squared = whitened.squaredNorm();
  outcome.degrees_of_freedom = static_cast<int>(outcome.innovation.size());
  outcome.gate_threshold =
      settings.probability > 0.0
          ? chi_squared_quantile(settings.probability, outcome.degrees_of_freedom)
          : std::numeric_limits<double>::infinity();
  outcome.status = outcome.normalised_innovation_squared > outcome.gate_threshold
                       ? MeasurementStatus::Gated
                       : MeasurementStatus::Accepted;
}

}  // namespace ptwin::twin::estimation::detail
