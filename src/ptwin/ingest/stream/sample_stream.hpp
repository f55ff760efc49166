// SPDX-License-Identifier: Apache-2.0
#pragma once
// The stream of samples a running twin receives once they are stored: every
// feed of `ptwin serve` publishes here, and later stages attach as SampleSinks
// (the per-stage latency metrics now; the twin's state update and forecast
// next). A sink sees only samples that are already in the store, so a failing
// or slow stage can never lose data.

#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/core/sample.hpp"
#include "ptwin/core/time.hpp"

namespace ptwin::ingest::stream {

/// Samples of one received input (an MQTT message, an HL7 v2 frame, a FHIR
/// notification), just stored.
struct StoredSamples {
  std::string_view feed;            // "mqtt", "hl7v2", "fhir_subscription"
  std::span<const Sample> samples;  // as stored
  time::Instant received_at{};      // when the input reached ptwin
  time::Instant stored_at{};        // when the store write holding them returned
};

/// A stage fed by the stream. Called on the feed's own thread (feeds run
/// concurrently), so an implementation must be thread-safe and should be quick:
/// the feed waits for it.
class SampleSink {
 public:
  SampleSink() = default;
  SampleSink(const SampleSink&) = delete;
  SampleSink& operator=(const SampleSink&) = delete;
  virtual ~SampleSink() = default;
  virtual void on_stored(const StoredSamples& stored) = 0;
};

/// Hands what feeds publish to every attached sink, in attachment order. Attach
/// every sink before the first publish (attach is not synchronised with
/// publish); sinks must outlive the stream's use.
class SampleStream {
 public:
  void attach(SampleSink& sink) { sinks_.push_back(&sink); }

  /// Calls every sink. A sink that throws is logged (error) and counted in
  /// sink_failures(); the other sinks still run, and nothing propagates to the
  /// feed: its samples are stored. Thread-safe.
  void publish(const StoredSamples& stored);

  [[nodiscard]] std::uint64_t sink_failures() const { return sink_failures_.load(); }

 private:
  std::vector<SampleSink*> sinks_;
  std::atomic<std::uint64_t> sink_failures_{0};
};

}  // namespace ptwin::ingest::stream
