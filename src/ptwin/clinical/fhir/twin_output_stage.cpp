// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/fhir/twin_output_stage.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <exception>

#include "ptwin/clinical/fhir/detected_issue_writer.hpp"
#include "ptwin/clinical/fhir/estimate_observation_writer.hpp"
#include "ptwin/clinical/fhir/output_schedule.hpp"
#include "ptwin/clinical/fhir/risk_assessment_writer.hpp"
#include "ptwin/core/assert.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/ingest/fhir/vital_signs_reader.hpp"

namespace ptwin::clinical::fhir {
namespace {

constexpr std::size_t kMaxBasis = 20;
constexpr std::string_view kFhirSourcePrefix = "fhir:";

TwinOutputSettings checked(TwinOutputSettings s) {
  if (s.risk_interval.count() < 1) {
    throw InputError(ErrorCode::BadInput, "twin outputs: risk_interval",
                     fmt::format("{} s", s.risk_interval.count()), "must be at least 1 s");
  }
  if (s.queue_capacity < 1) {
    throw InputError(ErrorCode::BadInput, "twin outputs: queue_capacity", "0",
                     "must be at least 1 patient");
  }
  return s;
}

void add_basis(std::vector<std::string>& basis, const std::string& reference) {
  if (std::find(basis.begin(), basis.end(), reference) != basis.end()) return;
  basis.push_back(reference);
  if (basis.size() > kMaxBasis) basis.erase(basis.begin());
}

}  // namespace

TwinOutputStage::TwinOutputStage(const twin::live::HypotensionRiskStage& risk,
                                 vv::gate::ModelGate& gate, OutputWriter& writer,
                                 alerts::RiskAlertEpisodes& alerts, TwinOutputSettings settings,
                                 OutputCompletion* completion)
    : risk_(risk),
      gate_(gate),
      writer_(writer),
      alerts_(alerts),
      settings_(checked(std::move(settings))),
      completion_(completion) {
  alerts_.add_listener(*this);
  writer_thread_ = std::thread([this] { run_writer(); });
}

TwinOutputStage::~TwinOutputStage() { stop(); }

void TwinOutputStage::on_alerts(std::span<const alerts::AlertNotification> notifications) {
  const std::lock_guard lock(mutex_);
  for (const auto& n : notifications) patients_[n.patient].notifications.push_back(n);
}

void TwinOutputStage::on_acknowledged(const alerts::AlertAcknowledgement& acknowledgement) {
  std::unique_lock lock(mutex_);
  acknowledgements_[acknowledgement.alert_id].push_back(acknowledgement);
  if (is_stopping_) {  // no writer thread: written here
    lock.unlock();
    write_acknowledged({acknowledgement.alert_id});
    return;
  }
  acknowledged_.push_back(acknowledgement.alert_id);
  has_work_.notify_one();
}

std::vector<alerts::AlertAcknowledgement> TwinOutputStage::acknowledgements_of(
    std::uint64_t alert_id) const {
  const std::lock_guard lock(mutex_);
  const auto found = acknowledgements_.find(alert_id);
  return found == acknowledgements_.end() ? std::vector<alerts::AlertAcknowledgement>{}
                                          : found->second;
}

void TwinOutputStage::remember_issues(const PendingOutput& output,
                                      const std::vector<nlohmann::json>& built) {
  std::optional<std::string> evidence;
  for (const auto& r : built) {
    if (r.at("resourceType") == "RiskAssessment") {
      evidence = "RiskAssessment/" + r.at("id").get<std::string>();
    }
  }
  for (const auto& n : output.notifications) {
    if (n.kind == alerts::NotificationKind::Cleared) {
      // A cleared episode cannot be acknowledged any more.
      written_issues_.erase(n.alert_id);
      const std::lock_guard lock(mutex_);
      acknowledgements_.erase(n.alert_id);
    } else {
      // The mitigations the built version carries (an acknowledgement may have come since).
      std::size_t carried = 0;
      const auto id = detected_issue_id(n.patient, n.rule, n.alert_id);
      for (const auto& r : built) {
        if (r.at("resourceType") == "DetectedIssue" && r.at("id") == id) {
          carried = r.contains("mitigation") ? r.at("mitigation").size() : 0;
        }
      }
      written_issues_[n.alert_id] = {n, evidence, carried};
    }
  }
}

void TwinOutputStage::write_acknowledged(const std::vector<std::uint64_t>& alert_ids) {
  const std::lock_guard writing(write_mutex_);
  std::vector<nlohmann::json> resources;
  std::uint64_t failures = 0;
  std::vector<std::uint64_t> done;
  for (const auto id : alert_ids) {
    const auto issue = written_issues_.find(id);
    // Not written yet: it will carry the acknowledgement when it is. Already rewritten in
    // this call, or written with every acknowledgement there is: nothing new to say.
    if (issue == written_issues_.end() || std::find(done.begin(), done.end(), id) != done.end()) {
      continue;
    }
    auto acknowledgements = acknowledgements_of(id);
    if (acknowledgements.size() == issue->second.acknowledgements) continue;
    done.push_back(id);
    try {
      const auto& n = issue->second.notification;
      issue->second.acknowledgements = acknowledgements.size();
      resources.push_back(write_detected_issue({n, alerts_.describe_rule(n.rule),
                                                issue->second.evidence, provenance(),
                                                std::move(acknowledgements)}));
    } catch (const std::exception& e) {
      ++failures;
      logging::zone_logger("clinical")
          ->error("acknowledged DetectedIssue not built alert={} error={}", id, e.what());
    }
  }
  bool is_written = false;
  if (!resources.empty() && gate_.admit(resources.size())) {
    try {
      writer_.write(resources);
      is_written = true;
    } catch (const std::exception& e) {
      ++failures;
      logging::zone_logger("clinical")
          ->error("acknowledged DetectedIssues not written resources={} error={}",
                  resources.size(), e.what());
    }
  }
  const std::lock_guard lock(mutex_);
  if (is_written) {
    counts_.detected_issues += resources.size();
    ++counts_.write_batches;
  }
  counts_.writer_failures += failures;
}

std::optional<TwinOutputStage::PendingOutput> TwinOutputStage::plan(
    const twin::live::PatientRisk& patient, PatientOutputs& state) {
  // Notifications delivered after another feed's call looked at this update still go out.
  const bool is_new = patient.updated_to > state.seen_to || !state.last_risk;
  if (!is_new && state.notifications.empty()) return std::nullopt;
  state.seen_to = std::max(state.seen_to, patient.updated_to);
  const bool is_due = !state.last_risk || patient.updated_to >= state.next_due;
  if (!is_due && state.notifications.empty()) {
    ++counts_.throttled;
    return std::nullopt;
  }
  state.last_risk = patient.updated_to;
  state.next_due = next_output_due(patient.patient_id, patient.updated_to, settings_.risk_interval);
  PendingOutput out{.patient = patient,
                    .notifications = std::exchange(state.notifications, {}),
                    .basis = std::exchange(state.basis, {}),
                    .batches = {},
                    .first_queued = {}};
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
    add_basis(patients_[sample.patient_id].basis, reference);
  }
}

