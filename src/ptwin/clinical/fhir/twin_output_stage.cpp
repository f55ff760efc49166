// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/fhir/twin_output_stage.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ptwin/clinical/fhir/detected_issue_writer.hpp"
#include "ptwin/clinical/fhir/estimate_observation_writer.hpp"
#include "ptwin/clinical/fhir/risk_assessment_writer.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/vital_signs_reader.hpp"

namespace ptwin::clinical::fhir {
namespace {

constexpr const char* kRule = "hypotension-risk";
constexpr std::size_t kMaxBasis = 20;
constexpr std::string_view kFhirSourcePrefix = "fhir:";
constexpr const char* kSignal = "hypotension_risk_15min";

alerts::AlertRule risk_rule(const TwinOutputSettings& s) {
  if (s.risk_interval.count() < 1) {
    throw InputError(ErrorCode::BadInput, "twin outputs: risk_interval",
                     fmt::format("{} s", s.risk_interval.count()), "must be at least 1 s");
  }
  if (!(s.alert_clear > 0.0 && s.alert_clear < s.alert_raise && s.alert_raise < 1.0)) {
    throw InputError(ErrorCode::BadInput, "twin outputs: alert_raise, alert_clear",
                     fmt::format("{}, {}", s.alert_raise, s.alert_clear),
                     "must satisfy 0 < alert_clear < alert_raise < 1");
  }
  alerts::AlertRule rule;
  rule.name = kRule;
  rule.signal = kSignal;
  rule.direction = alerts::AlertDirection::Above;
  rule.raise_threshold = s.alert_raise;
  rule.clear_threshold = s.alert_clear;
  rule.minimum_duration = s.alert_minimum_duration;
  return rule;
}

}  // namespace

TwinOutputStage::TwinOutputStage(const twin::live::HypotensionRiskStage& risk,
                                 vv::gate::ModelGate& gate, OutputWriter& writer,
                                 TwinOutputSettings settings)
    : risk_(risk),
      gate_(gate),
      writer_(writer),
      settings_(std::move(settings)),
      policy_({risk_rule(settings_)}) {}

std::vector<nlohmann::json> TwinOutputStage::plan(const twin::live::PatientRisk& patient,
                                                  PatientOutputs& state) {
  if (patient.updated_to <= state.seen_to && state.last_risk) return {};  // nothing new
  state.seen_to = patient.updated_to;
  std::vector<alerts::AlertNotification> notifications;
  policy_.observe({patient.updated_to, patient.patient_id, kSignal, patient.in_15_min.probability},
                  notifications);
  const bool is_due =
      !state.last_risk || patient.updated_to - *state.last_risk >= settings_.risk_interval;
  if (!is_due && notifications.empty()) {
    ++counts_.throttled;
    return {};
  }
  state.last_risk = patient.updated_to;
  const ModelProvenance provenance{gate_.model(), gate_.status()};
  std::vector<nlohmann::json> out;
  out.push_back(
      write_risk_assessment({.patient_id = patient.patient_id,
                             .occurrence = patient.updated_to,
                             .forecasts = {patient.in_5_min, patient.in_15_min},
                             .hypotension_threshold_pa = settings_.model.hypotension_threshold_pa,
                             .minimum_duration = settings_.model.minimum_duration,
                             .basis = std::move(state.basis),
                             .provenance = provenance}));
  state.basis.clear();  // moved into this assessment
  const std::string risk_reference = "RiskAssessment/" + out.front().at("id").get<std::string>();
  for (auto& observation : write_estimate_observations(
           {patient.patient_id, patient.updated_to, patient.estimate, provenance})) {
    out.push_back(std::move(observation));
  }
  for (const auto& n : notifications) {
    out.push_back(
        write_detected_issue({n,
                              fmt::format("15-min hypotension risk >= {:g} (clears at <= {:g})",
                                          settings_.alert_raise, settings_.alert_clear),
                              risk_reference, provenance}));
  }
  return out;
}

void TwinOutputStage::collect_basis(const ingest::stream::StoredSamples& stored) {
  for (const Sample& sample : stored.samples) {
    const bool is_input = sample.code == ingest::fhir::loinc::kMeanPressure ||
                          sample.code == ingest::fhir::loinc::kCardiacOutput;
    if (!is_input || sample.quality == SampleQuality::Artefact) continue;
    if (!sample.source_id.starts_with(kFhirSourcePrefix)) continue;
    const auto reference = sample.source_id.substr(kFhirSourcePrefix.size());
    if (!reference.starts_with("Observation/")) continue;
    auto& basis = patients_[sample.patient_id].basis;
    if (std::find(basis.begin(), basis.end(), reference) != basis.end()) continue;
    basis.push_back(reference);
    if (basis.size() > kMaxBasis) basis.erase(basis.begin());
  }
}

void TwinOutputStage::on_stored(const ingest::stream::StoredSamples& stored) {
  const auto started = std::chrono::steady_clock::now();
  const auto patients = risk_.snapshot();
  const std::lock_guard lock(mutex_);
  collect_basis(stored);
  std::vector<nlohmann::json> resources;
  for (const auto& patient : patients) {
    auto [it, inserted] = patients_.try_emplace(patient.patient_id);
    for (auto& r : plan(patient, it->second)) resources.push_back(std::move(r));
  }
  if (resources.empty()) return;
  // The Device goes once, before the first output (or is withheld once with it).
  const bool needs_device = !is_device_offered_;
  is_device_offered_ = true;
  if (!gate_.admit(resources.size() + (needs_device ? 1U : 0U))) return;
  if (needs_device) {
    resources.insert(resources.begin(), model_device({gate_.model(), gate_.status()}));
    ++counts_.devices;
  }
  for (const auto& r : resources) {
    const auto& type = r.at("resourceType").get_ref<const std::string&>();
    if (type == "RiskAssessment") ++counts_.risk_assessments;
    if (type == "Observation") ++counts_.observations;
    if (type == "DetectedIssue") ++counts_.detected_issues;
  }
  writer_.write(resources);
  latency_.record(std::chrono::steady_clock::now() - started);
}

TwinOutputCounts TwinOutputStage::counts() const {
  const std::lock_guard lock(mutex_);
  TwinOutputCounts c = counts_;
  c.withheld = gate_.withheld();
  return c;
}

}  // namespace ptwin::clinical::fhir
