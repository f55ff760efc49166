// SPDX-License-Identifier: Apache-2.0
#pragma once
// The live hypotension risk of one patient: a UKF on the HaemodynamicTrendModel assimilates
// beat-averaged MAP and intermittent cardiac output as they arrive (artefacts rejected by the
// chi-squared innovation gate), and a forecast propagates the posterior over the horizon. The
// model is linear in its log-space state, so the forecast of ln(MAP - CVP) is exactly Gaussian at
// every future time. The risk of hypotension (MAP < 65 mmHg for at least one minute within the
// horizon, the event definition of Hatib et al. 2018) is scored as the largest marginal
// probability P(MAP(t) < 65 mmHg) over the times t at which such a run could have ended; it is
// a lower bound of the event probability and is calibrated against outcomes by the evaluation
// (vv::evaluate_hypotension_prediction). The forecast also gives the 5/50/95 % quantiles of MAP
// and CO at the horizon (log-normal, exact under the model).
//
// The filter is a setting (docs/twin.md#filters): the UKF (default; exact here, as the model is
// linear in its state) or the stochastic EnKF with a stated ensemble size and seed, whose sample
// mean and covariance feed the same Gaussian forecast. A recalibration map fitted for a horizon
// (risk_recalibration.hpp) turns the raw risk into the reported probability for that horizon;
// the raw risk is reported beside it.

#include <chrono>
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "ptwin/core/time.hpp"
#include "ptwin/core/twin_config.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/twin/estimation/ensemble_kalman_filter.hpp"
#include "ptwin/twin/estimation/unscented_kalman_filter.hpp"
#include "ptwin/twin/risk/haemodynamic_trend_model.hpp"
#include "ptwin/twin/risk/risk_recalibration.hpp"

namespace ptwin::twin::risk {

struct HypotensionRiskSettings {
  HaemodynamicTrendSettings model;
  double prior_cardiac_output_m3_per_s = 5.0e-3 / 60.0;  // population median, before a measurement
  double prior_ln_cardiac_output_sd = 0.3;
  std::chrono::seconds forecast_step{10};
  double hypotension_threshold_pa = 65.0 * units::kPaPerMmHg;
  std::chrono::seconds minimum_duration{60};
  double gate_probability = 0.999;
  StateFilter filter = StateFilter::Ukf;  // twin.yaml twin.filter
  int ensemble_size = 200;                // EnKF members (twin.ensemble_size), 10..100000
  std::uint64_t ensemble_seed = 20261125;  // EnKF random stream (twin.ensemble_seed)
  /// At most one per horizon; a horizon without one reports the raw risk.
  std::vector<HorizonRecalibration> recalibrations;
};

struct ForecastQuantiles {
  double p05 = 0.0;
  double p50 = 0.0;
  double p95 = 0.0;
};

struct HypotensionForecast {
  time::Instant time;
  std::chrono::seconds horizon{0};
  double probability = 0.0;  // P(MAP < threshold for >= minimum_duration within the horizon)
  double raw_probability = 0.0;  // before recalibration (equal to probability without one)
  RecalibrationMethod recalibration = RecalibrationMethod::None;  // applied to raw_probability
  ForecastQuantiles mean_arterial_pressure_pa;  // at the horizon
  ForecastQuantiles cardiac_output_m3_per_s;    // at the horizon
};

class HypotensionRiskTwin {
 public:
  /// Starts from the first MAP (and CO, when one was measured) with a prior that knows their
  /// product-relation: ln SVR = ln(MAP - CVP) - ln CO. Throws InputError for settings out of
  /// range or a first MAP that is not above CVP.
  HypotensionRiskTwin(const HypotensionRiskSettings& settings, time::Instant start,
                      double first_mean_arterial_pressure_pa,
                      std::optional<double> first_cardiac_output_m3_per_s = std::nullopt);
  HypotensionRiskTwin(const HypotensionRiskTwin&) = delete;
  HypotensionRiskTwin& operator=(const HypotensionRiskTwin&) = delete;

  /// Each advances the estimate to `time` (not earlier than the last one: InputError) and
  /// assimilates the value; a gated value leaves the estimate as predicted.
  estimation::UpdateOutcome assimilate_mean_arterial_pressure(time::Instant time, double pa);
  estimation::UpdateOutcome assimilate_cardiac_output(time::Instant time, double m3_per_s);

  /// The risk and quantiles over `horizon` from the latest estimate.
  [[nodiscard]] HypotensionForecast forecast(std::chrono::seconds horizon) const;

  /// The posterior (for the EnKF, the ensemble's sample mean and covariance).
  [[nodiscard]] const estimation::GaussianEstimate& estimate() const { return estimate_; }
  [[nodiscard]] time::Instant time() const noexcept { return time_; }
  [[nodiscard]] const HypotensionRiskSettings& settings() const noexcept { return settings_; }

 private:
  using Filter = std::variant<estimation::UnscentedKalmanFilter, estimation::EnsembleKalmanFilter>;
  void advance_to(time::Instant time);
  estimation::UpdateOutcome update(const estimation::Measurement& measurement);
  void refresh_estimate();
  [[nodiscard]] static Filter make_filter(const HypotensionRiskSettings& settings,
                                          const HaemodynamicTrendModel& model,
                                          const estimation::GaussianEstimate& initial);

  HypotensionRiskSettings settings_;
  HaemodynamicTrendModel model_;  // before filter_: the filter keeps a reference to it
  Filter filter_;
  estimation::GaussianEstimate estimate_;
  time::Instant time_;
};

}  // namespace ptwin::twin::risk
