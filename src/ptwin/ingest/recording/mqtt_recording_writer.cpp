// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/recording/mqtt_recording_writer.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ptwin::ingest::recording {
namespace {

std::string json_string(std::string_view text) { return nlohmann::json(std::string(text)).dump(); }

}  // namespace

std::string format_recording_header(const RecordingHeader& header) {
  std::string line = fmt::format(R"({{"format":{},"version":{},"patient":{},"synthetic":{})",
                                 json_string(kRecordingFormat), header.version,
                                 json_string(header.patient_id), header.is_synthetic ? "true" : "false");
  if (!header.description.empty()) {
    line.append(R"(,"description":)").append(json_string(header.description));
  }
  line.append("}\n");
  return line;
}

std::string format_recorded_message(std::int64_t received_ms, std::string_view topic,
                                    std::string_view payload) {
  return fmt::format(R"({{"received_ms":{},"topic":{},"payload":{}}})"
                     "\n",
                     received_ms, json_string(topic), payload);
}

}  // namespace ptwin::ingest::recording
