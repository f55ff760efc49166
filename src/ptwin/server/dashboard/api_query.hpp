// SPDX-License-Identifier: Apache-2.0
#pragma once
// The query string of a dashboard API request, checked once: only the parameters a route names
// are accepted (a misspelt `snice=` must not silently give the default window), each at most
// once, and typed reads say which parameter is wrong. Every error is an InputError(BadInput)
// whose where() is the parameter's name, answered as 400 naming it.

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "ptwin/core/time.hpp"

namespace ptwin::server::dashboard {

class ApiQuery {
 public:
  /// Throws InputError naming the parameter for an unknown or repeated one, or "query" for a
  /// broken percent escape.
  ApiQuery(std::string_view raw_query, std::initializer_list<std::string_view> allowed);

  [[nodiscard]] std::optional<std::string> text(std::string_view name) const;
  /// An instant written as ISO 8601 with an offset ("2026-11-24T21:00:00Z") or as integer
  /// milliseconds since the Unix epoch (what the dashboard's JavaScript sends).
  [[nodiscard]] std::optional<time::Instant> instant(std::string_view name) const;
  /// A decimal integer in [minimum, maximum].
  [[nodiscard]] std::optional<std::int64_t> integer(std::string_view name, std::int64_t minimum,
                                                    std::int64_t maximum) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace ptwin::server::dashboard
