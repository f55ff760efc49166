// SPDX-License-Identifier: Apache-2.0
#pragma once
// The replay of an MQTT feed recording into the live twin, in accelerated time, for `ptwin demo`
// (docs/dashboard.md#demo): each message is stored and then published on the sample stream, as
// the live MQTT feed does, when its turn comes: message i is due `(received_i - received_0) /
// speed` after the replay starts. Recorded times are shifted by one constant so that the last
// message falls at the moment the replay ends: the dashboard shows the recording as the last
// hour, and no sample lies in the future. Lines the reader rejected are quarantined in the
// store at their place in the stream. Every message is published on its own, so the twin and the
// alert policy see the same sequence whatever the speed.

#include <chrono>
#include <cstddef>
#include <optional>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/recording/mqtt_recording.hpp"
#include "ptwin/ingest/stream/sample_stream.hpp"
#include "ptwin/store/store.hpp"
#include "progress_bar.hpp"
#include "stop_signals.hpp"

namespace ptwin::app {

struct ReplaySettings {
  double speed = 60.0;  // recorded seconds per wall-clock second; 0: as fast as possible
};

struct ReplayOutcome {
  std::size_t lines = 0;        // after the header
  std::size_t messages = 0;     // read and stored
  std::size_t quarantined = 0;  // rejected lines, quarantined
  std::size_t samples = 0;      // stored from the messages
  time::Instant first{};        // recording time of the first and last message
  time::Instant last{};
  std::chrono::nanoseconds shift{0};  // added to every recorded time
  double wall_s = 0.0;                // the replay's own duration
  std::optional<int> stopped_by;      // the signal that cut it short, if one did
};

/// Replays `recording` (which must hold at least one message: InputError otherwise) into
/// `store` and `stream`. A SIGINT or SIGTERM during the replay stops it after the current batch.
[[nodiscard]] ReplayOutcome replay_recording(const ingest::recording::MqttRecording& recording,
                                             const ReplaySettings& settings, store::Store& store,
                                             ingest::stream::SampleStream& stream,
                                             StopSignals& stop_signals, const time::Clock& clock,
                                             ProgressBar& bar);

}  // namespace ptwin::app