void TwinOutputStage::on_stored(const ingest::stream::StoredSamples& stored) {
  const auto started = std::chrono::steady_clock::now();
  const auto patients = risk_.snapshot();
  std::unique_lock lock(mutex_);
  collect_basis(stored);
  std::vector<PendingOutput> due;
  for (const auto& patient : patients) {
    auto [it, inserted] = patients_.try_emplace(patient.patient_id);
    if (auto output = plan(patient, it->second)) due.push_back(std::move(*output));
  }
  const auto newest = std::max_element(
      stored.samples.begin(), stored.samples.end(),
      [](const Sample& a, const Sample& b) { return a.time < b.time; });
  if (due.empty()) {
    lock.unlock();
    if (completion_ != nullptr && newest != stored.samples.end()) {
      completion_->on_output_done(stored.feed, newest->time, false);
    }
    return;
  }
  // The batch's path ends with the last of its outputs (the queue is first in, first out).
  if (newest != stored.samples.end()) {
    due.back().batches.push_back({std::string(stored.feed), newest->time});
  }
  for (auto& output : due) {
    output.first_queued = started;
    enqueue(lock, std::move(output));
  }
}

void TwinOutputStage::enqueue(std::unique_lock<std::mutex>& lock, PendingOutput output) {
  for (;;) {
    if (is_stopping_) {  // after stop(): written here, in order with other late callers
      lock.unlock();
      std::vector<PendingOutput> one;
      one.push_back(std::move(output));
      write(one);
      lock.lock();
      return;
    }
    if (queue_.size() < settings_.queue_capacity) {
      queue_.push_back(std::move(output));
      ++counts_.queued;
      has_work_.notify_one();
      return;
    }
    const auto same = std::find_if(queue_.rbegin(), queue_.rend(), [&](const PendingOutput& o) {
      return o.patient.patient_id == output.patient.patient_id;
    });
    if (same != queue_.rend()) {
      same->patient = std::move(output.patient);
      for (auto& n : output.notifications) same->notifications.push_back(std::move(n));
      for (const auto& b : output.basis) add_basis(same->basis, b);
      for (auto& b : output.batches) same->batches.push_back(std::move(b));
      ++counts_.coalesced;
      return;
    }
    ++counts_.queue_full_waits;
    const auto waited_from = std::chrono::steady_clock::now();
    has_room_.wait(lock, [&] { return queue_.size() < settings_.queue_capacity || is_stopping_; });
    queue_wait_.record(std::chrono::steady_clock::now() - waited_from);
  }
}

