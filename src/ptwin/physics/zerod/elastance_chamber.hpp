// SPDX-License-Identifier: Apache-2.0
#pragma once
// Time-varying elastance chamber (Suga & Sagawa 1974, suga1974instantaneous):
//   P_in - E(t) (V - V_rest(t)) = 0            E(t) = E_pass + E_act A(t)
//   P_in - P_out - L dQ_out/dt = 0             (optional outflow inertance, L = 0 by default)
//   Q_in - Q_out - dV/dt = 0
// V_rest is constant (rest_volume) or, given diastolic_rest_volume and systolic_rest_volume,
// V_rest(t) = V_rs + (1 - A(t)) (V_rd - V_rs) (svZeroDSolver's ChamberElastanceInductor).
// Internal variable: volume V. The chamber pressure is its inlet pressure.
// Parameters: passive_elastance E_pass [Pa/m3], active_elastance E_act [Pa/m3],
//   rest_volume [m3] (or the two rest volumes), inductance [Pa s2/m3] (0),
//   activation: {"type": "piecewise_cosine" | "two_hill" | "half_cosine", ...}.

#include <memory>

#include "ptwin/physics/zerod/activation_function.hpp"
#include "ptwin/physics/zerod/block.hpp"

namespace ptwin::physics::zerod {

struct ElastanceChamberParameters {
  double passive_elastance_pa_per_m3 = 0.0;
  double active_elastance_pa_per_m3 = 0.0;
  double diastolic_rest_volume_m3 = 0.0;
  double systolic_rest_volume_m3 = 0.0;
  double inductance_pa_s2_per_m3 = 0.0;
};

class ElastanceChamber final : public Block {
 public:
  ElastanceChamber(std::string name, ElastanceChamberParameters parameters,
                   std::unique_ptr<ActivationFunction> activation);
  [[nodiscard]] std::string_view type() const override { return "elastance_chamber"; }
  [[nodiscard]] PortRule port_rule() const override { return {1, 1, 1, 1}; }
  [[nodiscard]] std::vector<InternalVariable> internal_variables() const override {
    return {{"volume", VariableKind::Volume}};
  }
  void declare(SparseSystem& system) override;
  void evaluate(double t_s, const double* y, const double* ydot,
                SparseSystem& system) const override;
  [[nodiscard]] std::vector<DerivedOutput> derived_outputs(double t_s,
                                                           const double* y) const override;
  [[nodiscard]] std::string equation_name(int row) const override;
  [[nodiscard]] double elastance_pa_per_m3(double t_s) const;
  [[nodiscard]] const ElastanceChamberParameters& parameters() const { return parameters_; }

 private:
  ElastanceChamberParameters parameters_;
  std::unique_ptr<ActivationFunction> activation_;
  EntryHandle pressure_entries_[2]{};  // P_in, V
  EntryHandle inertia_entries_[3]{};   // P_in, P_out, Q_out
  EntryHandle volume_entries_[3]{};    // Q_in, Q_out, V
};

}  // namespace ptwin::physics::zerod
