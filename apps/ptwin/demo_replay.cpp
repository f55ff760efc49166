// SPDX-License-Identifier: Apache-2.0
#include "demo_replay.hpp"

#include <algorithm>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::app {
namespace {

namespace rec = ingest::recording;
using SteadyClock = std::chrono::steady_clock;

const rec::RecordedMessage* message_of(const rec::RecordingEntry& entry) {
  return std::get_if<rec::RecordedMessage>(&entry);
}

// When an entry is due, in recording time: a rejected line goes with the message before it.
time::Instant recorded_time(const rec::RecordingEntry& entry, time::Instant first) {
  if (const auto* message = message_of(entry)) return message->received_at;
  const auto& rejected = std::get<rec::RejectedLine>(entry);
  return std::max(rejected.entry.received_at, first);
}

std::string elapsed(std::chrono::nanoseconds since_start) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_start).count();
  return fmt::format("t+{:02}:{:02}", seconds / 60, seconds % 60);
}

// Where the replay writes, and what it counts.
struct ReplayTarget {
  store::Store& store;
  ingest::stream::SampleStream& stream;
  const time::Clock& clock;
  ReplayOutcome& outcome;
};

// Replays entries from `next` on while `is_due`: stored in one write, then published message by
// message; rejected lines quarantined. Returns the index after the last one replayed.
template <typename IsDue>
std::size_t replay_due(const std::vector<rec::RecordingEntry>& entries, std::size_t next,
                       const IsDue& is_due, const ReplayTarget& target) {
  auto& outcome = target.outcome;
  std::size_t end = next;
  std::vector<Sample> batch;
  while (end < entries.size() && is_due(entries[end])) {
    if (const auto* message = message_of(entries[end])) {
      for (auto sample : message->samples) {
        sample.time += outcome.shift;
        batch.push_back(std::move(sample));
      }
    }
    ++end;
  }
  target.store.append_samples(batch);
  const auto stored_at = target.clock.now();
  std::size_t offset = 0;
  for (std::size_t i = next; i < end; ++i) {
    if (const auto* message = message_of(entries[i])) {
      const std::span<const Sample> samples(batch.data() + offset, message->samples.size());
      offset += samples.size();
      target.stream.publish({.feed = "demo-replay",
                             .samples = samples,
                             .received_at = message->received_at + outcome.shift,
                             .stored_at = stored_at});
      ++outcome.messages;
      outcome.samples += samples.size();
    } else {
      auto entry = std::get<rec::RejectedLine>(entries[i]).entry;
      entry.received_at = recorded_time(entries[i], outcome.first) + outcome.shift;
      (void)target.store.quarantine(entry);
      ++outcome.quarantined;
    }
  }
  return end;
}

}  // namespace

ReplayOutcome replay_recording(const rec::MqttRecording& recording, const ReplaySettings& settings,
                               store::Store& store, ingest::stream::SampleStream& stream,
                               StopSignals& stop_signals, const time::Clock& clock,
                               ProgressBar& bar) {
  const auto& entries = recording.entries;
  const auto first_message = std::find_if(entries.begin(), entries.end(),
                                          [](const auto& e) { return message_of(e) != nullptr; });
  if (first_message == entries.end()) {
    throw InputError(ErrorCode::MissingField, "recording", "",
                     "holds no message that could be read; nothing to replay");
  }
  ReplayOutcome outcome;
  outcome.lines = entries.size();
  outcome.first = message_of(*first_message)->received_at;
  for (const auto& entry : entries) {
    if (const auto* message = message_of(entry)) outcome.last = message->received_at;
  }
  const auto span = outcome.last - outcome.first;
  const auto replay_length =
      settings.speed > 0.0 ? std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::duration<double, std::nano>(
                                     static_cast<double>(span.count()) / settings.speed))
                           : std::chrono::nanoseconds{0};
  outcome.shift = (clock.now() + replay_length) - outcome.last;
  const auto started = SteadyClock::now();
  const auto due = [&](const rec::RecordingEntry& entry) {
    if (settings.speed <= 0.0) return started;
    const double after_ns =
        static_cast<double>((recorded_time(entry, outcome.first) - outcome.first).count()) /
        settings.speed;
    return started + std::chrono::duration_cast<SteadyClock::duration>(
                         std::chrono::duration<double, std::nano>(after_ns));
  };

  std::size_t next = 0;
  while (next < entries.size()) {
    const auto wait = due(entries[next]) - SteadyClock::now();
    if (wait > SteadyClock::duration::zero()) {
      if (const auto signal = stop_signals.wait_for(wait)) {
        outcome.stopped_by = signal;
        break;
      }
      continue;  // the wait may end early (another signal); look again
    }
    const auto now = SteadyClock::now();
    const auto end = replay_due(
        entries, next, [&](const rec::RecordingEntry& entry) { return due(entry) <= now; },
        {store, stream, clock, outcome});
    bar.update(static_cast<std::int64_t>(end), static_cast<std::int64_t>(entries.size()),
               elapsed(recorded_time(entries[end - 1], outcome.first) - outcome.first));
    next = end;
  }
  outcome.wall_s = std::chrono::duration<double>(SteadyClock::now() - started).count();
  return outcome;
}

}  // namespace ptwin::app
