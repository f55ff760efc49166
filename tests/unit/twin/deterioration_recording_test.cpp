// SPDX-License-Identifier: Apache-2.0
// The demo patient's deterioration recording (twin/cohort/deterioration_recording.hpp,
// data/demo/SOURCE.md): the generator reproduces the shipped file byte for byte, the file has the
// checksum SOURCE.md states, the faults are the documented ones, and the MAP follows the stated
// rule before and after the episode.
#include <gtest/gtest.h>

#include <fstream>
#include <numeric>
#include <regex>
#include <sstream>
#include <variant>

#include "ptwin/core/digest.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/ingest/recording/mqtt_recording_reader.hpp"
#include "ptwin/twin/cohort/deterioration_recording.hpp"

namespace ptwin::twin::cohort {
namespace {

namespace fs = std::filesystem;
namespace rec = ingest::recording;

const fs::path kDemo = fs::path(PTWIN_SOURCE_DIR) / "data" / "demo";

std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

rec::MqttRecording read_text(const std::string& text) {
  std::istringstream input(text);
  return rec::read_mqtt_recording(input, "generated.ndjson");
}

std::vector<const rec::RejectedLine*> rejected_lines(const rec::MqttRecording& recording) {
  std::vector<const rec::RejectedLine*> rejected;
  for (const auto& entry : recording.entries) {
    if (const auto* line = std::get_if<rec::RejectedLine>(&entry)) rejected.push_back(line);
  }
  return rejected;
}

TEST(DeteriorationRecording, RegeneratesTheShippedFileByteForByte) {
  const auto shipped = read_bytes(kDemo / "monitor_recording.ndjson");
  const auto generated = generate_deterioration_recording();
  ASSERT_EQ(generated.size(), shipped.size());
  EXPECT_TRUE(generated == shipped) << "regenerate with: ptwin demo-recording --out "
                                       "data/demo/monitor_recording.ndjson";
}

TEST(DeteriorationRecording, ShippedFileHasTheChecksumSourceMdStates) {
  const auto source = read_bytes(kDemo / "SOURCE.md");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(source, match, std::regex("SHA-256: `([0-9a-f]{64})`")));
  EXPECT_EQ(sha256_hex(read_bytes(kDemo / "monitor_recording.ndjson")), match[1].str());
}

TEST(DeteriorationRecording, FaultsAreTheFourDocumentedLines) {
  const auto recording = read_text(generate_deterioration_recording());
  EXPECT_EQ(recording.header.patient_id, "synthetic-001");
  EXPECT_TRUE(recording.header.is_synthetic);
  const auto rejected = rejected_lines(recording);
  ASSERT_EQ(rejected.size(), 4U);
  EXPECT_EQ(rejected[0]->code, ErrorCode::UnknownUnit);  // 7:30, heart rate in BPM
  EXPECT_NE(rejected[0]->entry.reason.find("'BPM'"), std::string::npos);
  EXPECT_NE(rejected[1]->entry.reason.find(": line: "), std::string::npos);  // 18:20, cut short
  EXPECT_NE(rejected[2]->entry.reason.find("(mqtt:icu/bed-12/spo2: t)"), std::string::npos);
  EXPECT_NE(rejected[3]->entry.reason.find("'synthetic-002'"), std::string::npos);
  const auto start = time::from_epoch_ms(1'795'168'800'000);
  const auto minutes = [&](const rec::RejectedLine* line) {
    return std::chrono::duration<double>(line->entry.received_at - start).count() / 60.0;
  };
  EXPECT_NEAR(minutes(rejected[0]), 7.5, 0.1);
  EXPECT_NEAR(minutes(rejected[1]), 18.33, 0.1);
  EXPECT_NEAR(minutes(rejected[2]), 27.75, 0.1);
  EXPECT_NEAR(minutes(rejected[3]), 33.17, 0.1);
}

// Mean recorded MAP (mmHg) of readings in [from_min, to_min), flush artefacts (> 250) left out.
double mean_map(const rec::MqttRecording& recording, double from_min, double to_min) {
  const auto start = time::from_epoch_ms(1'795'168'800'000);
  std::vector<double> values;
  for (const auto& entry : recording.entries) {
    const auto* message = std::get_if<rec::RecordedMessage>(&entry);
    if (message == nullptr) continue;
    for (const auto& sample : message->samples) {
      const double minute = std::chrono::duration<double>(sample.time - start).count() / 60.0;
      const double mmhg = sample.value_si / units::kPaPerMmHg;
      if (sample.code == "8478-0" && minute >= from_min && minute < to_min && mmhg < 250) {
        values.push_back(mmhg);
      }
    }
  }
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

TEST(DeteriorationRecording, MapFollowsTheStatedRule) {
  // Baseline 99 mmHg; after minute 50 (93 e^-0.60 + 6) = 57.0 mmHg. Tolerance 4 mmHg: the
  // wander (SD 0.02 in ln, about 1.9 mmHg, memory 5 min) averaged over 10-20 min has an SD
  // near 1.3 mmHg; 4 mmHg is 3 SD.
  const auto recording = read_text(generate_deterioration_recording());
  EXPECT_NEAR(mean_map(recording, 0.0, 20.0), 99.0, 4.0);
  EXPECT_NEAR(mean_map(recording, 50.0, 60.0), 57.0, 4.0);
}

TEST(DeteriorationRecording, AnotherSeedGivesOtherValuesInTheSameShape) {
  DeteriorationRecordingSettings settings;
  settings.seed += 1;
  const auto other = generate_deterioration_recording(settings);
  EXPECT_NE(other, generate_deterioration_recording());
  const auto recording = read_text(other);
  EXPECT_EQ(recording.entries.size(), 3133U);
  EXPECT_EQ(rejected_lines(recording).size(), 4U);
}

}  // namespace
}  // namespace ptwin::twin::cohort
