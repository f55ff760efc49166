// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/hl7v2/file_splitter.hpp"

#include <fmt/format.h>

#include "ptwin/ingest/hl7v2/mllp_framer.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

bool is_envelope(std::string_view line) {
  const auto id = line.substr(0, 3);
  return (id == "FHS" || id == "BHS" || id == "BTS" || id == "FTS") &&
         (line.size() == 3 || !(line[3] >= 'A' && line[3] <= 'Z'));
}

bool starts_message(std::string_view line) {
  return line.starts_with("MSH") && line.size() > 3;
}

// One line of the file: [begin, end) without its terminator, `next` after it.
struct Line {
  std::size_t begin;
  std::size_t end;
  std::size_t next;
};

Line line_at(std::string_view bytes, std::size_t begin) {
  auto end = bytes.find_first_of("\r\n", begin);
  if (end == std::string_view::npos) return {begin, bytes.size(), bytes.size()};
  auto next = end + 1;
  if (bytes[end] == '\r' && next < bytes.size() && bytes[next] == '\n') ++next;
  return {begin, end, next};
}

SplitFile split_mllp(std::string_view bytes, std::string_view source,
                     std::size_t max_frame_bytes) {
  MllpFramer framer(max_frame_bytes);
  std::vector<Frame> frames;
  framer.feed(bytes, frames);
  framer.finish(frames);
  SplitFile split;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    split.frames.push_back(
        {frames[i].kind, std::move(frames[i].bytes), fmt::format("file {}: frame {}", source, i + 1)});
  }
  return split;
}

}  // namespace

SplitFile split_hl7v2_file(std::string_view bytes, std::string_view source,
                           std::size_t max_frame_bytes) {
  const auto first = bytes.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && bytes[first] == kStartBlock) {
    return split_mllp(bytes, source, max_frame_bytes);
  }
  SplitFile split;
  // The piece being collected: a message from its MSH line, or stray text.
  std::size_t piece_begin = 0;
  std::size_t piece_line = 0;
  bool is_in_message = false;
  bool has_piece = false;
  const auto close_piece = [&](std::size_t end) {
    if (!has_piece) return;
    const auto text = bytes.substr(piece_begin, end - piece_begin);
    has_piece = false;
    if (!is_in_message && is_blank(text)) return;
    auto kind = is_in_message ? FrameKind::Message : FrameKind::StrayBytes;
    std::string frame_bytes(text);
    if (frame_bytes.size() > max_frame_bytes) {
      kind = FrameKind::Oversized;
      frame_bytes.resize(max_frame_bytes);
    }
    split.frames.push_back({kind, std::move(frame_bytes), fmt::format("file {}:{}", source, piece_line)});
  };
  std::size_t line_number = 0;
  for (std::size_t at = 0; at < bytes.size();) {
    const auto line = line_at(bytes, at);
    ++line_number;
    const auto text = bytes.substr(line.begin, line.end - line.begin);
    if (starts_message(text) || is_envelope(text)) {
      close_piece(line.begin);
      if (is_envelope(text)) {
        ++split.envelope_segments;
      } else {
        has_piece = true;
        is_in_message = true;
        piece_begin = line.begin;
        piece_line = line_number;
      }
    } else if (!has_piece && !is_blank(text)) {
      has_piece = true;
      is_in_message = false;
      piece_begin = line.begin;
      piece_line = line_number;
    }
    at = line.next;
  }
  close_piece(bytes.size());
  return split;
}

}  // namespace ptwin::ingest::hl7v2
