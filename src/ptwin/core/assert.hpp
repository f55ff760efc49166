// SPDX-License-Identifier: Apache-2.0
#pragma once
// Always-on invariant checks (MFEM's idea): a broken invariant is a bug, reported with the
// condition and its location, in every build type.

#include <string_view>

namespace ptwin::detail {
[[noreturn]] void assertion_failed(std::string_view condition, std::string_view message,
                                   std::string_view file, unsigned line);
}  // namespace ptwin::detail

// __FILE__/__LINE__ rather than std::source_location: Debian 12's clang 14 (needed for the
// libFuzzer targets) lacks it with libstdc++.
#define PTWIN_ASSERT(cond, msg)                                                         \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      ::ptwin::detail::assertion_failed(#cond, (msg), __FILE__, static_cast<unsigned>(__LINE__)); \
    }                                                                                   \
  } while (false)
