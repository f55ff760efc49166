// SPDX-License-Identifier: Apache-2.0
#include "ptwin/core/assert.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::detail {

void assertion_failed(std::string_view condition, std::string_view message,
                      std::string_view file, unsigned line) {
  throw Error(ErrorCode::Internal,
              fmt::format("invariant '{}' broken at {}:{}: {}", condition, file, line, message));
}

}  // namespace ptwin::detail
