// SPDX-License-Identifier: Apache-2.0
#include <sstream>

#include <fmt/format.h>

#include "ingest_files.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/hl7v2/file_splitter.hpp"
#include "ptwin/ingest/hl7v2/ingestor.hpp"
#include "read_file.hpp"

namespace ptwin::app {

FileImportResult import_hl7v2_file(const std::filesystem::path& file, IngestContext& context,
                                   const ImportProgress& progress) {
  const auto bytes = read_whole_file(file);
  // The listener's bound on one message (docs/hl7v2.md).
  constexpr std::size_t kMaxMessageBytes = 1 << 20;
  auto split = ingest::hl7v2::split_hl7v2_file(bytes, file.filename().string(), kMaxMessageBytes);
  // ADT messages' Patient and Encounter are validated and stored in the FHIR resource store
  // (update-as-create under the ids the mapping gives them).
  ingest::hl7v2::FhirResourceSink sink = [&](const nlohmann::json& patient,
                                             const nlohmann::json& encounter) {
    std::string refusal;
    auto importer = context.fhir().make_importer([&](const store::QuarantineEntry& refused) {
      refusal += refused.reason;
    });
    std::istringstream lines(patient.dump() + "\n" + encounter.dump() + "\n");
    const auto summary = importer->import_stream(lines, "hl7v2 ADT", 0, std::nullopt);
    if (summary.accepted != 2) {
      throw InputError(ErrorCode::BadInput, "ADT Patient/Encounter", "", refusal);
    }
  };
  ingest::hl7v2::Hl7v2Ingestor ingestor(context.store, context.clock, {}, sink);
  const auto total = static_cast<std::int64_t>(bytes.size());
  std::int64_t done = 0;
  std::int64_t not_stored = 0;
  for (const auto& frame : split.frames) {
    try {
      (void)ingestor.ingest(frame);
    } catch (const Error& error) {
      // What a live sender would be asked to send again: from a file, it is kept instead.
      (void)context.store.quarantine({fmt::format("hl7v2:peer {}", frame.peer),
                                      fmt::format("not stored: {}", error.what()), frame.bytes,
                                      context.clock.now()});
      ++not_stored;
    }
    done += static_cast<std::int64_t>(frame.bytes.size());
    progress(std::min(done, total), total);
  }
  progress(total, total);
  const auto counts = ingestor.counts();
  FileImportResult result;
  result.unit = "messages";
  result.records = counts.frames;
  result.accepted = counts.messages_accepted + counts.messages_with_rejected_segments;
  result.quarantined = counts.frames_quarantined + not_stored;
  result.detail = fmt::format("{} samples stored, {} segments quarantined, {} batch envelope "
                              "segments",
                              counts.samples_stored, counts.segments_quarantined,
                              split.envelope_segments);
  return result;
}

}  // namespace ptwin::app
