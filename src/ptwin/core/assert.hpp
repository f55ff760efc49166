// SPDX-License-Identifier: Apache-2.0
#pragma once
// Always-on invariant checks (MFEM's idea): a broken invariant is a bug, reported with the
// condition and its location, in every build type.

#include <source_location>
#include <string_view>

namespace ptwin::detail {
[[noreturn]] void assertion_failed(std::string_view condition, std::string_view message,
                                   std::source_location where);
}  // namespace ptwin::detail

#define PTWIN_ASSERT(cond, msg)                                                     \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      ::ptwin::detail::assertion_failed(#cond, (msg), std::source_location::current()); \
    }                                                                               \
  } while (false)
