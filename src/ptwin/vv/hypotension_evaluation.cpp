// SPDX-License-Identifier: Apache-2.0
#include "ptwin/vv/hypotension_evaluation.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/twin/risk/current_map_baseline.hpp"
#include "ptwin/vv/metrics/event_intervals.hpp"

namespace ptwin::vv {
namespace {

using twin::cohort::SyntheticPatient;

// What the evaluation needs of one patient: its events and the labelled prediction times.
struct LabelledPatient {
  std::vector<EventInterval> events;
  std::vector<std::size_t> prediction_indices;
  std::vector<time::Instant> prediction_times;
  std::vector<PredictionLabel> labels;
};

LabelledPatient label_patient(const SyntheticPatient& patient,
                              const HypotensionEvaluationSettings& settings) {
  LabelledPatient labelled;
  if (patient.samples.empty()) return labelled;
  std::vector<TimedValue> series;
  series.reserve(patient.samples.size());
  for (const auto& s : patient.samples) series.push_back({s.time, s.mean_arterial_pressure_pa});
  labelled.events = find_sustained_runs_below(series, hypotension_event_definition());
  time::Instant next = patient.samples.front().time;
  for (std::size_t i = 0; i < patient.samples.size(); ++i) {
    if (patient.samples[i].time < next) continue;
    labelled.prediction_indices.push_back(i);
    labelled.prediction_times.push_back(patient.samples[i].time);
    next = patient.samples[i].time + settings.prediction_interval;
  }
  labelled.labels = label_prediction_times(labelled.prediction_times, labelled.events,
                                           patient.samples.back().time, settings.horizon);
  return labelled;
}

struct PooledScores {
  std::vector<ScoredCase> cases;
  std::vector<PredictedOutcome> outcomes;
  std::vector<EventDetection> detections;
};

void pool(const LabelledPatient& labelled, const std::vector<double>& probabilities,
          double alarm_threshold, PooledScores& pooled) {
  std::vector<TimedScore> trace;
  for (std::size_t k = 0; k < probabilities.size(); ++k) {
    trace.push_back({labelled.prediction_times[k], probabilities[k]});
    if (labelled.labels[k] == PredictionLabel::Excluded) continue;
    const bool positive = labelled.labels[k] == PredictionLabel::Positive;
    pooled.cases.push_back({probabilities[k], positive});
    pooled.outcomes.push_back({probabilities[k], positive});
  }
  LeadTimeSettings lead;
  lead.threshold = alarm_threshold;
  auto report = lead_times(trace, labelled.events, lead);
  for (auto& d : report.events) pooled.detections.push_back(d);
}

PredictorEvaluation summarise(std::string name, PooledScores pooled) {
  PredictorEvaluation e;
  e.name = std::move(name);
  e.auroc = auroc_delong(pooled.cases);
  e.calibration = assess_calibration(pooled.outcomes);
  e.lead_time = summarise_detections(std::move(pooled.detections));
  return e;
}

bool is_training(std::size_t patient_index) { return patient_index % 2 == 0; }

twin::risk::CurrentMapBaseline fit_baseline(const std::vector<SyntheticPatient>& cohort,
                                            const HypotensionEvaluationSettings& settings) {
  std::vector<uq::LabelledValue> training;
  for (std::size_t p = 0; p < cohort.size(); p += 2) {
    const LabelledPatient labelled = label_patient(cohort[p], settings);
    for (std::size_t k = 0; k < labelled.labels.size(); ++k) {
      if (labelled.labels[k] == PredictionLabel::Excluded) continue;
      training.push_back({cohort[p].samples[labelled.prediction_indices[k]].mean_arterial_pressure_pa,
                          labelled.labels[k] == PredictionLabel::Positive});
    }
  }
  return twin::risk::CurrentMapBaseline::fit(training);
}

}  // namespace

HypotensionRiskPredictor current_map_baseline_predictor(
    const std::vector<SyntheticPatient>& cohort, const HypotensionEvaluationSettings& settings) {
  const twin::risk::CurrentMapBaseline baseline = fit_baseline(cohort, settings);
  return [baseline](const SyntheticPatient& patient, std::span<const std::size_t> indices,
                    std::chrono::seconds) {
    std::vector<double> p;
    p.reserve(indices.size());
    for (std::size_t i : indices) p.push_back(baseline.probability(patient.samples[i].mean_arterial_pressure_pa));
    return p;
  };
}

namespace {

// Replays one patient through a live twin in time order (cardiac output before the MAP of the
// same instant) and calls `at_prediction(twin, sample index)` at each requested index.
template <typename AtPrediction>
void replay_through_twin(const SyntheticPatient& patient, std::span<const std::size_t> indices,
                         const twin::risk::HypotensionRiskSettings& settings,
                         AtPrediction&& at_prediction) {
  if (indices.empty() || patient.samples.empty()) return;
  const auto& first = patient.samples.front();
  twin::risk::HypotensionRiskTwin twin(settings, first.time, first.mean_arterial_pressure_pa);
  std::size_t next_co = 0;
  std::size_t next_prediction = 0;
  for (std::size_t i = 0; i < patient.samples.size() && next_prediction < indices.size(); ++i) {
    const auto& sample = patient.samples[i];
    while (next_co < patient.cardiac_output.size() &&
           patient.cardiac_output[next_co].time <= sample.time) {
      (void)twin.assimilate_cardiac_output(patient.cardiac_output[next_co].time,
                                           patient.cardiac_output[next_co].cardiac_output_m3_per_s);
      ++next_co;
    }
    if (i > 0) (void)twin.assimilate_mean_arterial_pressure(sample.time, sample.mean_arterial_pressure_pa);
    if (indices[next_prediction] == i) {
      at_prediction(twin, i);
      ++next_prediction;
    }
  }
}

}  // namespace

HypotensionRiskPredictor hypotension_risk_twin_predictor(
    const twin::risk::HypotensionRiskSettings& settings) {
  return [settings](const SyntheticPatient& patient, std::span<const std::size_t> indices,
                    std::chrono::seconds horizon) {
    std::vector<double> probabilities;
    replay_through_twin(patient, indices, settings,
                        [&](const twin::risk::HypotensionRiskTwin& twin, std::size_t) {
                          probabilities.push_back(twin.forecast(horizon).probability);
                        });
    return probabilities;
  };
}

ForecastCoverage evaluate_forecast_coverage(const std::vector<SyntheticPatient>& cohort,
                                            const twin::risk::HypotensionRiskSettings& twin_settings,
                                            const HypotensionEvaluationSettings& settings) {
  ForecastCoverage coverage;
  coverage.horizon = settings.horizon;
  std::size_t map_inside = 0, co_inside = 0;
  for (std::size_t p = 1; p < cohort.size(); p += 2) {
    const SyntheticPatient& patient = cohort[p];
    const LabelledPatient labelled = label_patient(patient, settings);
    replay_through_twin(
        patient, labelled.prediction_indices, twin_settings,
        [&](const twin::risk::HypotensionRiskTwin& twin, std::size_t i) {
          const time::Instant target = patient.samples[i].time + settings.horizon;
          const auto later = std::lower_bound(
              patient.samples.begin() + static_cast<std::ptrdiff_t>(i), patient.samples.end(), target,
              [](const twin::cohort::CohortSample& s, time::Instant t) { return s.time < t; });
          if (later == patient.samples.end() || later->time != target) return;  // past the record
          const auto f = twin.forecast(settings.horizon);
          const double map = later->true_mean_arterial_pressure_pa;
          const double co = later->true_cardiac_output_m3_per_s;
          map_inside += (map >= f.mean_arterial_pressure_pa.p05 && map <= f.mean_arterial_pressure_pa.p95) ? 1 : 0;
          co_inside += (co >= f.cardiac_output_m3_per_s.p05 && co <= f.cardiac_output_m3_per_s.p95) ? 1 : 0;
          ++coverage.forecasts;
        });
  }
  if (coverage.forecasts > 0) {
    coverage.mean_arterial_pressure = static_cast<double>(map_inside) / static_cast<double>(coverage.forecasts);
    coverage.cardiac_output = static_cast<double>(co_inside) / static_cast<double>(coverage.forecasts);
  }
  return coverage;
}

HypotensionEvaluation evaluate_hypotension_prediction(const std::vector<SyntheticPatient>& cohort,
                                                      const std::string& predictor_name,
                                                      const HypotensionRiskPredictor& predictor,
                                                      const HypotensionEvaluationSettings& settings) {
  if (cohort.size() < 2) {
    throw InputError(ErrorCode::BadInput, "hypotension evaluation: cohort",
                     fmt::format("{} patients", cohort.size()),
                     "needs at least two patients (one to fit the baseline, one to test)");
  }
  const HypotensionRiskPredictor baseline = current_map_baseline_predictor(cohort, settings);
  HypotensionEvaluation evaluation;
  evaluation.horizon = settings.horizon;
  PooledScores under_test, reference;
  std::vector<PairedScores> paired;
  std::vector<std::vector<PairedScores>> paired_by_patient;
  std::vector<PredictedOutcome> calibration_split;
  std::size_t calibration_patients = 0;
  const auto predict = [&](const SyntheticPatient& patient, const LabelledPatient& labelled) {
    std::vector<double> predicted =
        predictor(patient, labelled.prediction_indices, settings.horizon);
    if (predicted.size() != labelled.prediction_indices.size()) {
      throw Error(ErrorCode::Internal,
                  fmt::format("hypotension evaluation: predictor '{}' returned {} probabilities "
                              "for {} prediction times of patient {}",
                              predictor_name, predicted.size(),
                              labelled.prediction_indices.size(), patient.id));
    }
    return predicted;
  };
  for (std::size_t p = 0; p < cohort.size(); ++p) {
    if (!is_training(p) || !settings.fits_recalibration) continue;
    const LabelledPatient labelled = label_patient(cohort[p], settings);
    const std::vector<double> predicted = predict(cohort[p], labelled);
    for (std::size_t k = 0; k < labelled.labels.size(); ++k) {
      if (labelled.labels[k] == PredictionLabel::Excluded) continue;
      calibration_split.push_back({predicted[k], labelled.labels[k] == PredictionLabel::Positive});
    }
    ++calibration_patients;
  }
  for (std::size_t p = 0; p < cohort.size(); ++p) {
    if (is_training(p)) continue;
    const SyntheticPatient& patient = cohort[p];
    const LabelledPatient labelled = label_patient(patient, settings);
    const std::vector<double> predicted = predict(patient, labelled);
    paired_by_patient.emplace_back();
    const std::vector<double> base = baseline(patient, labelled.prediction_indices, settings.horizon);
    pool(labelled, predicted, settings.alarm_threshold, under_test);
    pool(labelled, base, settings.alarm_threshold, reference);
    for (std::size_t k = 0; k < labelled.labels.size(); ++k) {
      switch (labelled.labels[k]) {
        case PredictionLabel::Excluded: ++evaluation.excluded_predictions; continue;
        case PredictionLabel::Positive: ++evaluation.positive_predictions; break;
        case PredictionLabel::Negative: ++evaluation.negative_predictions; break;
      }
      paired.push_back({predicted[k], base[k], labelled.labels[k] == PredictionLabel::Positive});
      paired_by_patient.back().push_back(paired.back());
    }
    evaluation.events += labelled.events.size();
    evaluation.test_patients += 1;
    if (patient.samples.size() > 1) {
      evaluation.test_patient_hours +=
          std::chrono::duration<double>(patient.samples.back().time - patient.samples.front().time)
              .count() /
          3600.0;
    }
  }
  std::vector<PredictedOutcome> test_split = under_test.outcomes;
  evaluation.predictor = summarise(predictor_name, std::move(under_test));
  evaluation.baseline = summarise("current MAP alone", std::move(reference));
  evaluation.predictor_minus_baseline = compare_auroc_delong(paired);
  evaluation.patient_bootstrap = cluster_bootstrap_auroc(paired_by_patient, settings.bootstrap);
  if (settings.fits_recalibration) {
    evaluation.recalibration =
        evaluate_recalibration(calibration_split, calibration_patients, test_split);
  }
  return evaluation;
}

}  // namespace ptwin::vv
