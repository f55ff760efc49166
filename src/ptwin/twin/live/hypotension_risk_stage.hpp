// SPDX-License-Identifier: Apache-2.0
#pragma once
// The twin's update stage in `ptwin serve`: one HypotensionRiskTwin per patient, fed by the
// stored samples of every feed (mean arterial pressure 8478-0, cardiac output 8741-1), with
// the 5- and 15-minute forecasts recomputed after each update. Samples flagged as artefacts are
// not assimilated; a sample older than the patient's twin (a late or replayed input) is refused
// and counted, never assimilated out of order; a measurement the innovation gate rejects is
// counted as gated. The time from receiving a batch to its forecasts is kept as the "inference"
// latency histogram. After every assimilated sample the posterior is summarised
// (estimate_point.hpp) into a bounded per-patient history, the estimate and band the dashboard
// draws.

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/core/latency_histogram.hpp"
#include "ptwin/ingest/stream/sample_stream.hpp"
#include "ptwin/twin/live/estimate_history.hpp"
#include "ptwin/twin/risk/hypotension_risk_twin.hpp"

namespace ptwin::twin::live {

/// The horizons the stage forecasts (PatientRisk::in_5_min, in_15_min): a recalibration map
/// for another horizon would never be applied, so the reader of map files refuses it.
inline constexpr std::array<std::chrono::seconds, 2> kServedRiskHorizons{
    std::chrono::seconds(5 * 60), std::chrono::seconds(15 * 60)};

struct PatientRisk {
  std::string patient_id;
  time::Instant updated_to{};   // time of the last assimilated sample
  std::uint64_t assimilated = 0;  // samples used in an update
  std::uint64_t gated = 0;        // rejected by the innovation gate
  std::uint64_t refused = 0;      // out of order, artefact, or not usable to start a twin
  std::uint64_t waiting = 0;      // cardiac outputs before the first MAP (no twin yet)
  risk::HypotensionForecast in_5_min;
  risk::HypotensionForecast in_15_min;
  estimation::GaussianEstimate estimate;  // the posterior at updated_to (clinical outputs)
};

/// A window of one patient's estimate history.
struct EstimateWindow {
  std::vector<EstimatePoint> points;  // oldest first
  std::uint64_t dropped = 0;          // points dropped from the history since the twin started
};

class HypotensionRiskStage final : public ingest::stream::SampleSink {
 public:
  /// Points of estimate history kept per patient: an hour of 1 Hz MAP.
  static constexpr std::size_t kDefaultHistoryCapacity = 3600;

  explicit HypotensionRiskStage(risk::HypotensionRiskSettings settings = {},
                                std::size_t history_capacity = kDefaultHistoryCapacity);

  void on_stored(const ingest::stream::StoredSamples& stored) override;

  /// Every patient with a twin, by patient id. Thread-safe.
  [[nodiscard]] std::vector<PatientRisk> snapshot() const;
  /// One patient's latest risk, or nullopt when the patient has no twin. Thread-safe.
  [[nodiscard]] std::optional<PatientRisk> find(std::string_view patient_id) const;
  /// One patient's estimates with `from <= time < to`, or nullopt when the patient has no twin.
  /// Thread-safe.
  [[nodiscard]] std::optional<EstimateWindow> estimates(std::string_view patient_id,
                                                        time::Instant from,
                                                        time::Instant to) const;
  [[nodiscard]] const risk::HypotensionRiskSettings& settings() const noexcept {
    return settings_;
  }
  [[nodiscard]] LatencyHistogram::Snapshot inference_latency() const { return inference_.snapshot(); }

 private:
  struct Patient {
    std::unique_ptr<risk::HypotensionRiskTwin> twin;
    PatientRisk latest;
    std::optional<EstimateHistory> history;  // from the twin's start
  };
  void assimilate(Patient& patient, const Sample& sample);

  risk::HypotensionRiskSettings settings_;
  std::size_t history_capacity_;
  mutable std::mutex mutex_;
  std::map<std::string, Patient, std::less<>> patients_;
  LatencyHistogram inference_;
};

}  // namespace ptwin::twin::live
