// SPDX-License-Identifier: Apache-2.0
#include "ptwin/core/error.hpp"

#include <fmt/format.h>

namespace ptwin {

Error::Error(ErrorCode code, const std::string& message)
    : std::runtime_error(message), code_(code) {}

InputError::InputError(ErrorCode code, std::string where, std::string value, std::string rule)
    : Error(code, fmt::format("{}: '{}' {} [{}]", where, value, rule, error_code_info(code).name)),
      where_(std::move(where)),
      value_(std::move(value)),
      rule_(std::move(rule)) {}

}  // namespace ptwin
