// SPDX-License-Identifier: Apache-2.0
#pragma once
// Heart valve between two blocks, in one of three forms.
//
// smooth (svZeroDSolver's ValveTanh law, after Pfaller et al. 2019, pfaller2019importance):
//   P_in - P_out - Q [R_min + (R_max - R_min) s] = 0,  s = (1 + tanh(k (P_out - P_in))) / 2
// event (ideal diode with hysteresis-free switching at step ends):
//   open:   P_in - P_out - R_min Q = 0       closed:  Q = 0
//   an open valve closes when Q < 0; a closed valve opens when P_in > P_out. The integrator
//   repeats a step whose end state switched a valve, so the switch lands in the step where it
//   happens (first order in time at the switch, second order elsewhere).
// piecewise (svZeroDSolver's PiecewiseValve): P_in - P_out - R Q = 0 with R = R_min if
//   P_in > P_out, else R_max. The branch is chosen inside Newton from the current iterate and the
//   Jacobian is that of the active branch (the switch itself is not differentiated), so a step
//   whose iterates cross P_in = P_out may need a few extra iterations.
// All:  Q_in - Q_out = 0.
// Parameters: min_resistance R_min [Pa s/m3] (> 0); smooth: max_resistance R_max [Pa s/m3],
//   steepness k [1/Pa]; piecewise: max_resistance R_max [Pa s/m3]; event: initially_open (false).

#include "ptwin/physics/zerod/block.hpp"

namespace ptwin::physics::zerod {

struct ValveParameters {
  double min_resistance_pa_s_per_m3 = 0.0;
  double max_resistance_pa_s_per_m3 = 0.0;
  double steepness_per_pa = 0.0;
};

class Valve final : public Block {
 public:
  enum class Law { Smooth, Event, Piecewise };
  Valve(std::string name, Law law, ValveParameters parameters, bool is_initially_open);
  [[nodiscard]] std::string_view type() const override {
    switch (law_) {
      case Law::Smooth: return "valve_smooth";
      case Law::Piecewise: return "valve_piecewise";
      case Law::Event: break;
    }
    return "valve_event";
  }
  [[nodiscard]] PortRule port_rule() const override { return {1, 1, 1, 1}; }
  void declare(SparseSystem& system) override;
  void evaluate(double t_s, const double* y, const double* ydot,
                SparseSystem& system) const override;
  [[nodiscard]] bool update_discrete_state(double t_s, const double* y) override;
  [[nodiscard]] std::vector<DerivedOutput> derived_outputs(double t_s,
                                                           const double* y) const override;
  [[nodiscard]] std::string equation_name(int row) const override;
  [[nodiscard]] bool is_open() const { return is_open_; }

 private:
  [[nodiscard]] double closed_weight(double pressure_drop_pa) const;
  Law law_;
  ValveParameters parameters_;
  bool is_open_;
  EntryHandle law_entries_[3]{};   // P_in, P_out, Q_in
  EntryHandle flow_entries_[2]{};  // Q_in, Q_out
};

}  // namespace ptwin::physics::zerod
