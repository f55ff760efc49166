// SPDX-License-Identifier: Apache-2.0
// Every file of tests/data/bad_inputs/mqtt_recording/ is refused the way its name states
// (tests/data/bad_inputs/README.md). `document.<code>.<case>.ndjson`: the header is bad and the
// reader throws an InputError of that code. `line.<code>.<case>.ndjson`: the header is good and
// the last line is the only rejected one, with that code; its quarantine entry keeps the line's
// bytes and names the line. Either way the message holds every line of the .expect file. The
// same files seed fuzz/mqtt_recording_fuzzer.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <sstream>
#include <variant>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/recording/mqtt_recording_reader.hpp"
#include "support/bad_input_corpus.hpp"

namespace ptwin::ingest::recording {
namespace {

namespace fs = std::filesystem;
using ptwin::testing::CorpusCase;

const fs::path kCorpus =
    fs::path(PTWIN_SOURCE_DIR) / "tests" / "data" / "bad_inputs" / "mqtt_recording";
const std::vector<std::string> kScopes{"document", "line"};

std::vector<CorpusCase> cases(const std::string& scope) {
  return ptwin::testing::scoped_corpus(kCorpus, ".ndjson", kScopes, scope);
}

// The last line of a file, without its LF.
std::string last_line(const std::string& bytes) {
  const auto end = bytes.ends_with('\n') ? bytes.size() - 1 : bytes.size();
  const auto begin = bytes.rfind('\n', end - 1);
  return bytes.substr(begin == std::string::npos ? 0 : begin + 1, end - (begin + 1));
}

TEST(RecordingBadInputs, CorpusHasCasesOfBothScopes) {
  EXPECT_GE(cases("document").size(), 10U);
  EXPECT_GE(cases("line").size(), 15U);
}

TEST(RecordingBadInputs, BadHeadersRefuseTheWholeFile) {
  for (const auto& bad : cases("document")) {
    SCOPED_TRACE(bad.input.filename().string());
    std::istringstream input(ptwin::testing::read_bytes(bad.input));
    try {
      (void)read_mqtt_recording(input, bad.input.filename().string());
      ADD_FAILURE() << "accepted";
    } catch (const InputError& error) {
      EXPECT_EQ(error_code_info(error.code()).name, bad.code_name) << error.what();
      EXPECT_TRUE(error.where().starts_with(bad.input.filename().string() + ":1: "))
          << error.what();
      ptwin::testing::expect_fragments(error.what(), bad);
    }
  }
}

TEST(RecordingBadInputs, BadLinesAreRejectedAloneWithTheirBytes) {
  for (const auto& bad : cases("line")) {
    SCOPED_TRACE(bad.input.filename().string());
    const auto bytes = ptwin::testing::read_bytes(bad.input);
    std::istringstream input(bytes);
    const auto name = bad.input.filename().string();
    const auto recording = read_mqtt_recording(input, name);
    ASSERT_FALSE(recording.entries.empty());
    for (std::size_t i = 0; i + 1 < recording.entries.size(); ++i) {
      EXPECT_TRUE(std::holds_alternative<RecordedMessage>(recording.entries[i])) << i;
    }
    const auto* rejected = std::get_if<RejectedLine>(&recording.entries.back());
    ASSERT_NE(rejected, nullptr) << "the last line was accepted";
    const auto line = static_cast<std::int64_t>(recording.entries.size()) + 1;
    EXPECT_EQ(rejected->line, line);
    EXPECT_EQ(error_code_info(rejected->code).name, bad.code_name) << rejected->entry.reason;
    EXPECT_EQ(rejected->entry.source, fmt::format("{}:{}", name, line));
    EXPECT_EQ(rejected->entry.raw_bytes, last_line(bytes));
    ptwin::testing::expect_fragments(rejected->entry.reason, bad);
  }
}

}  // namespace
}  // namespace ptwin::ingest::recording
