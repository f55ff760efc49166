// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/hl7v2/mllp_framer.hpp"

#include <utility>

#include "ptwin/core/assert.hpp"

namespace ptwin::ingest::hl7v2 {

std::string_view frame_problem(FrameKind kind) {
  switch (kind) {
    case FrameKind::Message:
      return "";
    case FrameKind::Malformed:
      return "MLLP frame whose end block 0x1C is not followed by 0x0D";
    case FrameKind::Incomplete:
      return "MLLP frame without its end block 0x1C 0x0D (a new start block 0x0B arrived, the "
             "connection ended or the frame timed out)";
    case FrameKind::Oversized:
      return "MLLP frame larger than the receiver's bound; these are its first bytes";
    case FrameKind::StrayBytes:
      return "bytes outside any MLLP frame (before a start block 0x0B)";
  }
  return "";
}

MllpFramer::MllpFramer(std::size_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {
  PTWIN_ASSERT(max_frame_bytes > 0, "an MLLP frame bound must be positive");
}

void MllpFramer::flush_stray(std::vector<Frame>& out) {
  // Line breaks and spaces between frames are common (senders that end each frame with an
  // extra CR or LF) and carry nothing.
  if (stray_.find_first_not_of("\r\n \t") != std::string::npos) {
    out.push_back({FrameKind::StrayBytes, std::move(stray_)});
  }
  stray_.clear();
}

void MllpFramer::feed(std::string_view bytes, std::vector<Frame>& out) {
  for (const char c : bytes) {
    switch (state_) {
      case State::Outside:
        if (c == kStartBlock) {
          flush_stray(out);
          state_ = State::Inside;
        } else {
          stray_.push_back(c);
          if (stray_.size() >= max_frame_bytes_) flush_stray(out);
        }
        break;
      case State::Inside:
        if (c == kEndBlock) {
          state_ = State::AfterEndBlock;
        } else if (c == kStartBlock) {
          out.push_back({FrameKind::Incomplete, std::move(frame_)});
          frame_.clear();
        } else if (frame_.size() == max_frame_bytes_) {
          out.push_back({FrameKind::Oversized, std::move(frame_)});
          frame_.clear();
          state_ = State::Skipping;
        } else {
          frame_.push_back(c);
        }
        break;
      case State::AfterEndBlock:
        if (c == kCarriageReturn) {
          out.push_back({FrameKind::Message, std::move(frame_)});
          frame_.clear();
          state_ = State::Outside;
        } else {
          out.push_back({FrameKind::Malformed, std::move(frame_)});
          frame_.clear();
          state_ = c == kStartBlock ? State::Inside : State::Outside;
          if (c != kStartBlock) stray_.push_back(c);
        }
        break;
      case State::Skipping:
        if (c == kEndBlock) state_ = State::SkippingAfterEndBlock;
        break;
      case State::SkippingAfterEndBlock:
        state_ = c == kCarriageReturn ? State::Outside
                 : c == kEndBlock     ? State::SkippingAfterEndBlock
                                      : State::Skipping;
        break;
    }
  }
}

void MllpFramer::finish(std::vector<Frame>& out) {
  if (state_ == State::Inside || state_ == State::AfterEndBlock) {
    out.push_back({FrameKind::Incomplete, std::move(frame_)});
  }
  frame_.clear();
  flush_stray(out);
  state_ = State::Outside;
}

}  // namespace ptwin::ingest::hl7v2
