// SPDX-License-Identifier: Apache-2.0
// Every payload of tests/data/bad_inputs/mqtt/ is rejected the way its name states
// (tests/data/bad_inputs/README.md): <error-code>.<case>.payload throws an InputError of that
// code whose message holds each line of <error-code>.<case>.expect (the field and the offending
// value). Each case changes one thing in kGoodPayload, which is accepted. The same files seed
// fuzz/mqtt_payload_fuzzer.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/mqtt/payload_parser.hpp"

namespace ptwin::ingest::mqtt {
namespace {

namespace fs = std::filesystem;

// Below this the corpus has lost its files rather than been trimmed on purpose.
constexpr std::size_t kMinimumCases = 30;
constexpr std::string_view kSource = "mqtt:icu/bed4/vitals";
constexpr std::string_view kGoodPayload =
    R"({"device":"mon-7","patient":"p1","quantity":"heart_rate","unit":"/min","value":72,)"
    R"("t":1795162500000})";

const fs::path kCorpus = fs::path(PTWIN_SOURCE_DIR) / "tests" / "data" / "bad_inputs" / "mqtt";

// The rules every case is read with: the defaults, received at 2026-11-20T08:15:00Z, and one
// mapped device.
PayloadRules corpus_rules() {
  PayloadRules rules;
  rules.device_patients.emplace("mon-map", "p9");
  return rules;
}
const time::Instant kReceivedAt = time::from_epoch_ms(1'795'162'500'000);

std::string read_bytes(const fs::path& file) {
  std::ifstream stream(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << stream.rdbuf();
  return bytes.str();
}

std::vector<std::string> lines_of(const fs::path& file) {
  std::istringstream text(read_bytes(file));
  std::vector<std::string> lines;
  for (std::string line; std::getline(text, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::vector<fs::path> payload_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    if (entry.path().extension() == ".payload") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(MqttBadInputs, TheBaselinePayloadIsAccepted) {
  EXPECT_EQ(parse_biosensor_payload(kGoodPayload, kSource, corpus_rules(), kReceivedAt).size(), 1U);
}

TEST(MqttBadInputs, EveryCaseIsRejectedWithItsCodeFieldAndValue) {
  const auto files = payload_files();
  EXPECT_GE(files.size(), kMinimumCases);
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const auto name = file.stem().string();
    const auto code_name = name.substr(0, name.find('.'));
    const auto expect_file = fs::path(file).replace_extension(".expect");
    ASSERT_TRUE(fs::exists(expect_file)) << "no .expect beside the case";
    const auto fragments = lines_of(expect_file);
    EXPECT_GE(fragments.size(), 1U);
    try {
      (void)parse_biosensor_payload(read_bytes(file), kSource, corpus_rules(), kReceivedAt);
      ADD_FAILURE() << "accepted";
    } catch (const InputError& error) {
      EXPECT_EQ(error_code_info(error.code()).name, code_name) << error.what();
      const std::string message = error.what();
      for (const auto& fragment : fragments) {
        EXPECT_NE(message.find(fragment), std::string::npos)
            << "'" << fragment << "' not in: " << message;
      }
    }
  }
}

TEST(MqttBadInputs, EveryExpectationHasItsPayload) {
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    if (entry.path().extension() != ".expect") continue;
    EXPECT_TRUE(fs::exists(fs::path(entry.path()).replace_extension(".payload")))
        << entry.path().filename();
  }
}

}  // namespace
}  // namespace ptwin::ingest::mqtt
