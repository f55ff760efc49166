// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/alerts/hypotension_alert_records.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/vv/hypotension_evaluation.hpp"
#include "ptwin/vv/metrics/event_intervals.hpp"

namespace ptwin::clinical::alerts {
namespace {

void require_positive(const char* field, std::chrono::seconds value) {
  if (value.count() <= 0) {
    throw InputError(ErrorCode::BadInput, field, fmt::format("{} s", value.count()),
                     "must be a positive duration");
  }
}

PatientRecord record_of(const twin::cohort::SyntheticPatient& patient,
                        const vv::HypotensionRiskPredictor& predictor,
                        const HypotensionAlertRecordSettings& settings) {
  PatientRecord record{patient.id, {}, {}};
  if (patient.samples.empty()) return record;
  std::vector<vv::TimedValue> map;
  map.reserve(patient.samples.size());
  std::vector<std::size_t> risk_indices;
  time::Instant next_risk = patient.samples.front().time;
  for (std::size_t i = 0; i < patient.samples.size(); ++i) {
    map.push_back({patient.samples[i].time, patient.samples[i].mean_arterial_pressure_pa});
    if (patient.samples[i].time >= next_risk) {
      risk_indices.push_back(i);
      next_risk = patient.samples[i].time + settings.risk_interval;
    }
  }
  record.events = vv::find_sustained_runs_below(map, vv::hypotension_event_definition());
  const std::vector<double> risk = predictor(patient, risk_indices, settings.risk_horizon);
  record.samples.reserve(map.size() + risk.size());
  std::size_t next = 0;
  for (std::size_t i = 0; i < patient.samples.size(); ++i) {
    record.samples.push_back({map[i].time, patient.id, kMapSignal, map[i].value});
    if (next < risk_indices.size() && risk_indices[next] == i) {
      record.samples.push_back({map[i].time, patient.id, kRiskSignal, risk[next]});
      ++next;
    }
  }
  return record;
}

}  // namespace

std::vector<PatientRecord> hypotension_alert_records(
    std::span<const twin::cohort::SyntheticPatient> patients,
    const HypotensionAlertRecordSettings& settings) {
  require_positive("risk_horizon", settings.risk_horizon);
  require_positive("risk_interval", settings.risk_interval);
  const vv::HypotensionRiskPredictor predictor = vv::hypotension_risk_twin_predictor(settings.twin);
  std::vector<PatientRecord> records;
  records.reserve(patients.size());
  for (const auto& patient : patients) records.push_back(record_of(patient, predictor, settings));
  return records;
}

}  // namespace ptwin::clinical::alerts
