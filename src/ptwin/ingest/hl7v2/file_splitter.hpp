// SPDX-License-Identifier: Apache-2.0
#pragma once
// Cuts an HL7 v2 file into the frames Hl7v2Ingestor takes, so that a file import and a live
// MLLP feed share one path (docs/hl7v2.md#files). Two layouts are read:
//  - MLLP-framed bytes (a capture of a feed: the first non-blank byte is 0x0B), cut by
//    MllpFramer with the same accounting of malformed frames and stray bytes;
//  - ER7 text, one segment per line (CR, LF or CRLF): a message starts at each segment whose
//    id is MSH. The batch envelope of HL7 v2 (FHS, BHS, BTS, FTS; v2.5 section 2.10.3) is not
//    a message: it is counted, not ingested. Any other text outside a message becomes a
//    StrayBytes frame, which the ingestor quarantines.
// Each frame's bytes are the file's bytes, unchanged; its `peer` names the file and line
// ("file <source>:<line>", or "file <source>: frame <n>" for MLLP captures).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/ingest/hl7v2/inbound_frame.hpp"

namespace ptwin::ingest::hl7v2 {

struct SplitFile {
  std::vector<InboundFrame> frames;
  std::size_t envelope_segments = 0;  // FHS, BHS, BTS, FTS lines
};

/// `source` names the file in each frame's `peer`. `max_frame_bytes`
/// bounds a message as for the listener.
[[nodiscard]] SplitFile split_hl7v2_file(std::string_view bytes, std::string_view source,
                                         std::size_t max_frame_bytes);

}  // namespace ptwin::ingest::hl7v2
