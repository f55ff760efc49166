// SPDX-License-Identifier: Apache-2.0
#include "ptwin/twin/live/estimate_point.hpp"

#include <algorithm>
#include <cmath>

#include "ptwin/core/assert.hpp"
#include "ptwin/twin/risk/haemodynamic_trend_model.hpp"

namespace ptwin::twin::live {
namespace {

using Index = risk::HaemodynamicTrendModel::StateIndex;
constexpr double kZ95 = 1.6448536269514722;  // standard normal 95 % quantile: a 90 % interval

risk::ForecastQuantiles log_normal_quantiles(double ln_mean, double ln_variance, double offset) {
  const double sd = std::sqrt(std::max(ln_variance, 0.0));
  return {std::exp(ln_mean - kZ95 * sd) + offset, std::exp(ln_mean) + offset,
          std::exp(ln_mean + kZ95 * sd) + offset};
}

}  // namespace

EstimatePoint estimate_point(time::Instant time, const estimation::GaussianEstimate& estimate,
                             double central_venous_pressure_pa) {
  PTWIN_ASSERT(estimate.mean.size() == 4 && estimate.covariance.rows() == 4,
               "estimate_point needs the trend model's four-state posterior");
  const auto& x = estimate.mean;
  const auto& p = estimate.covariance;
  const int r = Index::kLnResistance;
  const int c = Index::kLnCardiacOutput;
  EstimatePoint point;
  point.time = time;
  point.mean_arterial_pressure_pa = log_normal_quantiles(
      x[r] + x[c], p(r, r) + p(r, c) + p(c, r) + p(c, c), central_venous_pressure_pa);
  point.cardiac_output_m3_per_s = log_normal_quantiles(x[c], p(c, c), 0.0);
  point.systemic_vascular_resistance_pa_s_per_m3 = log_normal_quantiles(x[r], p(r, r), 0.0);
  return point;
}

}  // namespace ptwin::twin::live
