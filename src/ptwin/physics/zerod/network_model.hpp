// SPDX-License-Identifier: Apache-2.0
#pragma once
// A 0D model (ptwin.zerod/1, model_builder.hpp) of a vessel network extracted from imaging
// (geometry/centerline/vessel_network.hpp): one blood_vessel block per segment, a junction at
// every bifurcation, a prescribed inflow at the inlet and an RCR Windkessel (or a resistance) at
// every outlet (docs/physics.md#0d-models-from-vessel-networks).
//
// Segment parameters, integrated along the measured radius profile r(s) over the length l (so a
// tapering or narrowed segment is a series of short tubes; for a constant radius they reduce to
// the textbook forms):
//   R = (8 mu / pi) int ds / r^4                 Poiseuille resistance          [= 8 mu l/(pi r^4)]
//   L = (rho / pi) int ds / r^2                  blood inertance                [= rho l/(pi r^2)]
//   C = (3 pi / 2) int r^3 / (E h) ds            thin-walled linear elastic     [= 3 pi r^3 l/(2 E h)]
// (Olufsen et al. 2000, Ann Biomed Eng 28:1281, olufsen2000numerical; the same lumped forms as
// svZeroDSolver's BloodVessel and as Formaggia, Quarteroni & Veneziani 2009, Cardiovascular
// Mathematics, ch. 10). The wall stiffness E h / r is, unless given, Olufsen's empirical fit
//   E h / r0 = k1 exp(k2 r0) + k3,  k1 = 2.0e6 Pa, k2 = -2253 1/m, k3 = 8.65e4 Pa
// (Olufsen 1999/2000, fitted to human arteries; the CGS values 2e7 g/(s^2 cm), -22.53 1/cm,
// 8.65e5 g/(s^2 cm) in SI).
//
// Stenosis: each stenosis record adds the expansion loss S |Q| Q of Young & Tsai (1973,
// J Biomech 6:395, young1973flow):
//   S = K_t rho / (2 A0^2) (A0 / As - 1)^2,  A0 = pi r_ref^2, As = pi r_min^2, K_t = 1.52
// Their viscous term is not added: the Poiseuille integral over the measured profile already
// carries the narrowed part's viscous loss (adding K_v would count it twice).
//
// Outlets share the peripheral resistance and compliance so that, with equal distal pressures,
// the flow divides as r^3 (Murray 1926, murray1926physiological) and all outlets have one time
// constant: with r_i the outlet segment's median radius (robust to the wide cut at a bifurcation
// and to a short stenosis) and w_i = r_i^3 / sum_j r_j^3,
//   R_i = R_total / w_i,  C_i = C_total w_i,  R_p,i = proximal_fraction R_i.

#include <nlohmann/json.hpp>
#include <vector>

#include "ptwin/geometry/centerline/vessel_network.hpp"

namespace ptwin::physics::zerod {

enum class OutletModel { Rcr, Resistance };

struct NetworkModelOptions {
  double viscosity_pa_s = 0.004;       // blood, Newtonian at large-vessel shear rates
  double density_kg_per_m3 = 1060.0;
  double stenosis_turbulence_coefficient = 1.52;  // K_t, Young & Tsai 1973
  /// E h / r (Pa); 0 selects Olufsen's fit at each point's radius.
  double wall_stiffness_pa = 0.0;
  bool is_capacitance_included = true;
  bool is_inductance_included = true;
  OutletModel outlet = OutletModel::Rcr;
  // Peripheral bed of the whole network (all outlets in parallel). Defaults: about 90 mmHg at the
  // default inflow and a time constant R C of about 1 s; order-of-magnitude values for a vessel a
  // few millimetres wide, to be set from the patient's pressures and flows.
  double total_outlet_resistance_pa_s_per_m3 = 2.0e9;
  double total_outlet_capacitance_m3_per_pa = 5.0e-10;
  double proximal_fraction = 0.1;      // R_p / (R_p + R_d), RCR only
  double distal_pressure_pa = 0.0;
  double mean_inflow_m3_per_s = 6.0e-6;
  /// Optional inflow waveform over one period (times from 0 to period_s, flows in m3/s); empty
  /// means a constant mean_inflow_m3_per_s.
  std::vector<double> inflow_times_s;
  std::vector<double> inflow_m3_per_s;
  double period_s = 1.0;
};

/// R, C, L and the stenosis coefficient of one segment (SI).
struct SegmentLumpedParameters {
  double resistance_pa_s_per_m3 = 0.0;
  double capacitance_m3_per_pa = 0.0;
  double inductance_pa_s2_per_m3 = 0.0;
  double stenosis_pa_s2_per_m6 = 0.0;
};

/// Olufsen's E h / r0 (Pa) at radius r0 (m).
[[nodiscard]] double olufsen_wall_stiffness_pa(double radius_m);

[[nodiscard]] SegmentLumpedParameters segment_parameters(const geometry::centerline::VesselSegment& segment,
                                                         const NetworkModelOptions& options);

/// The model JSON. Block names: the segment names (blood_vessel), the bifurcation names
/// (junction), the inlet's name (prescribed_flow) and the outlets' names (rcr_windkessel or
/// resistance_boundary). Throws InputError naming the field when the network is invalid
/// (geometry::centerline::validate), a node and a segment share a name, or an option is out of
/// range.
[[nodiscard]] nlohmann::json make_network_model(const geometry::centerline::VesselNetwork& network,
                                                const NetworkModelOptions& options = {});

}  // namespace ptwin::physics::zerod
