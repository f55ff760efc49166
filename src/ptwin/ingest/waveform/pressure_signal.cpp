// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/waveform/pressure_signal.hpp"

#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::waveform {

void validate(const SignalDescription& description) {
  if (description.source.empty()) {
    throw InputError(ErrorCode::MissingField, "ABP waveform: source", "(empty)",
                     "name the signal, e.g. \"monitor:bed4/ABP\"");
  }
  const double rate = description.sample_rate_hz;
  if (!std::isfinite(rate) || rate < kMinSampleRateHz || rate > kMaxSampleRateHz) {
    throw InputError(ErrorCode::BadInput,
                     fmt::format("ABP waveform {}: sample_rate_hz", description.source),
                     fmt::format("{}", rate),
                     fmt::format("must be a finite rate in [{}, {}] Hz", kMinSampleRateHz,
                                 kMaxSampleRateHz));
  }
}

time::Instant sample_time(const SignalDescription& description, std::int64_t index) {
  const double rate = description.sample_rate_hz;
  if (rate == std::floor(rate)) {
    // Whole seconds apart from the fraction, so that a year at 1 kHz (3e16 ns, beyond the 2^53
    // a double holds exactly) still lands on the exact nanosecond.
    const auto per_second = static_cast<std::int64_t>(rate);
    const std::int64_t seconds = index / per_second;
    const std::int64_t remainder = index % per_second;
    const auto fraction_ns = std::llround(static_cast<double>(remainder) * 1e9 / rate);
    return description.start + std::chrono::seconds{seconds} + std::chrono::nanoseconds{fraction_ns};
  }
  const double offset_ns = static_cast<double>(index) * 1e9 / rate;
  return description.start + std::chrono::nanoseconds{std::llround(offset_ns)};
}

namespace {

void check_pressure(double value_pa, std::string_view source, std::int64_t index,
                    double value_as_given, std::string_view unit_symbol) {
  if (std::isfinite(value_pa) && std::abs(value_pa) <= kMaxAbsPressureMmHg * units::kPaPerMmHg) {
    return;
  }
  throw InputError(ErrorCode::BadInput, fmt::format("ABP waveform {}: sample[{}]", source, index),
                   fmt::format("{} {}", value_as_given, unit_symbol),
                   fmt::format("samples must be finite pressures within +-{} mmHg; split the "
                               "record at gaps and check the unit",
                               kMaxAbsPressureMmHg));
}

}  // namespace

std::vector<units::Pressure> pressures_from(std::span<const double> values,
                                            units::Unit<units::kPressureDim> unit,
                                            std::string_view source, std::int64_t first_index) {
  std::vector<units::Pressure> pressures;
  pressures.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto pressure = values[i] * unit;
    check_pressure(pressure.si(), source, first_index + static_cast<std::int64_t>(i), values[i],
                   unit.symbol);
    pressures.push_back(pressure);
  }
  return pressures;
}

void validate_pressures(std::span<const units::Pressure> pressures, std::string_view source,
                        std::int64_t first_index) {
  for (std::size_t i = 0; i < pressures.size(); ++i) {
    check_pressure(pressures[i].si(), source, first_index + static_cast<std::int64_t>(i),
                   pressures[i].si(), "Pa");
  }
}

}  // namespace ptwin::ingest::waveform
