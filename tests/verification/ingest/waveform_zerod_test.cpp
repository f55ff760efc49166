// SPDX-License-Identifier: Apache-2.0
// Beat features of a waveform produced by the project's 0D closed-loop model, against the
// model's own summary of the same cycle (twin::summarise): the beat extractor must read from
// the arterial pressure what the model knows it put there.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <vector>

#include "ptwin/core/units.hpp"
#include "ptwin/ingest/waveform/arterial_beat_extractor.hpp"
#include "ptwin/physics/zerod/model_builder.hpp"
#include "ptwin/physics/zerod/simulation.hpp"
#include "ptwin/twin/haemodynamic_summary.hpp"
#include "verification/verification_case.hpp"

namespace {

using namespace ptwin::ingest::waveform;
namespace zerod = ptwin::physics::zerod;
namespace units = ptwin::units;
using ptwin::testing::record_verification;
using ptwin::testing::VerificationCase;

const VerificationCase kClosedLoop{
    .id = "ingest.waveform.zerod_closed_loop",
    .source = "ptwin's own 0D closed loop (data/models/regazzoni2022_closed_loop.json, Regazzoni "
              "et al. 2022) at periodic state; summary by twin::summarise (max, min, trapezoidal "
              "mean over the last cycle); docs/waveform.md#verification",
    .quantity = "systolic, diastolic and mean arterial pressure and heart rate of every beat of "
                "the last cycle repeated 40 times (sys_art.pressure_in)",
    .norm = "max over beats and the four quantities of |beat - summary| in mmHg (heart rate in "
            "/min)",
    .tolerance = 1e-6,
    .tolerance_reason =
        "the same samples: the systolic maximum is the same sample, the diastolic minimum lies "
        "in the foot window, the mean over one full period of a periodic sequence is the "
        "trapezoidal mean, and every beat spans exactly one period of samples; only rounding "
        "remains (1e-9 mmHg). A one-sample onset error changes the heart rate by 0.4 /min",
};

struct Cycle {
  std::vector<double> pressure_pa;  // one period, without the repeated end point
  double rate_hz = 0.0;
  ptwin::twin::HaemodynamicSummary summary;
};

Cycle closed_loop_cycle(int steps_per_cycle) {
  const auto path = std::filesystem::path(PTWIN_SOURCE_DIR) / "data/models/regazzoni2022_closed_loop.json";
  auto model = zerod::load_model_file(path);
  zerod::SimulationSettings settings;
  settings.steps_per_cycle = steps_per_cycle;
  settings.min_cycles = 2;
  settings.max_cycles = 300;
  settings.steady_state_tolerance = 1e-8;
  const auto result = zerod::simulate(*model, settings);
  EXPECT_EQ(result.status, zerod::SimulationStatus::Completed) << result.message;
  const ptwin::twin::Observables observables{.arterial_pressure = "sys_art.pressure_in",
                                             .lv_volume = "lv.volume",
                                             .lv_pressure = "lv.pressure_in"};
  Cycle cycle;
  cycle.summary = ptwin::twin::summarise(result, observables);
  const auto& pressure = result.series(observables.arterial_pressure);
  cycle.pressure_pa.assign(pressure.begin(), pressure.end() - 1);
  cycle.rate_hz = static_cast<double>(cycle.pressure_pa.size()) /
                  (result.times_s.back() - result.times_s.front());
  return cycle;
}

class ClosedLoopWaveform : public ::testing::TestWithParam<int> {};

TEST_P(ClosedLoopWaveform, BeatFeaturesEqualTheModelSummary) {
  const auto cycle = closed_loop_cycle(GetParam());
  std::vector<units::Pressure> signal;
  for (int repeat = 0; repeat < 40; ++repeat) {
    for (const double pa : cycle.pressure_pa) signal.push_back(units::Pressure::from_si(pa));
  }
  ArterialBeatExtractor extractor({.source = "zerod:sys_art", .start = {}, .sample_rate_hz = cycle.rate_hz});
  auto beats = extractor.push(signal);
  const auto rest = extractor.finish();
  beats.insert(beats.end(), rest.begin(), rest.end());
  // 40 cycles: the first onset is found in the first cycle and the last beat is open.
  ASSERT_GE(beats.size(), 38U);
  const auto& s = cycle.summary;
  double worst = 0.0;
  for (const auto& beat : beats) {
    EXPECT_EQ(beat.quality, ptwin::SampleQuality::Good) << describe(beat.issues);
    worst = std::max({worst,
                      std::abs(beat.systolic.in(units::mmHg) - s.systolic_pressure_pa / units::kPaPerMmHg),
                      std::abs(beat.diastolic.in(units::mmHg) - s.diastolic_pressure_pa / units::kPaPerMmHg),
                      std::abs(beat.mean.in(units::mmHg) - s.mean_arterial_pressure_pa / units::kPaPerMmHg),
                      std::abs(beat.heart_rate.in(units::bpm) - s.heart_rate_hz * 60.0)});
  }
  record_verification(kClosedLoop, worst);
  EXPECT_LE(worst, kClosedLoop.tolerance);
  ::testing::Test::RecordProperty("systolic_mmhg", std::to_string(s.systolic_pressure_pa / units::kPaPerMmHg));
  ::testing::Test::RecordProperty("diastolic_mmhg", std::to_string(s.diastolic_pressure_pa / units::kPaPerMmHg));
}

// 200 steps per 0.8 s beat is a 250 Hz signal, 500 steps 625 Hz.
INSTANTIATE_TEST_SUITE_P(StepsPerCycle, ClosedLoopWaveform, ::testing::Values(200, 500));

}  // namespace
