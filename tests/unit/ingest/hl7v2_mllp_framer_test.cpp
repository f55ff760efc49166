// SPDX-License-Identifier: Apache-2.0
// MLLP framing: frames split across reads, several per read, and every malformed byte stream
// accounted for (garbage, oversized, cut short, wrong end block).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ptwin/ingest/hl7v2/mllp_framer.hpp"
#include "ptwin/ingest/hl7v2/mllp_listener.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

std::vector<Frame> frames_of(const std::vector<std::string>& reads, std::size_t bound = 64,
                             bool is_finished = true) {
  MllpFramer framer(bound);
  std::vector<Frame> frames;
  for (const auto& bytes : reads) framer.feed(bytes, frames);
  if (is_finished) framer.finish(frames);
  return frames;
}

TEST(Hl7v2MllpFramer, CutsFramesWhereverTheReadsEnd) {
  const std::string stream = mllp_frame("MSH|one") + mllp_frame("MSH|two");
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    const auto frames = frames_of({stream.substr(0, cut), stream.substr(cut)});
    ASSERT_EQ(frames.size(), 2U) << "cut at " << cut;
    EXPECT_EQ(frames[0].kind, FrameKind::Message);
    EXPECT_EQ(frames[0].bytes, "MSH|one");
    EXPECT_EQ(frames[1].bytes, "MSH|two");
  }
}

TEST(Hl7v2MllpFramer, ReportsBytesOutsideFramesButToleratesLineBreaks) {
  const auto frames = frames_of({"garbage" + mllp_frame("MSH|1") + "\r\n" + mllp_frame("MSH|2") +
                                 "tail"});
  ASSERT_EQ(frames.size(), 4U);
  EXPECT_EQ(frames[0].kind, FrameKind::StrayBytes);
  EXPECT_EQ(frames[0].bytes, "garbage");
  EXPECT_EQ(frames[1].bytes, "MSH|1");
  EXPECT_EQ(frames[2].bytes, "MSH|2");
  EXPECT_EQ(frames[3].kind, FrameKind::StrayBytes);
  EXPECT_EQ(frames[3].bytes, "tail");
}

TEST(Hl7v2MllpFramer, BoundsStrayBytesInChunks) {
  const auto frames = frames_of({std::string(150, 'x')}, 64);
  ASSERT_EQ(frames.size(), 3U);
  EXPECT_EQ(frames[0].bytes.size(), 64U);
  EXPECT_EQ(frames[2].bytes.size(), 22U);
}

TEST(Hl7v2MllpFramer, CutsAnOversizedFrameToTheBoundAndSkipsItsRest) {
  const auto frames = frames_of({mllp_frame(std::string(100, 'a')) + mllp_frame("MSH|next")}, 64);
  ASSERT_EQ(frames.size(), 2U);
  EXPECT_EQ(frames[0].kind, FrameKind::Oversized);
  EXPECT_EQ(frames[0].bytes, std::string(64, 'a'));
  EXPECT_EQ(frames[1].kind, FrameKind::Message);
  EXPECT_EQ(frames[1].bytes, "MSH|next");
  EXPECT_EQ(frames_of({mllp_frame(std::string(64, 'a'))}, 64).at(0).kind, FrameKind::Message)
      << "a frame of exactly the bound";
}

TEST(Hl7v2MllpFramer, ReportsFramesCutShort) {
  const auto restarted = frames_of({"\x0bMSH|partial\x0bMSH|whole\x1c\x0d"});
  ASSERT_EQ(restarted.size(), 2U);
  EXPECT_EQ(restarted[0].kind, FrameKind::Incomplete);
  EXPECT_EQ(restarted[0].bytes, "MSH|partial");
  EXPECT_EQ(restarted[1].kind, FrameKind::Message);
  const auto dropped = frames_of({"\x0bMSH|partial"});
  ASSERT_EQ(dropped.size(), 1U);
  EXPECT_EQ(dropped[0].kind, FrameKind::Incomplete);
  EXPECT_EQ(dropped[0].bytes, "MSH|partial");
  const auto after_end_block = frames_of({"\x0bMSH|x\x1c"});
  ASSERT_EQ(after_end_block.size(), 1U);
  EXPECT_EQ(after_end_block[0].kind, FrameKind::Incomplete);
  MllpFramer framer(64);
  std::vector<Frame> frames;
  framer.feed("\x0bMSH", frames);
  EXPECT_TRUE(framer.is_inside_frame());
  EXPECT_TRUE(frames.empty());
}

TEST(Hl7v2MllpFramer, ReportsAnEndBlockWithoutItsCarriageReturn) {
  const auto frames = frames_of({"\x0bMSH|a\x1cZ\x0bMSH|b\x1c\x0b" "MSH|c\x1c\x0d"});
  ASSERT_EQ(frames.size(), 4U);
  EXPECT_EQ(frames[0].kind, FrameKind::Malformed);
  EXPECT_EQ(frames[0].bytes, "MSH|a");
  EXPECT_EQ(frames[1].kind, FrameKind::StrayBytes);
  EXPECT_EQ(frames[1].bytes, "Z");
  EXPECT_EQ(frames[2].kind, FrameKind::Malformed);
  EXPECT_EQ(frames[2].bytes, "MSH|b");
  EXPECT_EQ(frames[3].kind, FrameKind::Message);
  EXPECT_EQ(frames[3].bytes, "MSH|c");
}

TEST(Hl7v2MllpFramer, PassesAnyOtherByteThrough) {
  std::string all;
  for (int byte = 0; byte < 256; ++byte) {
    if (byte != 0x0b && byte != 0x1c) all.push_back(static_cast<char>(byte));
  }
  const auto frames = frames_of({mllp_frame(all)}, 1024);
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].bytes, all);
}

}  // namespace
}  // namespace ptwin::ingest::hl7v2
