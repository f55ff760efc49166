// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the HL7 v2 reading pipeline (ER7 parser, MSH, ORU/ADT mappings), the ACK
// built for the input, and MLLP framing of the input. ptwin::Error is the expected way to
// refuse a message. Findings besides crashes, sanitizer reports and other exceptions:
//   - an accepted ORU whose samples are not finite or lack a patient, code or source, or
//     whose rejected segments lack bytes or a reason, or whose counts do not add up;
//   - an ADT whose resources are not a Patient and an Encounter that refer to each other;
//   - an ACK that ptwin's own parser cannot read, or whose MSA-1 is not an ACK code;
//   - MLLP framing that loses bytes: the frames and the framing bytes must add up to the input;
//   - a file split (ER7 text) whose frames are not pieces of the input in order, or that
//     drops a non-blank line other than the batch envelope.
// Seeds: tests/data/bad_inputs/hl7v2/*.hl7 (docs/hl7v2.md#fuzzing).
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/core/time.hpp"
#include "ptwin/ingest/hl7v2/ack.hpp"
#include "ptwin/ingest/hl7v2/file_splitter.hpp"
#include "ptwin/ingest/hl7v2/mllp_framer.hpp"
#include "ptwin/ingest/hl7v2/reader.hpp"

namespace {

using namespace ptwin::ingest::hl7v2;

void check_mapping(const MappedMessage& mapped) {
  if (mapped.observations) {
    const auto& result = *mapped.observations;
    if (result.samples.size() + result.rejected.size() != result.observation_count) std::abort();
    for (const auto& sample : result.samples) {
      if (!std::isfinite(sample.value_si) || sample.patient_id.empty() || sample.code.empty() ||
          sample.source_id.empty()) {
        std::abort();
      }
    }
    for (const auto& rejected : result.rejected) {
      if (rejected.raw_bytes.empty() || rejected.problem.reason.empty()) std::abort();
    }
  }
  if (mapped.admission) {
    const auto& resources = *mapped.admission;
    if (resources.patient.at("resourceType") != "Patient" ||
        resources.encounter.at("resourceType") != "Encounter" ||
        resources.encounter.at("subject").at("reference") != "Patient/" + resources.patient_id) {
      std::abort();
    }
    (void)resources.patient.dump();  // throws on text that is not UTF-8
    (void)resources.encounter.dump();
  }
}

void check_acks(std::string_view bytes) {
  const Disposition disposition{
      AckStatus::ApplicationError,
      {ptwin::ingest::hl7v2::Problem{std::string(bytes.substr(0, 300)),
                                     ptwin::ErrorCode::BadInput,
                                     ConditionCode::DataTypeError,
                                     {"OBX", 1, 5}}},
      true};
  int counter = 0;
  const auto acks = build_acks(read_ack_context(bytes), disposition,
                               [&counter] { return std::to_string(++counter); },
                               ptwin::time::from_epoch_ns(0));
  for (const auto& ack : acks) {
    try {
      const auto message = Message::parse(ack, "ack");
      const auto code = message.field("MSA", 1);
      if (code != "AE" && code != "CA" && code != "CE" && code != "CR") std::abort();
      (void)message.field("MSA", 2);
      if (const auto* err = message.find("ERR")) (void)err->value(8);
    } catch (const ptwin::Error&) {
      std::abort();  // an ACK ptwin writes must read back
    }
  }
}

void check_framing(std::string_view bytes) {
  MllpFramer framer(256);
  std::vector<Frame> frames;
  // Split the input in two reads at a point chosen by its length.
  const auto cut = bytes.empty() ? 0 : bytes.size() * 7 % (bytes.size() + 1);
  framer.feed(bytes.substr(0, cut), frames);
  framer.feed(bytes.substr(cut), frames);
  framer.finish(frames);
  std::size_t accounted = 0;
  for (const auto& frame : frames) {
    if (frame.bytes.size() > 256) std::abort();
    accounted += frame.bytes.size();
  }
  if (accounted > bytes.size()) std::abort();
}

 void check_file_split(std::string_view bytes) {
  const auto split = split_hl7v2_file(bytes, "fuzz.hl7", 1 << 20);
  const auto first = bytes.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && bytes[first] == kStartBlock) return;  // MLLP: above
  // ER7 text: each frame is the next piece of the input; what lies between frames is blank
  // or batch envelope lines only.
  // Envelope lines in a gap, or -1 when the gap holds anything else.
  const auto envelope_lines = [](std::string_view gap) -> long {
    long count = 0;
    std::size_t begin = 0;
    while (begin < gap.size()) {
      auto end = gap.find_first_of("\r\n", begin);
      if (end == std::string_view::npos) end = gap.size();
      const auto line = gap.substr(begin, end - begin);
      if (line.find_first_not_of(" \t") != std::string_view::npos) {
        const auto id = line.substr(0, 3);
        if (id != "FHS" && id != "BHS" && id != "BTS" && id != "FTS") return -1;
        ++count;
      }
      begin = end + 1;
    }
    return count;
  };
  std::size_t at = 0;
  long envelope = 0;
  for (const auto& frame : split.frames) {
    if (frame.bytes.empty()) std::abort();
    // The frame's place: the first occurrence after the previous frame made of whole lines
    // whose gap is envelope.
    long gap_envelope = -1;
    for (auto found = bytes.find(frame.bytes, at); found != std::string_view::npos;
         found = bytes.find(frame.bytes, found + 1)) {
      const auto end = found + frame.bytes.size();
      const auto is_line_end = [&](std::size_t i) {
        return i == 0 || i == bytes.size() || bytes[i - 1] == '\r' || bytes[i - 1] == '\n';
      };
      if (!is_line_end(found) || (!is_line_end(end) && frame.kind != FrameKind::Oversized)) {
        continue;
      }
      gap_envelope = envelope_lines(bytes.substr(at, found - at));
      if (gap_envelope >= 0) {
        at = found + frame.bytes.size();
        break;
      }
    }
    if (gap_envelope < 0) std::abort();
    envelope += gap_envelope;
  }
  const auto tail = envelope_lines(bytes.substr(at));
  if (tail < 0) std::abort();
  envelope += tail;
  if (static_cast<std::size_t>(envelope) != split.envelope_segments) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Hl7v2Settings settings;
  // One configured source, so that offset-less times are read on some inputs.
  settings.zone_offsets["MONITOR/ICU"] = std::chrono::minutes{60};
  try {
    const auto accepted = accept_message(bytes, "fuzz.hl7", settings);
    check_mapping(map_message(accepted, settings));
  } catch (const ptwin::Error&) {
  }
  check_acks(bytes);
  check_framing(bytes);
  check_file_split(bytes);
  return 0;
}
