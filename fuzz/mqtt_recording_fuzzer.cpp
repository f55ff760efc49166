// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the MQTT feed recording reader (docs/recording.md). An InputError naming
// line 1 is the expected way to refuse a file (a bad header). Anything else escaping, a crash,
// a sanitizer report, or an accepted file that breaks a documented rule is a finding: every line
// after the header becomes exactly one entry, in order (none lost); messages are in receipt
// order, with finite samples of the header's patient; a rejected line has its source and a
// reason naming its line. Seeds: tests/data/bad_inputs/mqtt_recording/*.ndjson and
// data/demo/monitor_recording.ndjson.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/recording/mqtt_recording_reader.hpp"

namespace {

namespace rec = ptwin::ingest::recording;
constexpr std::string_view kName = "fuzz.ndjson";

// Lines as the reader counts them: LF-terminated, the last one without LF if not empty.
std::int64_t line_count(std::string_view bytes) {
  std::int64_t lines = 0;
  for (const char c : bytes) lines += c == '\n' ? 1 : 0;
  if (!bytes.empty() && bytes.back() != '\n') ++lines;
  return lines;
}

void check(const rec::MqttRecording& recording, std::string_view bytes) {
  if (static_cast<std::int64_t>(recording.entries.size()) != line_count(bytes) - 1) std::abort();
  std::int64_t expected_line = 2;
  ptwin::time::Instant previous = ptwin::time::Instant::min();
  for (const auto& entry : recording.entries) {
    if (const auto* message = std::get_if<rec::RecordedMessage>(&entry)) {
      if (message->line != expected_line || message->received_at < previous) std::abort();
      if (message->samples.empty()) std::abort();
      for (const auto& sample : message->samples) {
        if (!std::isfinite(sample.value_si)) std::abort();
        if (sample.patient_id != recording.header.patient_id) std::abort();
      }
      previous = message->received_at;
    } else {
      const auto& rejected = std::get<rec::RejectedLine>(entry);
      const auto source = std::string(kName) + ":" + std::to_string(expected_line);
      if (rejected.line != expected_line || rejected.entry.source != source) std::abort();
      if (rejected.entry.reason.find(source + ": ") != 0) std::abort();
      if (rejected.entry.raw_bytes.size() > rec::kMaxLineBytes) std::abort();
    }
    ++expected_line;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  std::istringstream input(bytes);
  try {
    check(rec::read_mqtt_recording(input, kName), bytes);
  } catch (const ptwin::InputError& error) {
    if (!error.where().starts_with(std::string(kName) + ":1: ")) std::abort();
  }
  return 0;
}