void TwinOutputStage::run_writer() {
  std::unique_lock lock(mutex_);
  for (;;) {
    has_work_.wait(lock,
                   [this] { return !queue_.empty() || !acknowledged_.empty() || is_stopping_; });
    if (queue_.empty() && acknowledged_.empty()) return;  // stopping, and everything is written
    std::vector<PendingOutput> batch;
    while (!queue_.empty() && batch.size() < kMaxWriteBatch) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    // After the outputs queued before them, so that a rewrite starts from the newest version.
    const std::vector<std::uint64_t> acknowledged(acknowledged_.begin(), acknowledged_.end());
    acknowledged_.clear();
    const auto taken = batch.size() + acknowledged.size();
    in_hand_ += taken;
    has_room_.notify_all();
    lock.unlock();
    if (!batch.empty()) write(batch);
    if (!acknowledged.empty()) write_acknowledged(acknowledged);
    lock.lock();
    in_hand_ -= taken;
    has_room_.notify_all();
  }
}

ModelProvenance TwinOutputStage::provenance() const {
  return {gate_.model(), gate_.status(),
          vv::gate::recalibration_digest(settings_.model.recalibrations)};
}

std::vector<nlohmann::json> TwinOutputStage::resources_of(PendingOutput& output) const {
  const auto& patient = output.patient;
  const ModelProvenance made_by = provenance();
  std::vector<nlohmann::json> out;
  out.push_back(
      write_risk_assessment({.patient_id = patient.patient_id,
                             .occurrence = patient.updated_to,
                             .forecasts = {patient.in_5_min, patient.in_15_min},
                             .hypotension_threshold_pa = settings_.model.hypotension_threshold_pa,
                             .minimum_duration = settings_.model.minimum_duration,
                             .basis = std::move(output.basis),
                             .provenance = made_by,
                             .filter = settings_.model.filter}));
  const std::string risk_reference = "RiskAssessment/" + out.front().at("id").get<std::string>();
  for (auto& observation : write_estimate_observations(
           {patient.patient_id, patient.updated_to, patient.estimate, made_by})) {
    out.push_back(std::move(observation));
  }
  for (const auto& n : output.notifications) {
    out.push_back(write_detected_issue({n, alerts_.describe_rule(n.rule), risk_reference, made_by,
                                        acknowledgements_of(n.alert_id)}));
  }
  return out;
}

