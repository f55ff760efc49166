// SPDX-License-Identifier: Apache-2.0
#pragma once
// One data feed kept alive by `ptwin serve` (docs/serve.md): started by its
// factory, writing samples and resources to the store and bad input to the
// quarantine, publishing what it stored to the sample stream, and drained by
// stop().

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "ptwin/core/clock.hpp"
#include "ptwin/core/twin_config.hpp"
#include "ptwin/ingest/stream/sample_stream.hpp"
#include "ptwin/store/feed_cursors.hpp"
#include "ptwin/store/store.hpp"

namespace ptwin::app {

/// A feed's inputs (MQTT messages, HL7 v2 frames, notification Bundles). At any
/// moment
///   received == accepted + quarantined + not_stored + pending
/// and pending is 0 once the feed is stopped.
struct FeedCounts {
  std::uint64_t received = 0;
  std::uint64_t accepted = 0;     // stored (an HL7 v2 message with some OBX quarantined too)
  std::uint64_t quarantined = 0;  // refused whole, kept in the quarantine with the reason
  std::uint64_t not_stored = 0;   // the sender must send again, or given up at stop (logged)
  std::uint64_t pending = 0;      // received, not yet persisted
  std::uint64_t samples_stored = 0;
};

class ServedFeed {
 public:
  ServedFeed() = default;
  ServedFeed(const ServedFeed&) = delete;
  ServedFeed& operator=(const ServedFeed&) = delete;
  virtual ~ServedFeed() = default;

  /// "mqtt", "hl7v2" or "fhir_subscription": the twin.yaml key and the metrics
  /// label.
  [[nodiscard]] virtual std::string_view name() const = 0;
  /// One line for the startup log: where the feed listens or what it subscribed
  /// to.
  [[nodiscard]] virtual std::string describe() const = 0;
  /// Thread-safe.
  [[nodiscard]] virtual FeedCounts counts() const = 0;
  /// Feed-specific state for /status (connection, subscription, clocks).
  /// Thread-safe.
  [[nodiscard]] virtual nlohmann::json status() const = 0;
  /// Stops receiving and persists everything already received. Idempotent.
  virtual void stop() = 0;
};

/// What every feed is started with; the references outlive the feeds.
struct FeedContext {
  store::Store& store;
  ingest::stream::SampleStream& stream;
  const time::Clock& clock;
  /// Where feeds keep their position in their source across restarts (docs/serve.md#restarts).
  store::FeedCursors& cursors;
  /// The twin's store file: files of the feeds' own go beside it (the MQTT inbox).
  std::filesystem::path store_path;
};

/// Connects to the broker in the background (retrying with backoff) and
/// subscribes.
[[nodiscard]] std::unique_ptr<ServedFeed> start_mqtt_feed(const MqttFeedConfig& config,
                                                          const FeedContext& context);
/// Listens for MLLP connections; throws Error(Io) when the address cannot be
/// bound.
[[nodiscard]] std::unique_ptr<ServedFeed> start_hl7v2_feed(const Hl7v2FeedConfig& config,
                                                           const FeedContext& context);
/// Opens the rest-hook endpoint, then creates (PUT) the Subscription on the
/// EHR; throws FhirClientError naming the URL when the EHR refuses it or cannot
/// be reached.
[[nodiscard]] std::unique_ptr<ServedFeed> start_fhir_subscription_feed(
    const FhirSubscriptionFeedConfig& config, const FeedContext& context);

}  // namespace ptwin::app
