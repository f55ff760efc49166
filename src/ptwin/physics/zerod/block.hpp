// SPDX-License-Identifier: Apache-2.0
#pragma once
// Base of every 0D block. A block owns a few rows of the network DAE
//   R(y, ydot, t) = 0
// and reads the unknowns of its ports (one pressure and one flow per connection) and of its
// internal variables. Every block contributes exactly (ports + internal variables) equations,
// so that a network in which every connection joins two ports is square.
//
// Sign convention: the flow of a connection is positive from the upstream block (for which it is
// an outlet) to the downstream block (for which it is an inlet). All values are SI.

#include <string>
#include <string_view>
#include <vector>

#include "ptwin/physics/zerod/sparse_system.hpp"

namespace ptwin::physics::zerod {

enum class VariableKind { Pressure, Flow, Volume };

struct InternalVariable {
  std::string name;  // e.g. "volume", "pressure_c"
  VariableKind kind;
};

/// How many inlets and outlets a block accepts; -1 means unbounded.
struct PortRule {
  int min_inlets;
  int max_inlets;
  int min_outlets;
  int max_outlets;
  int min_ports = 0;  // total, for boundary blocks that take one port of either direction
  int max_ports = -1;
};

/// Global indices of a block's unknowns and rows, set by the Model when it wires the network.
struct BlockBinding {
  std::vector<int> inlet_pressure;
  std::vector<int> inlet_flow;
  std::vector<int> outlet_pressure;
  std::vector<int> outlet_flow;
  std::vector<int> internal;
  int first_row = 0;
};

/// A named value a block reports for output beyond its port pressures and flows.
struct DerivedOutput {
  std::string name;  // e.g. "elastance", "valve_open"
  std::string unit;  // SI unit, e.g. "Pa/m3", "1"
  double value;
};

class Block {
 public:
  explicit Block(std::string name) : name_(std::move(name)) {}
  virtual ~Block() = default;
  Block(const Block&) = delete;
  Block& operator=(const Block&) = delete;

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] virtual std::string_view type() const = 0;
  [[nodiscard]] virtual PortRule port_rule() const = 0;
  [[nodiscard]] virtual std::vector<InternalVariable> internal_variables() const { return {}; }

  void bind(BlockBinding binding) { binding_ = std::move(binding); }
  [[nodiscard]] const BlockBinding& binding() const { return binding_; }
  [[nodiscard]] int port_count() const {
    return static_cast<int>(binding_.inlet_flow.size() + binding_.outlet_flow.size());
  }
  [[nodiscard]] int equation_count() const {
    return port_count() + static_cast<int>(binding_.internal.size());
  }

  /// Declares every Jacobian entry the block may write (all modes of a switching block).
  virtual void declare(SparseSystem& system) = 0;

  /// Adds the block's residual rows and their derivatives at time t_s.
  virtual void evaluate(double t_s, const double* y, const double* ydot,
                        SparseSystem& system) const = 0;

  /// Discrete state (event valves): called after a converged step. Returns true when the state
  /// switched, in which case the integrator repeats the step with the new state.
  [[nodiscard]] virtual bool update_discrete_state(double /*t_s*/, const double* /*y*/) {
    return false;
  }

  /// Steady mode, used only to compute a steady initial condition (simulation.steady_initial):
  /// prescribed signals take their time average and boundary capacitances are switched off, as
  /// svZeroDSolver does. Blocks without a steady form ignore it.
  void set_steady(bool is_steady) { is_steady_ = is_steady; }
  [[nodiscard]] bool is_steady() const { return is_steady_; }

  /// Writes the block's preferred initial values of its internal variables into y (none of
  /// the current blocks has any: chamber volumes start from initial_conditions).
  virtual void initialise(double* /*y*/) const {}

  /// Outputs beyond port pressures and flows (chamber volume and elastance, valve state, ...).
  [[nodiscard]] virtual std::vector<DerivedOutput> derived_outputs(double /*t_s*/,
                                                                   const double* /*y*/) const {
    return {};
  }

  /// Human-readable name of the equation in local row `row` (for divergence diagnostics).
  [[nodiscard]] virtual std::string equation_name(int row) const;

 protected:
  [[nodiscard]] int row(int local) const { return binding_.first_row + local; }

 private:
  std::string name_;
  BlockBinding binding_;
  bool is_steady_ = false;
};

}  // namespace ptwin::physics::zerod
