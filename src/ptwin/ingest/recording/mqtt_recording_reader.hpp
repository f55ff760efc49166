// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reads an MQTT feed recording (mqtt_recording.hpp, docs/recording.md). The header is checked
// first: a file without a valid one is refused whole (InputError naming the header's field).
// After it, a line that breaks a rule does not stop the reading: it becomes a RejectedLine whose
// reason names the line and the field (and the payload's field, as the live MQTT feed names it),
// to be quarantined by the caller. Lines in = messages + rejected lines, always.

#include <filesystem>
#include <istream>
#include <string_view>

#include "ptwin/ingest/recording/mqtt_recording.hpp"

namespace ptwin::ingest::recording {

/// Longest line read; a longer one is rejected with its first kMaxLineBytes kept. A payload may
/// hold 1 MiB (docs/mqtt.md), so the envelope gets as much again.
inline constexpr std::size_t kMaxLineBytes = 2U << 20U;

/// Reads the whole recording from `input`; `name` (the file name) starts every message and each
/// rejected line's quarantine source. Throws InputError for a missing or invalid header (the
/// message starts "<name>:1: "), Error(Io) when the stream fails. Never throws anything else
/// for any bytes of input, except std::bad_alloc.
[[nodiscard]] MqttRecording read_mqtt_recording(std::istream& input, std::string_view name);

/// The same for a file; Error(Io) naming the path when it cannot be opened.
[[nodiscard]] MqttRecording read_mqtt_recording_file(const std::filesystem::path& path);

}  // namespace ptwin::ingest::recording
