// SPDX-License-Identifier: Apache-2.0
// The waveform boundary: sample instants, and what is refused (non-finite or implausible
// samples, a bad rate) with errors naming the field and the value.
#include "ptwin/ingest/waveform/pressure_signal.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/waveform/arterial_beat_extractor.hpp"
#include "unit/ingest/waveform_synthetic.hpp"

namespace {

using namespace ptwin::ingest::waveform;
using namespace ptwin::testing::waveform;
namespace units = ptwin::units;

constexpr double kRateHz = 250.0;

SignalDescription description() {
  return {.source = "test:bed1/ABP",
          .start = ptwin::time::from_epoch_ns(1'700'000'000'000'000'000),
          .sample_rate_hz = kRateHz};
}

TEST(ArterialBeatExtractor, RefusesNonFiniteSamplesNamingIndexAndValue) {
  SyntheticRecord record;
  append_beats(record, kRateHz, {.period_s = 0.8, .systolic_mmhg = 120, .diastolic_mmhg = 80}, 20);
  auto pressures = to_pressures(record.pressure_mmhg);
  ArterialBeatExtractor extractor(description());
  const auto first = extractor.push(std::span(pressures).subspan(0, 1000));
  auto bad = std::vector(pressures.begin() + 1000, pressures.end());
  bad[7] = units::Pressure::from_si(std::nan(""));
  try {
    (void)extractor.push(bad);
    FAIL() << "a NaN sample was accepted";
  } catch (const ptwin::InputError& error) {
    EXPECT_EQ(error.where(), "ABP waveform test:bed1/ABP: sample[1007]");
    EXPECT_NE(error.value().find("nan"), std::string::npos);
  }
  // The chunk was refused whole: the extractor goes on as if it had never seen it.
  ArterialBeatExtractor reference(description());
  auto expected = reference.push(std::span(pressures).subspan(0, 1000));
  EXPECT_EQ(first, expected);
  const auto tail = std::span(pressures).subspan(1000);
  EXPECT_EQ(extractor.push(tail), reference.push(tail));
  EXPECT_EQ(extractor.finish(), reference.finish());
}

TEST(PressureSignal, SampleTimesAreExactNanosecondsEvenAfterAYear) {
  auto signal = description();
  signal.sample_rate_hz = 1000.0;
  const std::int64_t year_of_samples = 1000LL * 86400 * 365;
  EXPECT_EQ(sample_time(signal, year_of_samples + 1) - signal.start,
            std::chrono::hours(24 * 365) + std::chrono::milliseconds(1));
  signal.sample_rate_hz = 125.0;
  EXPECT_EQ(sample_time(signal, 3) - signal.start, std::chrono::nanoseconds(24'000'000));
  signal.sample_rate_hz = 300.0;  // 1/300 s is not a whole number of ns: rounded
  EXPECT_EQ(sample_time(signal, 1) - signal.start, std::chrono::nanoseconds(3'333'333));
  signal.sample_rate_hz = 62.5;
  EXPECT_EQ(sample_time(signal, 5) - signal.start, std::chrono::nanoseconds(80'000'000));
}

TEST(ArterialBeatExtractor, RefusesAnImplausiblePressureAndABadRate) {
  EXPECT_THROW((void)pressures_from(std::vector<double>{80.0, 5000.0}, units::mmHg, "test", 0),
               ptwin::InputError);
  try {
    auto bad = description();
    bad.sample_rate_hz = 10.0;
    ArterialBeatExtractor extractor(bad);
    FAIL() << "10 Hz accepted";
  } catch (const ptwin::InputError& error) {
    EXPECT_EQ(error.where(), "ABP waveform test:bed1/ABP: sample_rate_hz");
    EXPECT_EQ(error.value(), "10");
  }
}

}  // namespace
