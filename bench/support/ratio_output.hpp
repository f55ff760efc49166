// SPDX-License-Identifier: Apache-2.0
#pragma once
// Where a benchmark binary prints its ratio table after Google Benchmark's own output.

#include <string_view>

namespace ptwin::bench {

/// True unless --benchmark_format asks for JSON or CSV: the ratio table then goes to stderr so
/// that stdout stays parseable, and beside the console table otherwise.
inline bool is_console_format(int argc, char** argv) {
  constexpr std::string_view kFlag = "--benchmark_format=";
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (argument.substr(0, kFlag.size()) == kFlag) return argument.substr(kFlag.size()) == "console";
  }
  return true;
}

}  // namespace ptwin::bench
