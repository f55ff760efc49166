// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/block.hpp"

#include <fmt/format.h>

namespace ptwin::physics::zerod {

std::string Block::equation_name(int row) const { return fmt::format("equation {}", row); }

}  // namespace ptwin::physics::zerod
