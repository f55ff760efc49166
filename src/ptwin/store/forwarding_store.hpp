// SPDX-License-Identifier: Apache-2.0
#pragma once
// A Store that forwards every call to another: the base of decorators that time, slow down or
// fail some writes (tests, benchmarks) while the rest goes to a real store.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "ptwin/store/store.hpp"

namespace ptwin::store {

/// Forwards every call to `inner`; a decorator overrides the calls it changes.
class ForwardingStore : public Store {
 public:
  explicit ForwardingStore(Store& inner) : inner_(inner) {}

  void upsert_patient(const PatientRecord& patient) override {
    inner_.upsert_patient(patient);
  }
  [[nodiscard]] std::optional<PatientRecord> find_patient(
      std::string_view patient_id) const override {
    return inner_.find_patient(patient_id);
  }
  void append_samples(std::span<const Sample> samples) override { inner_.append_samples(samples); }
  [[nodiscard]] std::vector<Sample> samples(std::string_view patient_id, std::string_view code,
                                            time::Instant from, time::Instant to) const override {
    return inner_.samples(patient_id, code, from, to);
  }
  [[nodiscard]] std::int64_t count_samples() const override { return inner_.count_samples(); }
  [[nodiscard]] RunId begin_run(const SimulationRun& run) override {
    return inner_.begin_run(run);
  }
  void append_result_series(RunId run_id, const ResultSeries& series) override {
    inner_.append_result_series(run_id, series);
  }
  void finish_run(RunId run_id, const RunOutcome& outcome) override {
    inner_.finish_run(run_id, outcome);
  }
  [[nodiscard]] std::optional<RunRecord> find_run(RunId run_id) const override {
    return inner_.find_run(run_id);
  }
  [[nodiscard]] std::vector<RunRecord> list_runs(
      std::string_view patient_id) const override {
    return inner_.list_runs(patient_id);
  }
  [[nodiscard]] std::vector<ResultSeries> result_series(RunId run_id) const override {
    return inner_.result_series(run_id);
  }
  [[nodiscard]] std::optional<ResultSeries> find_result_series(
      RunId run_id, std::string_view variable) const override {
    return inner_.find_result_series(run_id, variable);
  }
  QuarantineId quarantine(const QuarantineEntry& entry) override {
    return inner_.quarantine(entry);
  }
  [[nodiscard]] std::vector<QuarantineRecord> quarantined(
      std::optional<std::string_view> source_prefix) const override {
    return inner_.quarantined(source_prefix);
  }
  [[nodiscard]] std::int64_t count_quarantined() const override {
    return inner_.count_quarantined();
  }

 private:
  Store& inner_;
};

}  // namespace ptwin::store
