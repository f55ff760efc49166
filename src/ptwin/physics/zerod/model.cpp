// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/model.hpp"

#include <map>
#include <set>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::physics::zerod {
namespace {

std::string describe_count(int min, int max) {
  if (max < 0) return fmt::format("at least {}", min);
  if (min == max) return fmt::format("exactly {}", min);
  return fmt::format("{} to {}", min, max);
}

void check_port_count(const Block& block, std::string_view what, int count, int min, int max) {
  if (count < min || (max >= 0 && count > max)) {
    throw InputError(ErrorCode::ModelTopology, fmt::format("block '{}' ({})", block.name(),
                                                           block.type()),
                     fmt::format("{} {}", count, what),
                     fmt::format("needs {} {}", describe_count(min, max), what));
  }
}

}  // namespace

Model::Model(std::string name, std::vector<std::unique_ptr<Block>> blocks,
             std::vector<Connection> connections, std::optional<double> period_s)
    : name_(std::move(name)),
      blocks_(std::move(blocks)),
      connections_(std::move(connections)),
      period_s_(period_s) {
  if (blocks_.empty()) {
    throw InputError(ErrorCode::ModelTopology, name_, "0 blocks", "a model needs blocks");
  }
  std::map<std::string, std::size_t, std::less<>> index_of;
  for (std::size_t i = 0; i < blocks_.size(); ++i) {
    if (!index_of.emplace(blocks_[i]->name(), i).second) {
      throw InputError(ErrorCode::ModelTopology, fmt::format("blocks[{}].name", i),
                       blocks_[i]->name(), "is used by more than one block");
    }
  }
  std::vector<BlockBinding> bindings(blocks_.size());
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t c = 0; c < connections_.size(); ++c) {
    const auto& [from, to] = connections_[c];
    for (const auto* end : {&from, &to}) {
      if (!index_of.contains(*end)) {
        throw InputError(ErrorCode::ModelTopology, fmt::format("connections[{}]", c), *end,
                         "is not the name of a block");
      }
    }
    if (from == to || !seen.emplace(from, to).second) {
      throw InputError(ErrorCode::ModelTopology, fmt::format("connections[{}]", c),
                       fmt::format("{} -> {}", from, to),
                       from == to ? "connects a block to itself" : "is given twice");
    }
    const int pressure = static_cast<int>(variables_.size());
    variables_.push_back({fmt::format("pressure:{}:{}", from, to), VariableKind::Pressure});
    variables_.push_back({fmt::format("flow:{}:{}", from, to), VariableKind::Flow});
    auto& upstream = bindings[index_of.at(from)];
    upstream.outlet_pressure.push_back(pressure);
    upstream.outlet_flow.push_back(pressure + 1);
    auto& downstream = bindings[index_of.at(to)];
    downstream.inlet_pressure.push_back(pressure);
    downstream.inlet_flow.push_back(pressure + 1);
  }
  int next_row = 0;
  for (std::size_t i = 0; i < blocks_.size(); ++i) {
    auto& block = *blocks_[i];
    auto& binding = bindings[i];
    const auto rule = block.port_rule();
    const int inlets = static_cast<int>(binding.inlet_flow.size());
    const int outlets = static_cast<int>(binding.outlet_flow.size());
    check_port_count(block, "inlets", inlets, rule.min_inlets, rule.max_inlets);
    check_port_count(block, "outlets", outlets, rule.min_outlets, rule.max_outlets);
    check_port_count(block, "connections", inlets + outlets, rule.min_ports, rule.max_ports);
    for (const auto& internal : block.internal_variables()) {
      binding.internal.push_back(static_cast<int>(variables_.size()));
      variables_.push_back({fmt::format("{}:{}", internal.name, block.name()), internal.kind});
    }
    binding.first_row = next_row;
    block.bind(std::move(binding));
    next_row += block.equation_count();
    row_owner_.insert(row_owner_.end(), static_cast<std::size_t>(block.equation_count()),
                      static_cast<int>(i));
  }
  // Equations = 2 x connections + internals holds when every connection joins two ports.
  if (next_row != size()) {
    throw InputError(ErrorCode::ModelTopology, name_,
                     fmt::format("{} equations, {} unknowns", next_row, size()),
                     "the network is not square; check the connections");
  }
  for (auto& block : blocks_) block->declare(system_);
  system_.finalize(size());
}

int Model::variable_index(std::string_view name) const {
  for (std::size_t i = 0; i < variables_.size(); ++i) {
    if (variables_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

const Block* Model::find_block(std::string_view name) const {
  for (const auto& block : blocks_) {
    if (block->name() == name) return block.get();
  }
  return nullptr;
}

void Model::set_initial_value(std::string_view variable, double value_si) {
  const int index = variable_index(variable);
  if (index < 0) {
    throw InputError(ErrorCode::BadInput, "initial_conditions", std::string(variable),
                     "is not a variable of the model (names look like pressure:<from>:<to>, "
                     "flow:<from>:<to>, volume:<chamber>)");
  }
  initial_values_.emplace_back(index, value_si);
}

std::vector<double> Model::initial_state() const {
  std::vector<double> y(static_cast<std::size_t>(size()), 0.0);
  for (const auto& block : blocks_) block->initialise(y.data());
  for (const auto& [index, value] : initial_values_) y[static_cast<std::size_t>(index)] = value;
  return y;
}

void Model::evaluate(double t_s, const double* y, const double* ydot, double coefficient_dy,
                     double coefficient_dydot) {
  system_.begin_evaluation(coefficient_dy, coefficient_dydot);
  for (const auto& block : blocks_) block->evaluate(t_s, y, ydot, system_);
}

void Model::evaluate_residual(double t_s, const double* y, const double* ydot) {
  system_.begin_residual_evaluation();
  for (const auto& block : blocks_) block->evaluate(t_s, y, ydot, system_);
}

void Model::set_steady(bool is_steady) {
  for (auto& block : blocks_) block->set_steady(is_steady);
}

bool Model::update_discrete_states(double t_s, const double* y) {
  bool is_switched = false;
  for (auto& block : blocks_) is_switched = block->update_discrete_state(t_s, y) || is_switched;
  return is_switched;
}

std::string Model::describe_row(int row) const {
  const auto& block = *blocks_[static_cast<std::size_t>(row_owner_[static_cast<std::size_t>(row)])];
  return fmt::format("block '{}' ({}), {}", block.name(), block.type(),
                     block.equation_name(row - block.binding().first_row));
}

}  // namespace ptwin::physics::zerod
