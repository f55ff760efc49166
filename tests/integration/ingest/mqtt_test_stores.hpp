// SPDX-License-Identifier: Apache-2.0
#pragma once
// Store decorators for the MQTT integration tests: one that is slow (to build back-pressure)
// and one whose sample writes always fail (to exercise retries and a bounded stop()). Both
// forward everything else to a real store.

#include <atomic>
#include <chrono>
#include <thread>

#include "ptwin/core/error.hpp"
#include "ptwin/store/store.hpp"

namespace ptwin::ingest::mqtt::testing {

/// Forwards every call to `inner`; the two writes ingest uses are virtual hooks.
class ForwardingStore : public store::Store {
 public:
  explicit ForwardingStore(store::Store& inner) : inner_(inner) {}

  void upsert_patient(const store::PatientRecord& patient) override {
    inner_.upsert_patient(patient);
  }
  [[nodiscard]] std::optional<store::PatientRecord> find_patient(
      std::string_view patient_id) const override {
    return inner_.find_patient(patient_id);
  }
  void append_samples(std::span<const Sample> samples) override { inner_.append_samples(samples); }
  [[nodiscard]] std::vector<Sample> samples(std::string_view patient_id, std::string_view code,
                                            time::Instant from, time::Instant to) const override {
    return inner_.samples(patient_id, code, from, to);
  }
  [[nodiscard]] std::int64_t count_samples() const override { return inner_.count_samples(); }
  [[nodiscard]] store::RunId begin_run(const store::SimulationRun& run) override {
    return inner_.begin_run(run);
  }
  void append_result_series(store::RunId run_id, const store::ResultSeries& series) override {
    inner_.append_result_series(run_id, series);
  }
  void finish_run(store::RunId run_id, const store::RunOutcome& outcome) override {
    inner_.finish_run(run_id, outcome);
  }
  [[nodiscard]] std::optional<store::RunRecord> find_run(store::RunId run_id) const override {
    return inner_.find_run(run_id);
  }
  [[nodiscard]] std::vector<store::RunRecord> list_runs(
      std::string_view patient_id) const override {
    return inner_.list_runs(patient_id);
  }
  [[nodiscard]] std::vector<store::ResultSeries> result_series(store::RunId run_id) const override {
    return inner_.result_series(run_id);
  }
  [[nodiscard]] std::optional<store::ResultSeries> find_result_series(
      store::RunId run_id, std::string_view variable) const override {
    return inner_.find_result_series(run_id, variable);
  }
  store::QuarantineId quarantine(const store::QuarantineEntry& entry) override {
    return inner_.quarantine(entry);
  }
  [[nodiscard]] std::vector<store::QuarantineRecord> quarantined(
      std::optional<std::string_view> source_prefix) const override {
    return inner_.quarantined(source_prefix);
  }
  [[nodiscard]] std::int64_t count_quarantined() const override {
    return inner_.count_quarantined();
  }

 private:
  store::Store& inner_;
};

/// Sleeps before each sample or quarantine write: a store on a slow disk.
class SlowStore final : public ForwardingStore {
 public:
  SlowStore(store::Store& inner, std::chrono::milliseconds delay)
      : ForwardingStore(inner), delay_(delay) {}
  void append_samples(std::span<const Sample> samples) override {
    std::this_thread::sleep_for(delay_);
    ForwardingStore::append_samples(samples);
  }
  store::QuarantineId quarantine(const store::QuarantineEntry& entry) override {
    std::this_thread::sleep_for(delay_);
    return ForwardingStore::quarantine(entry);
  }

 private:
  std::chrono::milliseconds delay_;
};

/// Every append_samples fails as a full disk would; counts the attempts.
class FailingStore final : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  void append_samples(std::span<const Sample> /*samples*/) override {
    ++attempts_;
    throw Error(ErrorCode::StoreFailure, "test store: database or disk is full (append_samples)");
  }
  [[nodiscard]] int attempts() const { return attempts_.load(); }

 private:
  std::atomic<int> attempts_{0};
};

}  // namespace ptwin::ingest::mqtt::testing
