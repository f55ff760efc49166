// SPDX-License-Identifier: Apache-2.0
// NdjsonLineReader: line numbers, offsets and lengths; LF and CRLF; a last line without LF;
// lines longer than the limit kept as a prefix; lines across the reader's internal chunks.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/bulk/ndjson_line_reader.hpp"

namespace ptwin::ingest::fhir::bulk {
namespace {

struct Read {
  std::int64_t number;
  std::uint64_t offset;
  std::uint64_t length;
  std::string bytes;
  bool is_too_long;
};

std::vector<Read> read_all(const std::string& text, std::size_t max_line_bytes,
                           std::uint64_t* bytes_read = nullptr) {
  std::istringstream input(text);
  NdjsonLineReader reader(input, max_line_bytes);
  std::vector<Read> lines;
  while (const auto line = reader.next()) {
    lines.push_back({line->number, line->offset, line->length, std::string(line->bytes),
                     line->is_too_long});
  }
  if (bytes_read != nullptr) *bytes_read = reader.bytes_read();
  return lines;
}

TEST(NdjsonLineReader, SplitsAtLfAndCountsFromOne) {
  std::uint64_t consumed = 0;
  const auto lines = read_all("{\"a\":1}\n{\"b\":22}\n", 100, &consumed);
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0].number, 1);
  EXPECT_EQ(lines[0].offset, 0U);
  EXPECT_EQ(lines[0].bytes, "{\"a\":1}");
  EXPECT_EQ(lines[1].number, 2);
  EXPECT_EQ(lines[1].offset, 8U);
  EXPECT_EQ(lines[1].bytes, "{\"b\":22}");
  EXPECT_EQ(consumed, 17U);
}

TEST(NdjsonLineReader, ReadsALastLineWithoutLf) {
  const auto lines = read_all("x\ny", 100);
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[1].bytes, "y");
}

TEST(NdjsonLineReader, DropsTheCrOfCrlf) {
  const auto lines = read_all("ab\r\ncd\r\n", 100);
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0].bytes, "ab");
  EXPECT_EQ(lines[0].length, 2U);
  EXPECT_EQ(lines[1].offset, 4U);
}

TEST(NdjsonLineReader, ReportsEmptyLinesAndNothingForAnEmptyStream) {
  EXPECT_TRUE(read_all("", 10).empty());
  const auto lines = read_all("\n\nz\n", 10);
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(lines[0].bytes, "");
  EXPECT_EQ(lines[1].bytes, "");
  EXPECT_EQ(lines[2].number, 3);
}

TEST(NdjsonLineReader, KeepsThePrefixOfALineOverTheLimitAndGoesOn) {
  const std::string line(1000, 'q');
  const auto lines = read_all("ok\n" + line + "\nnext\n", 10);
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_TRUE(lines[1].is_too_long);
  EXPECT_EQ(lines[1].length, 1000U);
  EXPECT_EQ(lines[1].bytes, std::string(10, 'q'));
  EXPECT_FALSE(lines[2].is_too_long);
  EXPECT_EQ(lines[2].bytes, "next");
  EXPECT_EQ(lines[2].offset, 3U + 1001U);
}

TEST(NdjsonLineReader, JoinsLinesThatSpanInternalChunks) {
  // Lines of 300 kB cross the reader's 256 KiB chunks; every byte must land in its line.
  std::string text;
  std::vector<std::string> expected;
  for (int i = 0; i < 5; ++i) {
    expected.push_back(std::string(300'000 + static_cast<std::size_t>(i), static_cast<char>('a' + i)));
    text += expected.back() + "\n";
  }
  std::uint64_t consumed = 0;
  const auto lines = read_all(text, 1'000'000, &consumed);
  ASSERT_EQ(lines.size(), expected.size());
  for (std::size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(lines[i].bytes, expected[i]) << i;
  EXPECT_EQ(consumed, text.size());
}

TEST(NdjsonLineReader, RefusesAZeroLimit) {
  std::istringstream input("x");
  EXPECT_THROW(NdjsonLineReader(input, 0), InputError);
}

}  // namespace
}  // namespace ptwin::ingest::fhir::bulk
