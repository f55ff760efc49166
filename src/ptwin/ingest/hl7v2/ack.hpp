// SPDX-License-Identifier: Apache-2.0
#pragma once
// Acknowledgements (v2.5.1 chapter 2, "Acknowledgment messages"). The ACK is built from the
// message's own MSH, read leniently so that even a message that could not be parsed gets an
// answer: sending and receiving application/facility swapped, the message's delimiters,
// MSA-2 echoing MSH-10.
//
// Original mode (MSH-15 and MSH-16 empty): one ACK, MSA-1 AA (accepted), AE (application
// error: some content rejected) or AR (rejected: not processed, or not stored).
// Enhanced mode (either valued): an accept acknowledgement CA (committed to storage, which
// includes the quarantine), CR (refused: unreadable, unsupported type/version/processing id) or
// CE (could not be stored), sent when MSH-15 asks for it; then, after a CA, the application
// acknowledgement AA/AE when MSH-16 asks for it, on the same connection. AL always, NE never,
// ER only for an error, SU only for success; an empty field means NE.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/core/time.hpp"
#include "ptwin/ingest/hl7v2/delimiters.hpp"
#include "ptwin/ingest/hl7v2/problem.hpp"

namespace ptwin::ingest::hl7v2 {

/// What the receiver did with a message.
enum class AckStatus {
  Accepted,          // AA / CA+AA: everything stored
  ApplicationError,  // AE / CA+AE: stored in part, the rest quarantined; or content refused
  Rejected,          // AR / CR: not processed (quarantined as received)
};

struct Disposition {
  AckStatus status = AckStatus::Accepted;
  std::vector<Problem> problems;  // one ERR segment each (AE, AR)
  /// False when the message could not be stored at all (the handler failed): AR in original
  /// mode, CE in enhanced mode, so that the sender sends it again.
  bool is_committed = true;
};

/// The parts of a message's MSH an ACK needs, as written (escaped), read without failing.
struct AckContext {
  Delimiters delimiters;       // |^~\& when MSH-1/MSH-2 cannot be read
  bool is_header_readable = false;
  std::string sending_application;    // MSH-3
  std::string sending_facility;       // MSH-4
  std::string receiving_application;  // MSH-5
  std::string receiving_facility;     // MSH-6
  std::string trigger;                // MSH-9.2
  std::string control_id;             // MSH-10
  std::string processing_id;          // MSH-11
  std::string version;                // MSH-12.1
  std::string accept_ack_type;        // MSH-15
  std::string application_ack_type;   // MSH-16
  std::string charset;                // MSH-18.1 when ptwin reads that set, else ""
  [[nodiscard]] bool is_enhanced_mode() const {
    return !accept_ack_type.empty() || !application_ack_type.empty();
  }
};

/// Reads the MSH of `bytes` as far as it goes; never throws. Values are kept as written but
/// bytes outside printable ASCII become \Xhh\ escapes; a value longer than 199 bytes, with
/// escapes that do not decode, or with bytes its MSH-18 does not allow is dropped, so that an
/// echo cannot break or bloat the ACK.
[[nodiscard]] AckContext read_ack_context(std::string_view bytes);

/// The ACK messages to send back for one message, in order (0, 1 or 2 of them), each a
/// complete ER7 message with CR segment terminators and no MLLP framing. `next_control_id`
/// gives each ACK its own MSH-10; `now` is its MSH-7. Texts are reduced to printable ASCII
/// and escaped; at most 16 ERR segments are written (the last says how many were left out).
[[nodiscard]] std::vector<std::string> build_acks(
    const AckContext& context, const Disposition& disposition,
    const std::function<std::string()>& next_control_id, time::Instant now);

}  // namespace ptwin::ingest::hl7v2
