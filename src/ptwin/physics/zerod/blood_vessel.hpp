// SPDX-License-Identifier: Apache-2.0
#pragma once
// Blood vessel: resistor (with optional quadratic stenosis term), capacitor and inductor, in one
// of two arrangements chosen by capacitor_position.
//
// after_resistance (default; svZeroDSolver's BloodVessel): R, then C to ground, then L:
//   P_in - P_out - (R + S |Q_in|) Q_in - L dQ_out/dt = 0                      (momentum)
//   Q_in - Q_out - C d/dt[ P_in - (R + S |Q_in|) Q_in ] = 0                   (mass)
// i.e. the capacitor sees the pressure after the viscous and stenotic losses.
//
// inlet (svZeroDSolver's BloodVesselCRL): C to ground at the inlet, then R and L in series:
//   P_in - P_out - (R + S |Q_out|) Q_out - L dQ_out/dt = 0                    (momentum)
//   Q_in - Q_out - C dP_in/dt = 0                                            (mass)
//
// With C = 0 and L = 0 both are the same (nonlinear) resistor. The quadratic term S|Q|Q is the expansion loss of a
// stenosis, S = K_t rho / (2 A_0^2) (A_0/A_s - 1)^2 (Young & Tsai 1973, see docs/references.bib
// young1973flow).
//
// Parameters (SI):
//   resistance R [Pa s/m3], capacitance C [m3/Pa] (0), inductance L [Pa s2/m3] (0),
//   stenosis_coefficient S [Pa s2/m6] (0), capacitor_position "after_resistance" | "inlet"
//   (after_resistance).
// Config: {"type": "blood_vessel", "parameters": {"resistance": "0.05 mm[Hg].s/mL",
//          "capacitance": "0.8 mL/mm[Hg]", "inductance": "0.002 mm[Hg].s2/mL"}}

#include "ptwin/physics/zerod/block.hpp"
#include "ptwin/physics/zerod/parameter_reader.hpp"

namespace ptwin::physics::zerod {

struct BloodVesselParameters {
  double resistance_pa_s_per_m3 = 0.0;
  double capacitance_m3_per_pa = 0.0;
  double inductance_pa_s2_per_m3 = 0.0;
  double stenosis_pa_s2_per_m6 = 0.0;
  bool is_capacitor_at_inlet = false;  // capacitor_position "inlet"
};

class BloodVessel final : public Block {
 public:
  BloodVessel(std::string name, BloodVesselParameters parameters);
  /// Reads the parameters of a "blood_vessel" (all of them) or a "resistance" (R only) block.
  static BloodVesselParameters read(ParameterReader& reader, bool is_resistance_only);

  [[nodiscard]] std::string_view type() const override { return "blood_vessel"; }
  [[nodiscard]] PortRule port_rule() const override { return {1, 1, 1, 1}; }
  void declare(SparseSystem& system) override;
  void evaluate(double t_s, const double* y, const double* ydot,
                SparseSystem& system) const override;
  [[nodiscard]] std::string equation_name(int row) const override;
  [[nodiscard]] const BloodVesselParameters& parameters() const { return parameters_; }

 private:
  void evaluate_capacitor_at_inlet(const double* y, const double* ydot,
                                   SparseSystem& system) const;
  BloodVesselParameters parameters_;
  EntryHandle momentum_[4]{};  // P_in, P_out, Q_in, Q_out
  EntryHandle mass_[3]{};      // P_in, Q_in, Q_out
};

}  // namespace ptwin::physics::zerod
