// SPDX-License-Identifier: Apache-2.0
#pragma once
// A uniformly sampled arterial blood pressure (ABP) signal as it enters the engine: where it
// comes from, when its first sample was taken and at what rate. Pressures are SI (Pa) inside;
// monitors and files give mmHg, converted once here (STYLE.md §5).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/core/time.hpp"
#include "ptwin/core/units.hpp"

namespace ptwin::ingest::waveform {

/// Sampling rates accepted. Below 50 Hz the 40 ms smoothing window of the onset detector holds
/// fewer than two samples and an upstroke fewer than five; above 10 kHz no ABP monitor samples.
inline constexpr double kMinSampleRateHz = 50.0;
inline constexpr double kMaxSampleRateHz = 10000.0;
/// Samples outside +-1000 mmHg are not arterial pressures (a wrong unit, a disconnected ADC):
/// they are refused at the boundary instead of being flagged beat by beat.
inline constexpr double kMaxAbsPressureMmHg = 1000.0;

struct SignalDescription {
  std::string source;            // e.g. "monitor:bed4/ABP"; names the signal in errors and Samples
  time::Instant start{};         // UTC instant of sample 0
  double sample_rate_hz = 0.0;   // uniform
};

/// Checks the description. Throws InputError(BadInput) naming the field and value when the
/// source is empty or the rate is not finite or outside [kMinSampleRateHz, kMaxSampleRateHz].
void validate(const SignalDescription& description);

/// The UTC instant of sample `index` (0 = `description.start`), rounded to the nanosecond.
[[nodiscard]] time::Instant sample_time(const SignalDescription& description, std::int64_t index);

/// Converts values given in `unit` (e.g. units::mmHg) to pressures. Throws InputError(BadInput)
/// naming `source`, the index and the value of the first sample that is not finite or lies
/// outside +-kMaxAbsPressureMmHg; nothing is converted in that case.
[[nodiscard]] std::vector<units::Pressure> pressures_from(std::span<const double> values,
                                                          units::Unit<units::kPressureDim> unit,
                                                          std::string_view source,
                                                          std::int64_t first_index = 0);

/// Checks pressures already in SI by the rule of pressures_from. Throws InputError(BadInput).
void validate_pressures(std::span<const units::Pressure> pressures, std::string_view source,
                        std::int64_t first_index);

}  // namespace ptwin::ingest::waveform
