// SPDX-License-Identifier: Apache-2.0
// Mass conservation in a branching tree 1 -> 2 -> 4 with pulsatile inflow and RCR outlets.
//
// Junctions are lossless: sum of inflows = sum of outflows and equal pressures at every port.
// Both are linear rows, and Newton on a linear row is exact after one update whatever the other
// rows do, so they hold at every converged step to round-off, not merely to Newton's tolerance.
// Over one cycle, inflow - outflow = (change of stored volume) / T. At the periodic state the
// stored volume returns to its start, so the cycle means agree. Discretely: generalized-alpha
// imposes C dP/dt = Q_in - Q_out at t_{n+alpha}, and over a periodic cycle the alpha-level sums
// telescope to the grid sums, so sum_n (Q_in - Q_out)_n = sum_i C_i (P_i(T) - P_i(0)) / dt:
// exact up to the residual cycle-to-cycle change (this holds for linear capacitors; the stenosed
// branch below therefore has no capacitance).

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "ptwin/physics/zerod/simulation.hpp"
#include "verification/physics/zerod_verification_support.hpp"
#include "verification/verification_case.hpp"

namespace ptwin::physics::zerod::testing {
namespace {

using ptwin::testing::record_verification;
using ptwin::testing::VerificationCase;

nlohmann::json vessel(const std::string& name, std::string_view resistance,
                      std::string_view capacitance, std::string_view stenosis = "0 mm[Hg].s2/mL2") {
  return {{"name", name},
          {"type", "blood_vessel"},
          {"parameters",
           {{"resistance", std::string(resistance)},
            {"capacitance", std::string(capacitance)},
            {"inductance", "0.002 mm[Hg].s2/mL"},
            {"stenosis_coefficient", std::string(stenosis)}}}};
}

nlohmann::json rcr(const std::string& name) {
  return {{"name", name},
          {"type", "rcr_windkessel"},
          {"parameters",
           {{"proximal_resistance", "0.4 mm[Hg].s/mL"},
            {"capacitance", "0.25 mL/mm[Hg]"},
            {"distal_resistance", "3.6 mm[Hg].s/mL"}}}};
}

/// inflow -> v0 -> j0 -> {v1a, v1b}; v1a -> j1a -> {v2a, v2b}; v1b -> j1b -> {v2c, v2d};
/// each v2x -> an RCR. v1b is stenosed (C = 0, see the header comment).
std::unique_ptr<Model> branching_tree() {
  std::vector<nlohmann::json> blocks{
      {{"name", "inflow"},
       {"type", "prescribed_flow"},
       {"parameters",
        {{"flow",
          {{"kind", "fourier"},
           {"unit", "mL/s"},
           {"period", "0.8 s"},
           {"mean", 90.0},
           {"cosine", nlohmann::json::array({-30.0, 10.0})},
           {"sine", nlohmann::json::array({70.0, -20.0})}}}}}},
      vessel("v0", "0.02 mm[Hg].s/mL", "0.3 mL/mm[Hg]"),
      {{"name", "j0"}, {"type", "junction"}},
      vessel("v1a", "0.05 mm[Hg].s/mL", "0.1 mL/mm[Hg]"),
      vessel("v1b", "0.08 mm[Hg].s/mL", "0 mL/mm[Hg]", "0.004 mm[Hg].s2/mL2"),
      {{"name", "j1a"}, {"type", "junction"}},
      {{"name", "j1b"}, {"type", "junction"}}};
  std::vector<std::pair<std::string, std::string>> connections{
      {"inflow", "v0"}, {"v0", "j0"},   {"j0", "v1a"},  {"j0", "v1b"},  {"v1a", "j1a"},
      {"v1b", "j1b"},   {"j1a", "v2a"}, {"j1a", "v2b"}, {"j1b", "v2c"}, {"j1b", "v2d"}};
  for (const std::string outlet : {"a", "b", "c", "d"}) {
    blocks.push_back(vessel("v2" + outlet, "0.1 mm[Hg].s/mL", "0.05 mL/mm[Hg]"));
    blocks.push_back(rcr("rcr_" + outlet));
    connections.emplace_back("v2" + outlet, "rcr_" + outlet);
  }
  return build_inline_model(std::move(blocks), connections);
}

struct JunctionPorts {
  std::string inlet;                 // channel of the flow entering the junction
  std::vector<std::string> outlets;  // channels of the flows leaving it
};

const std::vector<JunctionPorts> kJunctions{{"v0.flow_out", {"v1a.flow_in", "v1b.flow_in"}},
                                            {"v1a.flow_out", {"v2a.flow_in", "v2b.flow_in"}},
                                            {"v1b.flow_out", {"v2c.flow_in", "v2d.flow_in"}}};

SimulationResult run_tree() {
  auto model = branching_tree();
  SimulationSettings settings;
  settings.steps_per_cycle = 800;
  settings.period_s = 0.8;
  settings.min_cycles = 2;
  settings.max_cycles = 200;
  settings.steady_state_tolerance = 1e-10;
  // Default Newton settings on purpose: conservation must not depend on tight tolerances.
  return simulate(*model, settings);
}

const VerificationCase kJunctionBalance{
    .id = "zerod.junction.mass_balance",
    .source =
        "conservation of mass at a lossless junction (Kirchhoff's current law); "
        "docs/verification.md#zerod-junction",
    .quantity =
        "sum of inflows - sum of outflows at each of the 3 junctions of a 1-2-4 tree, "
        "every time step of the last cycle",
    .norm = "max |sum Q_in - sum Q_out| / max |Q_inflow|",
    .tolerance = 1e-10,
    .tolerance_reason =
        "linear row solved exactly by each Newton update: round-off only "
        "(~1e-16 x condition number of the Newton matrix); a leaking junction "
        "errs by the leak itself",
};

TEST(Junction, InflowEqualsOutflowAtEveryStepOfABranchingTree) {
  const auto result = run_tree();
  ASSERT_EQ(result.status, SimulationStatus::Completed) << result.message;
  const auto& inflow = result.series("inflow.flow_out");
  double scale = 0.0;
  for (const double q : inflow) scale = std::max(scale, std::abs(q));
  double worst = 0.0;
  for (const auto& junction : kJunctions) {
    const auto& q_in = result.series(junction.inlet);
    for (std::size_t k = 0; k < result.times_s.size(); ++k) {
      double balance = q_in[k];
      for (const auto& outlet : junction.outlets) balance -= result.series(outlet)[k];
      worst = std::max(worst, std::abs(balance) / scale);
    }
  }
  record_verification(kJunctionBalance, worst);
  EXPECT_LT(worst, kJunctionBalance.tolerance) << kJunctionBalance.id;
}

TEST(Junction, PortPressuresAreEqualAtEveryStep) {
  const auto result = run_tree();
  ASSERT_EQ(result.status, SimulationStatus::Completed) << result.message;
  double worst = 0.0;
  for (const auto& junction : kJunctions) {
    const auto in_name = junction.inlet.substr(0, junction.inlet.find('.')) + ".pressure_out";
    const auto& p_in = result.series(in_name);
    for (const auto& outlet : junction.outlets) {
      const auto& p_out = result.series(outlet.substr(0, outlet.find('.')) + ".pressure_in");
      for (std::size_t k = 0; k < p_in.size(); ++k) {
        worst = std::max(worst, std::abs(p_in[k] - p_out[k]) / std::abs(p_in[k]));
      }
    }
  }
  EXPECT_LT(worst, kJunctionBalance.tolerance)
      << "pressure continuity, same reason as " << kJunctionBalance.id;
}

const VerificationCase kCycleMeanBalance{
    .id = "zerod.tree.cycle_mean_balance",
    .source =
        "conservation of mass over a cycle at periodic steady state (stored volume returns "
        "to its start); docs/verification.md#zerod-junction",
    .quantity = "cycle-mean inflow vs the sum of the 4 cycle-mean RCR inflows, last cycle",
    .norm = "|mean Q_in - sum mean Q_out| / mean Q_in",
    .tolerance = 1e-8,
    .tolerance_reason =
        "stored-volume change over the last cycle <= cycle change (1e-10) x "
        "sum C_i (1.6 mL/mm[Hg]) x pressure range (~40 mm[Hg]) ~ 6e-9 mL, "
        "~1e-10 of the 72 mL per cycle; x100 margin for round-off in the sums",
};

TEST(BranchingTree, CycleMeanOutflowsSumToCycleMeanInflowAtPeriodicState) {
  const auto result = run_tree();
  ASSERT_EQ(result.status, SimulationStatus::Completed) << result.message;
  // Samples 1..N of the last cycle (sample 0 repeats sample N at the periodic state), so the
  // plain mean equals the periodic trapezoidal rule.
  const auto cycle_mean = [&](std::string_view channel) {
    const auto& series = result.series(channel);
    double sum = 0.0;
    for (std::size_t k = 1; k < series.size(); ++k) sum += series[k];
    return sum / static_cast<double>(series.size() - 1);
  };
  const double mean_in = cycle_mean("inflow.flow_out");
  double mean_out = 0.0;
  for (const std::string outlet : {"a", "b", "c", "d"})
    mean_out += cycle_mean("rcr_" + outlet + ".flow_in");
  EXPECT_NEAR(mean_in, 90.0 * kM3PerMl, 1e-12 * mean_in) << "Fourier mean of the inflow";
  const double error = std::abs(mean_in - mean_out) / mean_in;
  record_verification(kCycleMeanBalance, error);
  EXPECT_LT(error, kCycleMeanBalance.tolerance) << kCycleMeanBalance.id;
}

}  // namespace
}  // namespace ptwin::physics::zerod::testing
