// SPDX-License-Identifier: Apache-2.0
#pragma once
// Stores what an HL7 v2 feed sends (docs/hl7v2.md#conservation): accepted samples go to
// Store::append_samples, ADT resources to a FHIR resource sink (and the Patient to
// Store::upsert_patient), and everything else to Store::quarantine with its bytes, its source
// and the reason, so that every frame received is accounted for:
//   frames == messages_accepted + messages_with_rejected_segments + frames_quarantined
//             + frames_not_stored
// Use `handler()` as the MllpListener's FrameHandler, or call ingest() for messages read
// elsewhere (a file, a replay).

#include <cstdint>
#include <functional>
#include <mutex>

#include <nlohmann/json.hpp>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/hl7v2/inbound_frame.hpp"
#include "ptwin/ingest/hl7v2/settings.hpp"
#include "ptwin/store/store.hpp"

namespace ptwin::ingest::hl7v2 {

/// Receives the FHIR R5 Patient and Encounter of each ADT message (e.g. an update-as-create
/// through the FHIR facade or the resource store); must persist them before returning, and
/// throw when it cannot. Calls are serialised by the ingestor.
using FhirResourceSink =
    std::function<void(const nlohmann::json& patient, const nlohmann::json& encounter)>;

struct IngestCounts {
  std::int64_t frames = 0;                           // every frame and stray chunk handed in
  std::int64_t messages_accepted = 0;                // AA: all of it stored
  std::int64_t messages_with_rejected_segments = 0;  // AE: some OBX quarantined, rest stored
  std::int64_t frames_quarantined = 0;               // AR/AE: quarantined whole
  std::int64_t frames_not_stored = 0;                // the store or the sink failed (resend)
  std::int64_t samples_stored = 0;
  std::int64_t segments_quarantined = 0;
  friend bool operator==(const IngestCounts&, const IngestCounts&) = default;
};

class Hl7v2Ingestor {
 public:
  /// `store` and `clock` must outlive the ingestor; the clock stamps quarantine entries and
  /// Patient records. Without a `sink`, ADT messages are quarantined and answered AR (the
  /// receiver cannot keep their Encounter). Throws InputError when validate(settings) does.
  Hl7v2Ingestor(store::Store& store, const time::Clock& clock, Hl7v2Settings settings = {},
                FhirResourceSink sink = {});

  /// Reads, stores and quarantines one frame; returns what its ACK must say. Thread-safe.
  /// Throws what the store or the sink throws (nothing about the frame is then counted as
  /// stored; what was written before the failure stays written).
  [[nodiscard]] Disposition ingest(const InboundFrame& frame);

  /// A FrameHandler calling ingest() (the ingestor must outlive it).
  [[nodiscard]] FrameHandler handler();

  [[nodiscard]] IngestCounts counts() const;

 private:
  Disposition ingest_message(const InboundFrame& frame);
  Disposition quarantine_whole(const InboundFrame& frame, const std::string& source,
                               const Problem& problem, AckStatus status);

  store::Store& store_;
  const time::Clock& clock_;
  Hl7v2Settings settings_;
  FhirResourceSink sink_;
  std::mutex sink_mutex_;
  mutable std::mutex counts_mutex_;
  IngestCounts counts_;
};

}  // namespace ptwin::ingest::hl7v2
