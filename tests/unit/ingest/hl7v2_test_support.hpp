// SPDX-License-Identifier: Apache-2.0
#pragma once
// Shared by the HL7 v2 unit tests: synthetic messages (no real patient data) and an in-memory
// Store that keeps what the ingestor writes.

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/store/store.hpp"

namespace ptwin::ingest::hl7v2::test_support {

/// Segments joined with the HL7 segment terminator CR (and one after the last).
inline std::string hl7(std::initializer_list<std::string_view> segments) {
  std::string text;
  for (const auto segment : segments) {
    text.append(segment);
    text.push_back('\r');
  }
  return text;
}

inline constexpr std::string_view kOruMsh =
    "MSH|^~\\&|MONITOR|ICU|PTWIN|HOSP|20240501120000+0000||ORU^R01^ORU_R01|MSG0001|P|2.5.1";
inline constexpr std::string_view kPid = "PID|1||123456^^^HOSP^MR||Doe^Jane||19700101|F";
inline constexpr std::string_view kObr = "OBR|1|||85354-9^BP panel^LN|||20240501115500+0000";

/// An ORU^R01 with one heart rate (72 /min) and one systolic pressure (120 mm[Hg]).
inline std::string good_oru() {
  return hl7({kOruMsh, kPid, kObr,
              "OBX|1|NM|8867-4^Heart rate^LN||72|/min^^UCUM|||||F|||20240501115900+0000",
              "OBX|2|NM|8480-6^Systolic^LN||120|mm[Hg]^^UCUM|||||F"});
}

/// Store that keeps everything in memory; only what the ingestor uses is implemented.
class MemoryStore final : public store::Store {
 public:
  void upsert_patient(const store::PatientRecord& patient) override {
    store::validate(patient);
    const std::lock_guard lock(mutex_);
    for (auto& existing : patients) {
      if (existing.id == patient.id) {
        existing = patient;
        return;
      }
    }
    patients.push_back(patient);
  }
  [[nodiscard]] std::optional<store::PatientRecord> find_patient(
      std::string_view patient_id) const override {
    const std::lock_guard lock(mutex_);
    for (const auto& patient : patients) {
      if (patient.id == patient_id) return patient;
    }
    return std::nullopt;
  }
  void append_samples(std::span<const Sample> new_samples) override {
    const std::lock_guard lock(mutex_);
    if (is_failing) throw Error(ErrorCode::StoreFailure, "append_samples: disk full (test)");
    for (const auto& sample : new_samples) {
      if (sample.patient_id.empty() || sample.code.empty() || !std::isfinite(sample.value_si)) {
        throw Error(ErrorCode::StoreFailure, "append_samples: invalid sample (test)");
      }
    }
    samples_stored.insert(samples_stored.end(), new_samples.begin(), new_samples.end());
  }
  [[nodiscard]] std::vector<Sample> samples(std::string_view, std::string_view, time::Instant,
                                            time::Instant) const override {
    return unused<std::vector<Sample>>();
  }
  [[nodiscard]] std::int64_t count_samples() const override {
    const std::lock_guard lock(mutex_);
    return static_cast<std::int64_t>(samples_stored.size());
  }
  [[nodiscard]] store::RunId begin_run(const store::SimulationRun&) override {
    return unused<store::RunId>();
  }
  void append_result_series(store::RunId, const store::ResultSeries&) override { unused<int>(); }
  void finish_run(store::RunId, const store::RunOutcome&) override { unused<int>(); }
  [[nodiscard]] std::optional<store::RunRecord> find_run(store::RunId) const override {
    return unused<std::optional<store::RunRecord>>();
  }
  [[nodiscard]] std::vector<store::RunRecord> list_runs(std::string_view) const override {
    return unused<std::vector<store::RunRecord>>();
  }
  [[nodiscard]] std::vector<store::ResultSeries> result_series(store::RunId) const override {
    return unused<std::vector<store::ResultSeries>>();
  }
  [[nodiscard]] std::optional<store::ResultSeries> find_result_series(
      store::RunId, std::string_view) const override {
    return unused<std::optional<store::ResultSeries>>();
  }
  store::QuarantineId quarantine(const store::QuarantineEntry& entry) override {
    store::validate(entry);
    const std::lock_guard lock(mutex_);
    entries.push_back(entry);
    return static_cast<store::QuarantineId>(entries.size());
  }
  [[nodiscard]] std::vector<store::QuarantineRecord> quarantined(
      std::optional<std::string_view>) const override {
    return unused<std::vector<store::QuarantineRecord>>();
  }
  [[nodiscard]] std::int64_t count_quarantined() const override {
    const std::lock_guard lock(mutex_);
    return static_cast<std::int64_t>(entries.size());
  }

  std::vector<store::PatientRecord> patients;
  std::vector<Sample> samples_stored;
  std::vector<store::QuarantineEntry> entries;
  bool is_failing = false;

 private:
  template <typename T>
  [[noreturn]] static T unused() {
    throw Error(ErrorCode::Internal, "MemoryStore: not used by the HL7 v2 tests");
  }
  mutable std::mutex mutex_;
};

}  // namespace ptwin::ingest::hl7v2::test_support
