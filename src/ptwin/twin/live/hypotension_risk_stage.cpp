// SPDX-License-Identifier: Apache-2.0
#include "ptwin/twin/live/hypotension_risk_stage.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/ingest/fhir/vital_signs_reader.hpp"

namespace ptwin::twin::live {
namespace {

namespace loinc = ingest::fhir::loinc;
using namespace std::chrono_literals;

}  // namespace

HypotensionRiskStage::HypotensionRiskStage(risk::HypotensionRiskSettings settings,
                                           std::size_t history_capacity)
    : settings_(settings), history_capacity_(history_capacity) {}

void HypotensionRiskStage::assimilate(Patient& patient, const Sample& sample) {
  PatientRisk& latest = patient.latest;
  const bool is_map = sample.code == loinc::kMeanPressure;
  if (sample.quality == SampleQuality::Artefact) {
    ++latest.refused;
    return;
  }
  if (!patient.twin) {
    if (!is_map) {
      ++latest.waiting;
      return;
    }
    try {
      patient.twin = std::make_unique<risk::HypotensionRiskTwin>(settings_, sample.time, sample.value_si);
      latest.updated_to = sample.time;
      ++latest.assimilated;
    } catch (const InputError& e) {  // e.g. a MAP below the model's CVP cannot start a twin
      ++latest.refused;
      logging::zone_logger("twin")->warn("hypotension risk: patient {}: {}", sample.patient_id, e.what());
    }
    return;
  }
  if (sample.time < patient.twin->time()) {
    ++latest.refused;  // never assimilate out of order
    return;
  }
  const auto outcome = is_map ? patient.twin->assimilate_mean_arterial_pressure(sample.time, sample.value_si)
                              : patient.twin->assimilate_cardiac_output(sample.time, sample.value_si);
  latest.updated_to = sample.time;
  if (outcome.status == estimation::MeasurementStatus::Gated) {
    ++latest.gated;
  } else {
    ++latest.assimilated;
  }
}

void HypotensionRiskStage::on_stored(const ingest::stream::StoredSamples& stored) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<const Sample*> relevant;
  for (const Sample& s : stored.samples) {
    if (s.code == loinc::kMeanPressure || s.code == loinc::kCardiacOutput) relevant.push_back(&s);
  }
  if (relevant.empty()) return;
  std::stable_sort(relevant.begin(), relevant.end(),
                   [](const Sample* a, const Sample* b) { return a->time < b->time; });
  const std::lock_guard lock(mutex_);
  std::set<std::string, std::less<>> updated;
  for (const Sample* s : relevant) {
    auto [it, inserted] = patients_.try_emplace(s->patient_id);
    if (inserted) it->second.latest.patient_id = s->patient_id;
    Patient& patient = it->second;
    const auto before = patient.latest.assimilated + patient.latest.gated;
    assimilate(patient, *s);
    if (patient.latest.assimilated + patient.latest.gated != before) {
      updated.insert(s->patient_id);
      if (!patient.history) patient.history.emplace(history_capacity_);
      patient.history->push(estimate_point(patient.twin->time(), patient.twin->estimate(),
                                           settings_.model.central_venous_pressure_pa));
    }
  }
  for (const auto& id : updated) {
    Patient& patient = patients_.find(id)->second;
    patient.latest.in_5_min = patient.twin->forecast(kServedRiskHorizons[0]);
    patient.latest.in_15_min = patient.twin->forecast(kServedRiskHorizons[1]);
    patient.latest.estimate = patient.twin->estimate();
  }
  inference_.record(std::chrono::steady_clock::now() - started);
}

std::vector<PatientRisk> HypotensionRiskStage::snapshot() const {
  const std::lock_guard lock(mutex_);
  std::vector<PatientRisk> out;
  for (const auto& [id, patient] : patients_) {
    if (patient.twin) out.push_back(patient.latest);
  }
  return out;
}

std::optional<PatientRisk> HypotensionRiskStage::find(std::string_view patient_id) const {
  const std::lock_guard lock(mutex_);
  const auto found = patients_.find(patient_id);
  if (found == patients_.end() || !found->second.twin) return std::nullopt;
  return found->second.latest;
}

std::optional<EstimateWindow> HypotensionRiskStage::estimates(std::string_view patient_id,
                                                              time::Instant from,
                                                              time::Instant to) const {
  const std::lock_guard lock(mutex_);
  const auto found = patients_.find(patient_id);
  if (found == patients_.end() || !found->second.twin) return std::nullopt;
  const auto& history = found->second.history;
  if (!history) return EstimateWindow{};
  return EstimateWindow{history->between(from, to), history->dropped()};
}

}  // namespace ptwin::twin::live
