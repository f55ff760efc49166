// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/stream/sample_stream.hpp"

#include <exception>

#include "ptwin/core/logging.hpp"

namespace ptwin::ingest::stream {

void SampleStream::publish(const StoredSamples& stored) {
  for (auto* sink : sinks_) {
    try {
      sink->on_stored(stored);
    } catch (const std::exception& error) {
      const auto failures = ++sink_failures_;
      logging::zone_logger("ingest")->error(
          "sample sink failed feed={} samples={} failures={} error={}", stored.feed,
          stored.samples.size(), failures, error.what());
    }
  }
}

}  // namespace ptwin::ingest::stream
