// SPDX-License-Identifier: Apache-2.0
#pragma once
// Shared port access of boundary blocks: one connection, at the inlet or the outlet side.
// `flow_into_block_sign()` turns the connection's flow (positive downstream) into the flow that
// enters the block: +1 when the block is the downstream end, -1 when it feeds the network.

#include "ptwin/physics/zerod/block.hpp"

namespace ptwin::physics::zerod {

class BoundaryBlock : public Block {
 public:
  using Block::Block;
  [[nodiscard]] PortRule port_rule() const override { return {0, 1, 0, 1, 1, 1}; }

 protected:
  [[nodiscard]] int port_pressure() const {
    const auto& b = binding();
    return b.inlet_pressure.empty() ? b.outlet_pressure[0] : b.inlet_pressure[0];
  }
  [[nodiscard]] int port_flow() const {
    const auto& b = binding();
    return b.inlet_flow.empty() ? b.outlet_flow[0] : b.inlet_flow[0];
  }
  [[nodiscard]] double flow_into_block_sign() const {
    return binding().inlet_flow.empty() ? -1.0 : 1.0;
  }
};

}  // namespace ptwin::physics::zerod
