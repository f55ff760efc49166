// SPDX-License-Identifier: Apache-2.0
#pragma once
// ORU^R01 (unsolicited observation results) to Samples: one Sample per OBX that holds a vital
// sign ptwin reads; every other OBX is a rejected segment with its bytes and the reason
// (docs/hl7v2.md#mapping-oru). Rules, in the order they are checked for each OBX:
//   patient  the last PID before it, whose PID-3 names the patient (patient_identity.hpp)
//   OBX-11   result status F (final) or C (corrected)
//   OBX-3    a LOINC ("LN") or MDC code of observation_codes.hpp, in either coded triplet
//   OBX-2    NM (numeric)
//   OBX-5    one HL7 NM number
//   OBX-6    a UCUM unit of the code's dimension (units::to_si), or an MDC unit code
//   time     OBX-14, else OBR-7 of the last OBR before it, as parse_dtm reads it
// Segments other than MSH, PID, OBR and OBX are not read.

#include <cstddef>
#include <string>
#include <vector>

#include "ptwin/core/sample.hpp"
#include "ptwin/ingest/hl7v2/header.hpp"
#include "ptwin/ingest/hl7v2/message.hpp"
#include "ptwin/ingest/hl7v2/problem.hpp"
#include "ptwin/ingest/hl7v2/settings.hpp"

namespace ptwin::ingest::hl7v2 {

struct RejectedSegment {
  std::string label;      // "OBX[3]"
  std::string raw_bytes;  // the segment exactly as received, without its terminator
  Problem problem;
};

struct OruResult {
  std::vector<Sample> samples;
  std::vector<RejectedSegment> rejected;
  std::size_t observation_count = 0;  // OBX segments read: samples.size() + rejected.size()
};

/// Maps an ORU^R01 whose header has been read. Never throws InputError: every problem of an
/// OBX (or of the PID it belongs to) is a rejected segment.
[[nodiscard]] OruResult map_oru_r01(const Message& message, const MessageHeader& header,
                                    const Hl7v2Settings& settings);

/// Reads an HL7 NM value ("[+|-]digits[.digits]", no exponent) as a double. Throws
/// InputError(BadInput) naming `where`.
[[nodiscard]] double parse_nm(std::string_view text, std::string_view where);

}  // namespace ptwin::ingest::hl7v2
