// SPDX-License-Identifier: Apache-2.0
#pragma once
// Writes the lines of an MQTT feed recording (mqtt_recording.hpp, docs/recording.md), byte for
// byte the same for the same arguments: keys in a fixed order, no spaces, one LF at the end.

#include <cstdint>
#include <string>
#include <string_view>

#include "ptwin/ingest/recording/mqtt_recording.hpp"

namespace ptwin::ingest::recording {

/// Line 1. The header is not checked: the reader does that.
[[nodiscard]] std::string format_recording_header(const RecordingHeader& header);

/// One message line. `payload` is written as given (it must be one JSON object, as published);
/// `topic` is JSON-escaped.
[[nodiscard]] std::string format_recorded_message(std::int64_t received_ms, std::string_view topic,
                                                  std::string_view payload);

}  // namespace ptwin::ingest::recording