void TwinOutputStage::write(std::vector<PendingOutput>& outputs) {
  const std::lock_guard writing(write_mutex_);
  std::vector<nlohmann::json> resources;
  std::vector<bool> is_admitted(outputs.size(), false);
  TwinOutputCounts handed;
  std::uint64_t failures = 0;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    try {
      auto built = resources_of(outputs[i]);
      // The Device goes once, before the first output (or is withheld once with it).
      const bool needs_device = !is_device_offered_;
      is_device_offered_ = true;
      if (!gate_.admit(built.size() + (needs_device ? 1U : 0U))) continue;
      if (needs_device) {
        built.insert(built.begin(), model_device(provenance()));
        ++handed.devices;
      }
      for (auto& r : built) {
        const auto& type = r.at("resourceType").get_ref<const std::string&>();
        if (type == "RiskAssessment") ++handed.risk_assessments;
        if (type == "Observation") ++handed.observations;
        if (type == "DetectedIssue") ++handed.detected_issues;
      }
      remember_issues(outputs[i], built);
      for (auto& r : built) resources.push_back(std::move(r));
      is_admitted[i] = true;
    } catch (const std::exception& e) {
      // The writer thread goes on for the other patients; the failure is counted and logged.
      ++failures;
      logging::zone_logger("clinical")
          ->error("FHIR output not built patient={} notifications={} error={}",
                  outputs[i].patient.patient_id, outputs[i].notifications.size(), e.what());
    }
  }
  bool is_written = false;
  if (!resources.empty()) {
    try {
      writer_.write(resources);
      is_written = true;
    } catch (const std::exception& e) {
      failures += outputs.size();
      logging::zone_logger("clinical")
          ->error("FHIR outputs not written outputs={} resources={} error={}", outputs.size(),
                  resources.size(), e.what());
    }
  }
  const auto written_at = std::chrono::steady_clock::now();
  {
    const std::lock_guard lock(mutex_);
    counts_.devices += handed.devices;
    counts_.risk_assessments += handed.risk_assessments;
    counts_.observations += handed.observations;
    counts_.detected_issues += handed.detected_issues;
    counts_.writer_failures += failures;
    if (!resources.empty()) ++counts_.write_batches;
  }
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const bool has_output = is_written && is_admitted[i];
    if (has_output) latency_.record(written_at - outputs[i].first_queued);
    if (completion_ == nullptr) continue;
    for (const auto& b : outputs[i].batches) {
      completion_->on_output_done(b.feed, b.newest_sample, has_output);
    }
  }
}

void TwinOutputStage::flush() {
  std::unique_lock lock(mutex_);
  has_room_.wait(lock,
                 [this] { return queue_.empty() && acknowledged_.empty() && in_hand_ == 0; });
}

void TwinOutputStage::stop() {
  {
    const std::lock_guard lock(mutex_);
    if (is_stopping_) return;
    is_stopping_ = true;
  }
  has_work_.notify_all();
  has_room_.notify_all();
  if (writer_thread_.joinable()) writer_thread_.join();
}

std::vector<nlohmann::json> TwinOutputStage::example_outputs() const {
  const auto at = time::from_epoch_ms(1'767'225'600'000);
  twin::live::HypotensionRiskStage twin(settings_.model);
  const std::vector<Sample> samples{
      Sample{"warm-up", std::string(ingest::fhir::loinc::kMeanPressure), 80.0 * units::kPaPerMmHg,
             "mm[Hg]", at, "warm-up", SampleQuality::Good},
      Sample{"warm-up", std::string(ingest::fhir::loinc::kCardiacOutput), 5.0 / 6e4, "L/min",
             at + std::chrono::seconds(1), "warm-up", SampleQuality::Good}};
  twin.on_stored({.feed = "warm-up", .samples = samples, .received_at = at, .stored_at = at});
  const auto patient = twin.find("warm-up");
  PTWIN_ASSERT(patient.has_value(), "a MAP sample starts a twin");
  PendingOutput output{.patient = *patient,
                       .notifications = {alerts::AlertNotification{
                           .kind = alerts::NotificationKind::Raised,
                           .time = patient->updated_to,
                           .patient = "warm-up",
                           .rule = alerts_.rules().front().name,
                           .level = 1,
                           .value = patient->in_15_min.probability,
                           .alert_id = 0}},
                       .basis = {"Observation/warm-up"},
                       .batches = {},
                       .first_queued = {}};
  auto resources = resources_of(output);
  resources.insert(resources.begin(), model_device(provenance()));
  return resources;
}

TwinOutputCounts TwinOutputStage::counts() const {
  const std::lock_guard lock(mutex_);
  TwinOutputCounts c = counts_;
  c.withheld = gate_.withheld();
  c.queue_depth = queue_.size();
  return c;
}

}  // namespace ptwin::clinical::fhir
