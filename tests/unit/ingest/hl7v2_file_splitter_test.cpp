// SPDX-License-Identifier: Apache-2.0
// HL7 v2 files cut into frames (docs/hl7v2.md#files): ER7 text with any line ending, the batch
// envelope, stray text, MLLP captures; every byte of a message kept as it was in the file.

#include <gtest/gtest.h>

#include <string>

#include "hl7v2_test_support.hpp"
#include "ptwin/ingest/hl7v2/file_splitter.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

using test_support::good_oru;

constexpr std::size_t kMaxFrame = 1 << 20;

std::string with_line_ends(std::string text, std::string_view end) {
  std::string out;
  for (const char c : text) {
    if (c == '\r') {
      out.append(end);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

TEST(Hl7v2FileSplitter, MessagesSplitAtEachMshWhateverTheLineEnding) {
  for (const std::string_view end : {"\r", "\n", "\r\n"}) {
    SCOPED_TRACE(::testing::PrintToString(std::string(end)));
    const auto one = with_line_ends(good_oru(), end);
    const auto split = split_hl7v2_file(one + one + one, "feed.hl7", kMaxFrame);
    ASSERT_EQ(split.frames.size(), 3U);
    for (const auto& frame : split.frames) {
      EXPECT_EQ(frame.kind, FrameKind::Message);
      EXPECT_EQ(frame.bytes, one);  // the file's bytes, terminators included
    }
    EXPECT_EQ(split.frames[0].peer, "file feed.hl7:1");
    EXPECT_EQ(split.frames[1].peer, "file feed.hl7:6");
    EXPECT_EQ(split.envelope_segments, 0U);
  }
}

TEST(Hl7v2FileSplitter, TheBatchEnvelopeIsCountedNotIngested) {
  std::string file = "FHS|^~\\&|MONITOR\rBHS|^~\\&|MONITOR\r";
  file.append(good_oru()).append(good_oru()).append("BTS|2\rFTS|1\r");
  const auto split = split_hl7v2_file(file, "batch.hl7", kMaxFrame);
  EXPECT_EQ(split.envelope_segments, 4U);
  ASSERT_EQ(split.frames.size(), 2U);
  EXPECT_EQ(split.frames[0].bytes, good_oru());
  EXPECT_EQ(split.frames[1].bytes, good_oru());
}

TEST(Hl7v2FileSplitter, TextOutsideAMessageBecomesStrayBytes) {
  std::string file = "exported by monitor 7\n\n";
  file.append(good_oru()).append("BTS|1\rnot hl7 at all\r");
  const auto split = split_hl7v2_file(file, "odd.hl7", kMaxFrame);
  ASSERT_EQ(split.frames.size(), 3U);
  EXPECT_EQ(split.frames[0].kind, FrameKind::StrayBytes);
  EXPECT_EQ(split.frames[0].bytes, "exported by monitor 7\n\n");
  EXPECT_EQ(split.frames[0].peer, "file odd.hl7:1");
  EXPECT_EQ(split.frames[1].kind, FrameKind::Message);
  EXPECT_EQ(split.frames[2].kind, FrameKind::StrayBytes);
  EXPECT_EQ(split.frames[2].bytes, "not hl7 at all\r");
  EXPECT_EQ(split.envelope_segments, 1U);
}

TEST(Hl7v2FileSplitter, BlankFilesAndBlankLinesGiveNoFrames) {
  EXPECT_TRUE(split_hl7v2_file("", "empty.hl7", kMaxFrame).frames.empty());
  EXPECT_TRUE(split_hl7v2_file("\n\r\n  \n", "blank.hl7", kMaxFrame).frames.empty());
}

TEST(Hl7v2FileSplitter, AnOversizedMessageIsCutAndMarked) {
  const auto split = split_hl7v2_file(good_oru(), "big.hl7", 40);
  ASSERT_EQ(split.frames.size(), 1U);
  EXPECT_EQ(split.frames[0].kind, FrameKind::Oversized);
  EXPECT_EQ(split.frames[0].bytes.size(), 40U);
}

TEST(Hl7v2FileSplitter, AnMllpCaptureIsReadFrameByFrame) {
  // Built by appending: GCC 12 reports a false -Wrestrict on "literal" + std::string at -O3.
  std::string file;
  for (const std::string_view piece : {"\x0b", "", "\x1c\r\n\x0b", "", "\x1cX\x0b", ""}) {
    file.append(piece.empty() ? good_oru() : std::string(piece));
  }
  const auto split = split_hl7v2_file(file, "capture.mllp", kMaxFrame);
  // A good frame, one whose 0x1C is followed by 'X' (the 'X' is then a stray byte), and one cut
  // short by the end of the file.
  ASSERT_EQ(split.frames.size(), 4U);
  EXPECT_EQ(split.frames[0].kind, FrameKind::Message);
  EXPECT_EQ(split.frames[0].bytes, good_oru());
  EXPECT_EQ(split.frames[0].peer, "file capture.mllp: frame 1");
  EXPECT_EQ(split.frames[1].kind, FrameKind::Malformed);
  EXPECT_EQ(split.frames[2].kind, FrameKind::StrayBytes);
  EXPECT_EQ(split.frames[2].bytes, "X");
  EXPECT_EQ(split.frames[3].kind, FrameKind::Incomplete);
}

}  // namespace
}  // namespace ptwin::ingest::hl7v2
