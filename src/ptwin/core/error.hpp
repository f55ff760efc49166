// SPDX-License-Identifier: Apache-2.0
#pragma once
// Exceptions that carry context: where (source, field path) and what (value, rule broken).

#include <stdexcept>
#include <string>
#include <string_view>

#include "ptwin/core/error_codes.hpp"

namespace ptwin {

/// Base of every ptwin exception. what() is the full human-readable message.
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message);
  [[nodiscard]] ErrorCode code() const noexcept { return code_; }
  [[nodiscard]] int http_status() const noexcept { return error_code_info(code_).http_status; }

 private:
  ErrorCode code_;
};

/// Invalid data at a boundary. `where` is the source and field path (e.g.
/// "model.json: blocks[3].parameters.capacitance"), `value` the offending value as text.
class InputError : public Error {
 public:
  InputError(ErrorCode code, std::string where, std::string value, std::string rule);
  [[nodiscard]] const std::string& where() const noexcept { return where_; }
  [[nodiscard]] const std::string& value() const noexcept { return value_; }
  [[nodiscard]] const std::string& rule() const noexcept { return rule_; }

 private:
  std::string where_;
  std::string value_;
  std::string rule_;
};

/// A value as it may appear in an error message: control characters escaped as \xNN so that it
/// cannot break or forge a log line, and cut after 64 bytes so that it cannot flood one.
[[nodiscard]] std::string printable_value(std::string_view value);

}  // namespace ptwin
