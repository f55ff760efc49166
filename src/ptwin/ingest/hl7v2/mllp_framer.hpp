// SPDX-License-Identifier: Apache-2.0
#pragma once
// MLLP framing (HL7 v2 Minimal Lower Layer Protocol, release 1): each message travels as
// 0x0B <message> 0x1C 0x0D. The framer turns a byte stream into frames and accounts for every
// byte that is not a well-formed frame, so that nothing received disappears without a trace
// (DESIGN.md). It does no I/O; MllpListener feeds it what a socket reads.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ptwin::ingest::hl7v2 {

inline constexpr char kStartBlock = '\x0b';
inline constexpr char kEndBlock = '\x1c';
inline constexpr char kCarriageReturn = '\x0d';

enum class FrameKind {
  Message,     // a complete frame: the bytes between 0x0B and 0x1C 0x0D
  Malformed,   // a frame whose 0x1C was not followed by 0x0D
  Incomplete,  // a frame cut short: a new 0x0B before its end, or the stream ended
  Oversized,   // a frame longer than the bound: its first `max_frame_bytes` bytes
  StrayBytes,  // bytes outside any frame (line breaks and spaces between frames excepted)
};

/// The framing problem of each kind, as a sentence ("" for Message).
[[nodiscard]] std::string_view frame_problem(FrameKind kind);

struct Frame {
  FrameKind kind = FrameKind::Message;
  std::string bytes;
};

class MllpFramer {
 public:
  /// `max_frame_bytes` bounds a frame's payload and each chunk of stray bytes (> 0).
  explicit MllpFramer(std::size_t max_frame_bytes);

  /// Consumes `bytes` and appends the frames they complete to `out`. After an Oversized frame
  /// the rest of it (up to its 0x1C 0x0D) is skipped; the listener closes the connection.
  void feed(std::string_view bytes, std::vector<Frame>& out);
  /// The stream has ended: a frame in progress becomes Incomplete, pending stray bytes
  /// StrayBytes. The framer is then empty and may be reused.
  void finish(std::vector<Frame>& out);
  /// True while part of a frame has been received but not its end.
  [[nodiscard]] bool is_inside_frame() const {
    return state_ == State::Inside || state_ == State::AfterEndBlock;
  }

 private:
  enum class State { Outside, Inside, AfterEndBlock, Skipping, SkippingAfterEndBlock };
  void flush_stray(std::vector<Frame>& out);

  std::size_t max_frame_bytes_;
  State state_ = State::Outside;
  std::string frame_;
  std::string stray_;
};

}  // namespace ptwin::ingest::hl7v2
