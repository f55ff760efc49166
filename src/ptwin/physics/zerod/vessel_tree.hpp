// SPDX-License-Identifier: Apache-2.0
#pragma once
// Synthetic arterial tree for scaling tests and benchmarks: a heap-ordered binary tree of
// blood_vessel blocks (vessel i feeds vessels 2i+1 and 2i+2 through a junction), a prescribed
// periodic inflow at the root and an rcr_windkessel at every leaf. Returned as a ptwin.zerod/1
// model JSON (model_builder.hpp), so it goes through the same validation as a hand-written file.
//
// Vessel of generation g (root: g = 0):
//   radius r_g = r_0 2^(-g/3)                    Murray's law for a symmetric bifurcation
//                                                 (Murray 1926, murray1926physiological)
//   length l_g = l_0 2^(-g/3)                     (constant length-to-radius ratio)
//   R = 8 mu l / (pi r^4)                         Poiseuille resistance
//   L = rho l / (pi r^2)                          blood inertance
//   C = 3 pi r^3 l / (2 E h),  h = wall_ratio r   thin-walled linear elastic tube
// Unknowns: 2 per connection (pressure, flow) + 1 per Windkessel = 4.5 N + 0.5 for N vessels
// (N = 191 gives 860, 96 outlets). The inflow is
//   Q(t) = Q_0 + Q_1 sin(2 pi t / T) + Q_2 sin(4 pi t / T + 0.5),
// tabulated at `inflow_points` points and interpolated linearly, as svZeroDSolver's FLOW
// boundary does, so that both solvers see the same signal. The state starts at rest except
// the inflow connection's flow, which starts at Q(0).

#include <nlohmann/json.hpp>

namespace ptwin::physics::zerod {

struct VesselTreeOptions {
  int vessel_count = 191;  // odd, so that every non-leaf vessel bifurcates
  double root_radius_m = 0.01;
  double root_length_m = 0.05;
  double viscosity_pa_s = 0.004;
  double density_kg_per_m3 = 1060.0;
  double young_modulus_pa = 1.0e6;
  double wall_ratio = 0.1;  // wall thickness / radius
  // Outlets in parallel: total R_p + R_d and total C, split evenly over the leaves.
  double total_outlet_resistance_pa_s_per_m3 = 1.2e8;
  double proximal_fraction = 0.1;
  double total_outlet_capacitance_m3_per_pa = 1.0e-8;
  double period_s = 1.0;
  double mean_inflow_m3_per_s = 80e-6;
  double first_harmonic_m3_per_s = 40e-6;
  double second_harmonic_m3_per_s = 15e-6;
  int inflow_points = 100;
};

/// Builds the tree model JSON. Throws InputError when vessel_count is not odd and positive or
/// inflow_points < 3.
[[nodiscard]] nlohmann::json make_vessel_tree(const VesselTreeOptions& options);

}  // namespace ptwin::physics::zerod
