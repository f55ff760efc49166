// SPDX-License-Identifier: Apache-2.0
// The HL7 v2 feed of `ptwin serve`: an MllpListener handing frames to an
// Hl7v2Ingestor (docs/hl7v2.md), which writes through a SampleTapStore so that
// stored samples reach the sample stream with the frame's receipt time. The ACK
// leaves only after the frame is stored.
#include <fmt/format.h>

#include "ptwin/ingest/hl7v2/ingestor.hpp"
#include "ptwin/ingest/hl7v2/mllp_listener.hpp"
#include "ptwin/ingest/stream/sample_tap_store.hpp"
#include "served_feed.hpp"

namespace ptwin::app {
namespace {

namespace hl7v2 = ingest::hl7v2;

hl7v2::Hl7v2Settings ingest_settings(const Hl7v2FeedConfig& config) {
  hl7v2::Hl7v2Settings settings;
  for (const auto& [source, offset] : config.zone_offsets)
    settings.zone_offsets.emplace(source, offset);
  return settings;
}

class Hl7v2Feed final : public ServedFeed {
 public:
  Hl7v2Feed(const Hl7v2FeedConfig& config, const FeedContext& context)
      : config_(config),
        clock_(context.clock),
        tap_(context.store, context.stream, "hl7v2", context.clock),
        // Without a FHIR resource sink, ADT messages are quarantined and
        // answered AR (docs/serve.md#what-is-not-done).
        ingestor_(tap_, context.clock, ingest_settings(config)),
        listener_(
            hl7v2::MllpSettings{.address = config.address,
                                .port = static_cast<std::uint16_t>(config.port),
                                .threads = 2,
                                .max_frame_bytes = 4U * 1024U * 1024U,
                                .max_connections = 64,
                                .frame_timeout = std::chrono::seconds(30),
                                .idle_timeout = std::chrono::minutes(10)},
            [this](const hl7v2::InboundFrame& frame) {
              const ingest::stream::SampleTapStore::Receipt receipt(tap_, clock_.now());
              return ingestor_.ingest(frame);
            },
            context.clock),
        port_(listener_.port()) {}
  ~Hl7v2Feed() override { listener_.stop(); }

  [[nodiscard]] std::string_view name() const override { return "hl7v2"; }
  [[nodiscard]] std::string describe() const override {
    return fmt::format("MLLP at {}:{} zone_offsets={}", config_.address, port_,
                       config_.zone_offsets.size());
  }
  [[nodiscard]] FeedCounts counts() const override {
    const auto c = ingestor_.counts();
    const auto u = [](std::int64_t value) { return static_cast<std::uint64_t>(value); };
    return {.received = u(c.frames),
            .accepted = u(c.messages_accepted + c.messages_with_rejected_segments),
            .quarantined = u(c.frames_quarantined),
            .not_stored = u(c.frames_not_stored),
            .pending = u(c.frames - c.messages_accepted - c.messages_with_rejected_segments -
                         c.frames_quarantined - c.frames_not_stored),
            .samples_stored = u(c.samples_stored)};
  }
  [[nodiscard]] nlohmann::json status() const override {
    const auto c = ingestor_.counts();
    return {{"port", port_},
            {"messages_with_rejected_segments", c.messages_with_rejected_segments},
            {"segments_quarantined", c.segments_quarantined}};
  }
  // The listener acknowledges a frame only after ingest() returned: once it has
  // stopped, every acknowledged frame is stored, and an unacknowledged one will
  // be sent again.
  void stop() override { listener_.stop(); }

 private:
  Hl7v2FeedConfig config_;
  const time::Clock& clock_;
  ingest::stream::SampleTapStore tap_;
  hl7v2::Hl7v2Ingestor ingestor_;
  hl7v2::MllpListener listener_;
  std::uint16_t port_;  // the port bound (config port 0: any free one)
};

}  // namespace

std::unique_ptr<ServedFeed> start_hl7v2_feed(const Hl7v2FeedConfig& config,
                                             const FeedContext& context) {
  return std::make_unique<Hl7v2Feed>(config, context);
}

}  // namespace ptwin::app
