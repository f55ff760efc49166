// SPDX-License-Identifier: Apache-2.0
// The periodic output grid of each patient (clinical/fhir/output_schedule.hpp): at most one
// output per slot of the grid, a phase that depends on the patient id alone, and patients that start
// together spread over the interval instead of writing in one burst.
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ptwin/clinical/fhir/output_schedule.hpp"

namespace {

using namespace std::chrono_literals;
namespace cf = ptwin::clinical::fhir;

const ptwin::time::Instant kStart = ptwin::time::from_epoch_ms(1'767'225'600'000);

TEST(OutputSchedule, TheNextOutputIsDueAtThePatientsNextGridPoint) {
  for (const auto interval : {std::chrono::nanoseconds(1s), std::chrono::nanoseconds(60s)}) {
    for (const std::string id : {"p1", "p2", "bed-07", "load-13", ""}) {
      const auto phase = cf::output_phase(id, interval);
      ASSERT_GE(phase.count(), 0);
      ASSERT_LT(phase, interval);
      EXPECT_EQ(cf::output_phase(id, interval), phase) << "the phase depends on the id alone";
      for (const auto last : {kStart, kStart + 123'456'789ns, kStart - 17s, kStart + 1h}) {
        const auto due = cf::next_output_due(id, last, interval);
        EXPECT_GT(due, last) << id;
        EXPECT_LE(due, last + interval) << id;
        EXPECT_EQ((due.time_since_epoch() - phase) % interval, 0ns) << id;
        // From a grid point, or from anywhere inside its slot, the next slot's start.
        EXPECT_EQ(cf::next_output_due(id, due, interval), due + interval) << id;
        EXPECT_EQ(cf::next_output_due(id, due + interval - 1ns, interval), due + interval) << id;
      }
    }
  }
}

TEST(OutputSchedule, PatientsStartedTogetherAreSpreadOverTheInterval) {
  // The load test's 20 patients (ptwin load-test names them load-1 .. load-20), 1 s interval:
  // with one common grid all 20 outputs would fall in the same instant.
  std::vector<std::chrono::nanoseconds> phases;
  for (int i = 1; i <= 20; ++i) phases.push_back(cf::output_phase(fmt::format("load-{}", i), 1s));
  std::sort(phases.begin(), phases.end());
  for (std::size_t i = 0; i < phases.size(); ++i) {
    const auto window_end = phases[i] + 50ms;
    const auto in_window =
        std::count_if(phases.begin(), phases.end(), [&](auto p) { return p >= phases[i] && p < window_end; });
    EXPECT_LE(in_window, 4) << "outputs within 50 ms of each other";
  }
  for (std::size_t i = 1; i < phases.size(); ++i) EXPECT_LT(phases[i] - phases[i - 1], 250ms);
}

}  // namespace
