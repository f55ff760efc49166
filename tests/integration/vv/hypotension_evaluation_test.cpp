// SPDX-License-Identifier: Apache-2.0
// The evaluation harness on the synthetic cohort: the baseline against itself (no difference),
// and a predictor that is told the future (the truth's own MAP 10 minutes ahead), which the
// harness must score far above the baseline. These check the wiring of labels, pooling and the
// paired test, not any real predictor.
#include <chrono>
#include <cmath>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/vv/hypotension_evaluation.hpp"

namespace {

using namespace std::chrono_literals;
using ptwin::twin::cohort::SyntheticPatient;

std::vector<SyntheticPatient> cohort() {
  ptwin::twin::cohort::CohortSettings s;
  s.patients = 60;
  s.duration = 4h;
  return ptwin::twin::cohort::generate_hypotension_cohort(s);
}

TEST(HypotensionEvaluation, BaselineAgainstItselfIsNoDifference) {
  const auto patients = cohort();
  const ptwin::vv::HypotensionEvaluationSettings settings;
  const auto baseline = ptwin::vv::current_map_baseline_predictor(patients, settings);
  const auto e = ptwin::vv::evaluate_hypotension_prediction(patients, "baseline", baseline, settings);
  EXPECT_EQ(e.test_patients, 30u);
  EXPECT_NEAR(e.test_patient_hours, 30 * (4.0 - 10.0 / 3600.0), 1e-9);
  EXPECT_GT(e.events, 5u);
  EXPECT_GT(e.positive_predictions, 50u);
  EXPECT_GT(e.negative_predictions, 10 * e.positive_predictions);
  EXPECT_DOUBLE_EQ(e.predictor.auroc.area, e.baseline.auroc.area);
  EXPECT_DOUBLE_EQ(e.predictor_minus_baseline.difference, 0.0);
  EXPECT_DOUBLE_EQ(e.predictor_minus_baseline.p_value, 1.0);
  RecordProperty("baseline_auroc", std::to_string(e.baseline.auroc.area));
  RecordProperty("events", std::to_string(e.events));
  RecordProperty("baseline_sensitivity", std::to_string(e.baseline.lead_time.sensitivity));
  // Current MAP carries real information about hypotension 15 minutes ahead.
  EXPECT_GT(e.baseline.auroc.area, 0.75);
  EXPECT_EQ(e.baseline.lead_time.events.size(), e.events);
}

TEST(HypotensionEvaluation, APredictorThatSeesTheFutureBeatsTheBaseline) {
  const auto patients = cohort();
  const ptwin::vv::HypotensionEvaluationSettings settings;
  // The true (noise-free) MAP 10 minutes ahead, thresholded softly at 67 mmHg.
  const ptwin::vv::HypotensionRiskPredictor oracle =
      [](const SyntheticPatient& patient, std::span<const std::size_t> indices, std::chrono::seconds) {
        std::vector<double> p;
        for (std::size_t i : indices) {
          const std::size_t ahead = std::min(i + 60, patient.samples.size() - 1);
          const double mmhg =
              patient.samples[ahead].true_mean_arterial_pressure_pa / ptwin::units::kPaPerMmHg;
          p.push_back(1.0 / (1.0 + std::exp(mmhg - 67.0)));
        }
        return p;
      };
  const auto e = ptwin::vv::evaluate_hypotension_prediction(patients, "oracle", oracle, settings);
  RecordProperty("oracle_auroc", std::to_string(e.predictor.auroc.area));
  RecordProperty("oracle_sensitivity", std::to_string(e.predictor.lead_time.sensitivity));
  EXPECT_GT(e.predictor.auroc.area, 0.9);
  EXPECT_GT(e.predictor_minus_baseline.difference, 0.0);
  EXPECT_LT(e.predictor_minus_baseline.p_value, 0.01);
  EXPECT_GT(e.predictor.lead_time.sensitivity, e.baseline.lead_time.sensitivity);
}

TEST(HypotensionEvaluation, APredictorReturningTheWrongCountIsAnError) {
  const auto patients = cohort();
  const ptwin::vv::HypotensionRiskPredictor broken =
      [](const SyntheticPatient&, std::span<const std::size_t>, std::chrono::seconds) {
        return std::vector<double>{0.5};
      };
  EXPECT_THROW((void)ptwin::vv::evaluate_hypotension_prediction(patients, "broken", broken, {}),
               ptwin::Error);
}

}  // namespace
