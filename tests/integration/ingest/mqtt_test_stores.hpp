// SPDX-License-Identifier: Apache-2.0
#pragma once
// Store decorators for the MQTT integration tests: one that is slow (to build back-pressure)
// and one whose sample writes always fail (to exercise retries and a bounded stop()). Both
// forward everything else to a real store.

#include <atomic>
#include <chrono>
#include <thread>

#include "ptwin/core/error.hpp"
#include "ptwin/store/forwarding_store.hpp"
#include "ptwin/store/store.hpp"

namespace ptwin::ingest::mqtt::testing {

using store::ForwardingStore;

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
