// SPDX-License-Identifier: Apache-2.0
#pragma once
// Beat-to-beat estimation of a 0D closed loop's slow parameters with the UKF
// (docs/twin.md, "Estimation"). Each beat:
//   1. the measured heart rate sets the model's period (an input, not estimated);
//   2. predict over one period (random walks of the log multipliers);
//   3. update with the beat's pressures (systolic, diastolic, mean: one measurement, one gate);
//   4. update with the cardiac output when one was measured (a separate device: its own gate);
//   5. advance the model's warm state one beat with the posterior mean.
// The cost of a beat is 2n+1 model evaluations per update (n parameters) plus one for step 5.

#include <optional>
#include <vector>

#include "ptwin/twin/estimation/unscented_kalman_filter.hpp"
#include "ptwin/twin/estimation/zerod_beat_model.hpp"

namespace ptwin::twin::estimation {

/// What was measured on one beat (SI). Absent pressures are not used; a beat without any
/// measurement only predicts.
struct BeatFeatures {
  double heart_rate_hz = 0.0;
  std::optional<double> systolic_pressure_pa;
  std::optional<double> diastolic_pressure_pa;
  std::optional<double> mean_arterial_pressure_pa;
  std::optional<double> cardiac_output_m3_per_s;
};

struct BeatEstimatorSettings {
  ZerodBeatSettings model;
  double prior_log_sd = 0.1;  // prior sd of each ln m_j around the model as written
  UnscentedSettings filter;
};

struct BeatAssimilation {
  std::vector<UpdateOutcome> updates;  // pressures first, then cardiac output, as measured
  GaussianEstimate estimate;           // of the log multipliers, after the beat
  Eigen::VectorXd features;            // the beat simulated with the posterior mean (step 5)
  long model_evaluations = 0;          // simulations run for this beat
};

class BeatEstimator {
 public:
  /// See ZerodBeatModel for what is thrown.
  BeatEstimator(const nlohmann::json& model, std::string_view source,
                const BeatEstimatorSettings& settings);
  BeatEstimator(const BeatEstimator&) = delete;
  BeatEstimator& operator=(const BeatEstimator&) = delete;

  [[nodiscard]] BeatAssimilation assimilate(const BeatFeatures& beat);
  [[nodiscard]] const GaussianEstimate& estimate() const { return filter_.estimate(); }
  [[nodiscard]] const ZerodBeatModel& model() const { return model_; }

 private:
  ZerodBeatModel model_;  // before filter_, which holds a reference to it
  UnscentedKalmanFilter filter_;
};

}  // namespace ptwin::twin::estimation
