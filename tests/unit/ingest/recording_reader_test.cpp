// SPDX-License-Identifier: Apache-2.0
// The MQTT feed recording reader and writer (docs/recording.md): messages become the samples
// the live feed would give; bad lines are rejected one by one and nothing is lost (lines =
// messages + rejected); the writer's lines read back to what was written.
#include <gtest/gtest.h>

#include <sstream>
#include <variant>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/ingest/recording/mqtt_recording_reader.hpp"
#include "ptwin/ingest/recording/mqtt_recording_writer.hpp"

namespace ptwin::ingest::recording {
namespace {

constexpr std::string_view kHeartRate =
    R"({"device":"mon-7","patient":"p1","quantity":"heart_rate","unit":"/min","value":72,)"
    R"("t":1795162500000})";
constexpr std::string_view kPressureChunk =
    R"({"device":"art-1","patient":"p1","quantity":"mean_pressure","unit":"mm[Hg]",)"
    R"("values":[80,81.5],"interval_ms":1000,"t":1795162501000})";
const RecordingHeader kHeader{.version = 1, .patient_id = "p1", .is_synthetic = true,
                              .description = "two \"quoted\" readings"};

MqttRecording read_text(const std::string& text) {
  std::istringstream input(text);
  return read_mqtt_recording(input, "test.ndjson");
}

TEST(MqttRecordingReader, WrittenLinesReadBackAsTheLiveFeedsSamples) {
  const auto text = format_recording_header(kHeader) +
                    format_recorded_message(1'795'162'500'040, "icu/bed4/vitals", kHeartRate) +
                    format_recorded_message(1'795'162'502'030, "icu/bed4/art", kPressureChunk);
  const auto recording = read_text(text);
  EXPECT_EQ(recording.header, kHeader);
  ASSERT_EQ(recording.entries.size(), 2U);
  const auto& first = std::get<RecordedMessage>(recording.entries[0]);
  EXPECT_EQ(first.line, 2);
  EXPECT_EQ(first.topic, "icu/bed4/vitals");
  EXPECT_EQ(first.received_at, time::from_epoch_ms(1'795'162'500'040));
  ASSERT_EQ(first.samples.size(), 1U);
  EXPECT_EQ(first.samples[0].code, "8867-4");
  EXPECT_DOUBLE_EQ(first.samples[0].value_si, 72.0 / 60.0);
  EXPECT_EQ(first.samples[0].time, time::from_epoch_ms(1'795'162'500'000));
  EXPECT_EQ(first.samples[0].source_id, "mqtt:icu/bed4/vitals#mon-7");
  const auto& second = std::get<RecordedMessage>(recording.entries[1]);
  ASSERT_EQ(second.samples.size(), 2U);
  EXPECT_DOUBLE_EQ(second.samples[1].value_si, 81.5 * units::kPaPerMmHg);
  EXPECT_EQ(second.samples[1].time, time::from_epoch_ms(1'795'162'502'000));
}

TEST(MqttRecordingReader, WriterGivesTheSameBytesForTheSameArguments) {
  EXPECT_EQ(format_recording_header(kHeader),
            R"({"format":"ptwin-mqtt-recording","version":1,"patient":"p1","synthetic":true,)"
            R"("description":"two \"quoted\" readings"})"
            "\n");
  EXPECT_EQ(format_recorded_message(5, "a/b", "{}"),
            "{\"received_ms\":5,\"topic\":\"a/b\",\"payload\":{}}\n");
}

TEST(MqttRecordingReader, BadLinesAreRejectedInPlaceAndEveryLineIsCounted) {
  const auto good = [](std::int64_t received_ms) {
    return format_recorded_message(received_ms, "icu/bed4/vitals", kHeartRate);
  };
  const std::string text = format_recording_header(kHeader) + good(1'795'162'500'040) +
                           "not json\n" + good(1'795'162'500'050) + "\n" +
                           good(1'795'162'500'060);
  const auto recording = read_text(text);
  ASSERT_EQ(recording.entries.size(), 5U);  // lines 2 to 6: none lost
  EXPECT_TRUE(std::holds_alternative<RecordedMessage>(recording.entries[0]));
  const auto& rejected = std::get<RejectedLine>(recording.entries[1]);
  EXPECT_EQ(rejected.line, 3);
  EXPECT_EQ(rejected.entry.source, "test.ndjson:3");
  EXPECT_EQ(rejected.entry.raw_bytes, "not json");
  EXPECT_EQ(rejected.entry.received_at, time::from_epoch_ms(1'795'162'500'040));
  EXPECT_NE(rejected.entry.reason.find("test.ndjson:3: line: 'not json'"), std::string::npos)
      << rejected.entry.reason;
  EXPECT_TRUE(std::holds_alternative<RecordedMessage>(recording.entries[2]));
  const auto& empty = std::get<RejectedLine>(recording.entries[3]);  // an empty line is a line
  EXPECT_EQ(empty.line, 5);
  EXPECT_EQ(empty.entry.raw_bytes, "");
  EXPECT_TRUE(std::holds_alternative<RecordedMessage>(recording.entries[4]));
}

TEST(MqttRecordingReader, CrlfLinesAndAMissingFinalNewlineAreRead) {
  auto text = format_recording_header(kHeader);
  text.pop_back();
  text.append("\r\n");
  const auto line = format_recorded_message(1'795'162'500'040, "icu/bed4/vitals", kHeartRate);
  text.append(line, 0, line.size() - 1);
  const auto recording = read_text(text);
  ASSERT_EQ(recording.entries.size(), 1U);
  EXPECT_TRUE(std::holds_alternative<RecordedMessage>(recording.entries[0]));
}

TEST(MqttRecordingReader, AnOverlongLineIsRejectedWithItsFirstBytesKept) {
  const std::string longest(kMaxLineBytes + 10, 'x');
  const auto recording = read_text(format_recording_header(kHeader) + longest + "\n");
  ASSERT_EQ(recording.entries.size(), 1U);
  const auto& rejected = std::get<RejectedLine>(recording.entries[0]);
  EXPECT_EQ(rejected.entry.raw_bytes.size(), kMaxLineBytes);
  EXPECT_NE(rejected.entry.reason.find(std::to_string(kMaxLineBytes + 10) + " bytes"),
            std::string::npos)
      << rejected.entry.reason;
}

TEST(MqttRecordingReader, AMissingFileIsAnIoErrorNamingIt) {
  try {
    (void)read_mqtt_recording_file("/nonexistent/recording.ndjson");
    FAIL() << "read a missing file";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::Io);
    EXPECT_NE(std::string(error.what()).find("/nonexistent/recording.ndjson"), std::string::npos);
  }
}

}  // namespace
}  // namespace ptwin::ingest::recording
