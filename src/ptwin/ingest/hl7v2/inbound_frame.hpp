// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a receiver hands on: one MLLP frame (or bytes that are not one) and who sent it. The
// handler persists it (stores what it accepts, quarantines the rest) and returns what the ACK
// must say; the listener acknowledges only after the handler has returned.

#include <functional>
#include <string>

#include "ptwin/ingest/hl7v2/ack.hpp"
#include "ptwin/ingest/hl7v2/mllp_framer.hpp"

namespace ptwin::ingest::hl7v2 {

struct InboundFrame {
  FrameKind kind = FrameKind::Message;
  std::string bytes;  // exactly as received, MLLP framing bytes removed
  std::string peer;   // "<address>:<port>" of the sender
};

/// Called once per frame, from the listener's worker threads (concurrently for different
/// connections, in order within one). It may block (a database write). An exception means
/// "not stored": the sender is answered AR (original mode) or CE (enhanced mode) and is
/// expected to send the message again. The Disposition is the ACK of a Message frame; frames
/// of the other kinds are always answered AR naming the framing problem (StrayBytes and frames
/// whose connection has ended are not answered at all).
using FrameHandler = std::function<Disposition(const InboundFrame&)>;

}  // namespace ptwin::ingest::hl7v2
