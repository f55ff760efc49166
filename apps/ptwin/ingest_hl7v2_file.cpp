// SPDX-License-Identifier: Apache-2.0
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
  // Without a FHIR resource sink, ADT messages are quarantined with the reason (the Patient and
  // Encounter they carry need the FHIR store): docs/ingest.md#ptwin-ingest.
  ingest::hl7v2::Hl7v2Ingestor ingestor(context.store, context.clock);
  const auto total = static_cast<std::int64_t>(bytes.size());
  std::int64_t done = 0;
  for (const auto& frame : split.frames) {
    (void)ingestor.ingest(frame);
    done += static_cast<std::int64_t>(frame.bytes.size());
    progress(std::min(done, total), total);
  }
  progress(total, total);
  const auto counts = ingestor.counts();
  if (counts.frames_not_stored > 0) {
    throw Error(ErrorCode::StoreFailure,
                fmt::format("{}: {} HL7 v2 messages could not be stored (see the log); nothing "
                            "about them was kept",
                            file.string(), counts.frames_not_stored));
  }
  FileImportResult result;
  result.unit = "messages";
  result.records = counts.frames;
  result.accepted = counts.messages_accepted + counts.messages_with_rejected_segments;
  result.quarantined = counts.frames_quarantined;
  result.detail = fmt::format("{} samples stored, {} segments quarantined, {} batch envelope "
                              "segments",
                              counts.samples_stored, counts.segments_quarantined,
                              split.envelope_segments);
  return result;
}

}  // namespace ptwin::app
