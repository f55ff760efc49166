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

std::string printable_value(std::string_view value) {
  constexpr std::size_t kMaxShownLength = 64;
  std::string out;
  for (const char c : value.substr(0, kMaxShownLength)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += c;
    }
  }
  if (value.size() > kMaxShownLength) out += fmt::format("...({} bytes)", value.size());
  return out;
}

}  // namespace ptwin
