// SPDX-License-Identifier: Apache-2.0
#pragma once
// One arterial pressure beat, from its onset to the next onset, with its quality verdict.

#include <cstdint>
#include <string>

#include "ptwin/core/sample.hpp"
#include "ptwin/core/time.hpp"
#include "ptwin/core/units.hpp"

namespace ptwin::ingest::waveform {

/// Why a beat is not trusted; several may hold at once (a bit set).
enum class BeatIssue : std::uint32_t {
  SystolicOutOfRange = 1U << 0,
  DiastolicOutOfRange = 1U << 1,
  MeanOutOfRange = 1U << 2,
  HeartRateOutOfRange = 1U << 3,
  PulsePressureTooLow = 1U << 4,
  AbruptSystolicChange = 1U << 5,
  AbruptDiastolicChange = 1U << 6,
  AbruptPeriodChange = 1U << 7,
  LineFlush = 1U << 8,
  Zeroing = 1U << 9,
};

class BeatIssues {
 public:
  constexpr BeatIssues() = default;
  constexpr void add(BeatIssue issue) { bits_ |= static_cast<std::uint32_t>(issue); }
  [[nodiscard]] constexpr bool has(BeatIssue issue) const {
    return (bits_ & static_cast<std::uint32_t>(issue)) != 0;
  }
  [[nodiscard]] constexpr bool is_empty() const { return bits_ == 0; }
  [[nodiscard]] constexpr std::uint32_t bits() const { return bits_; }
  friend constexpr bool operator==(const BeatIssues&, const BeatIssues&) = default;

 private:
  std::uint32_t bits_ = 0;
};

/// The issue names joined by ", ", e.g. "pulse_pressure_too_low, line_flush"; "" when none.
[[nodiscard]] std::string describe(BeatIssues issues);

struct ArterialBeat {
  std::int64_t onset_index = 0;  // sample index of the onset in the signal
  time::Instant onset_time{};    // UTC
  units::Duration duration;      // to the next onset
  units::Pressure systolic;      // maximum over the beat
  units::Pressure diastolic;     // minimum around the onset (the foot of the upstroke)
  units::Pressure mean;          // area under the pressure over the beat / duration
  units::Pressure pulse_pressure;  // systolic - diastolic
  units::Frequency heart_rate;     // 1 / duration
  SampleQuality quality = SampleQuality::Good;
  BeatIssues issues;
  friend bool operator==(const ArterialBeat&, const ArterialBeat&) = default;
};

}  // namespace ptwin::ingest::waveform
