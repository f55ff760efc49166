// SPDX-License-Identifier: Apache-2.0
#pragma once
// The one table of 0D block types: config key -> factory (STYLE.md §7). The key is the string
// in the model JSON, the heading in docs/physics.md and the entry below.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "ptwin/physics/zerod/block.hpp"
#include "ptwin/physics/zerod/parameter_reader.hpp"

namespace ptwin::physics::zerod {

struct BlockContext {
  std::optional<double> heart_period_s;  // needed by chambers
  std::string where;                     // path of the block in the model file
};

using BlockFactory =
    std::function<std::unique_ptr<Block>(std::string name, ParameterReader&, const BlockContext&)>;
using BlockRegistry = std::map<std::string, BlockFactory, std::less<>>;

[[nodiscard]] const BlockRegistry& block_registry();

}  // namespace ptwin::physics::zerod
