// SPDX-License-Identifier: Apache-2.0
#pragma once
// A 0D network: blocks joined by connections, assembled into one square sparse DAE.
// Each connection "from -> to" owns two unknowns, pressure:<from>:<to> and flow:<from>:<to>
// (flow positive from -> to); each internal variable is <name>:<block> (e.g. volume:lv).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/physics/zerod/block.hpp"
#include "ptwin/physics/zerod/sparse_system.hpp"

namespace ptwin::physics::zerod {

struct Connection {
  std::string from;
  std::string to;
  friend bool operator==(const Connection&, const Connection&) = default;
};

struct VariableInfo {
  std::string name;
  VariableKind kind;
};

class Model {
 public:
  /// Wires the blocks; throws InputError(ModelTopology) naming the block or connection when a
  /// name is unknown or duplicated, or a block has the wrong number of inlets or outlets.
  Model(std::string name, std::vector<std::unique_ptr<Block>> blocks,
        std::vector<Connection> connections, std::optional<double> period_s);

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] int size() const { return static_cast<int>(variables_.size()); }
  [[nodiscard]] const std::vector<VariableInfo>& variables() const { return variables_; }
  [[nodiscard]] const std::vector<std::unique_ptr<Block>>& blocks() const { return blocks_; }
  [[nodiscard]] const std::vector<Connection>& connections() const { return connections_; }
  /// The heart (or signal) period, if the model has one.
  [[nodiscard]] std::optional<double> period_s() const { return period_s_; }

  [[nodiscard]] int variable_index(std::string_view name) const;  // -1 if absent
  [[nodiscard]] const Block* find_block(std::string_view name) const;

  /// Sets an initial value in SI; throws InputError naming the variable if it does not exist.
  void set_initial_value(std::string_view variable, double value_si);
  /// Zeros, then the blocks' own initial values, then the values set by set_initial_value.
  [[nodiscard]] std::vector<double> initial_state() const;

  /// Assembles R(y, ydot, t) and K = c_y dR/dy + c_ydot dR/dydot into system().
  void evaluate(double t_s, const double* y, const double* ydot, double coefficient_dy,
                double coefficient_dydot);
  /// Assembles R(y, ydot, t) alone; K in system() keeps the values of the last evaluate().
  void evaluate_residual(double t_s, const double* y, const double* ydot);
  [[nodiscard]] SparseSystem& system() { return system_; }
  [[nodiscard]] const SparseSystem& system() const { return system_; }

  /// Switches every block into or out of steady mode (see Block::set_steady).
  void set_steady(bool is_steady);

  /// Lets switching blocks update their discrete state after a converged step.
  [[nodiscard]] bool update_discrete_states(double t_s, const double* y);

  /// The block and equation that own a global row (for diagnostics).
  [[nodiscard]] std::string describe_row(int row) const;

 private:
  std::string name_;
  std::vector<std::unique_ptr<Block>> blocks_;
  std::vector<Connection> connections_;
  std::optional<double> period_s_;
  std::vector<VariableInfo> variables_;
  std::vector<std::pair<int, double>> initial_values_;
  std::vector<int> row_owner_;  // row -> block index
  SparseSystem system_;
};

}  // namespace ptwin::physics::zerod
