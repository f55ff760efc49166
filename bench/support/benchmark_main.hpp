// SPDX-License-Identifier: Apache-2.0
#pragma once
// The main() shared by benchmark binaries that print a ratio table after Google Benchmark's
// own output: flags, log level, build-type context, and errors reported as "<binary>: <what>"
// with exit code 1.

#include <cstdio>
#include <exception>
#include <string_view>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "ptwin/core/logging.hpp"
#include "support/ratio_output.hpp"

namespace ptwin::bench {

/// Runs `body(out)` between benchmark::Initialize and Shutdown; `out` is where the ratio table
/// goes (stdout for the console format, stderr otherwise, so that JSON/CSV stays parseable).
/// `body` registers what it needs, runs the benchmarks and prints its table.
template <typename Body>
int run_benchmark_main(int argc, char** argv, std::string_view binary, Body&& body) {
  const bool is_console = is_console_format(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  ptwin::logging::set_level("warn");  // connection and progress lines would break the tables
  benchmark::AddCustomContext("ptwin_build_type", PTWIN_BUILD_TYPE);
  try {
    body(is_console ? stdout : stderr);
  } catch (const std::exception& error) {
    fmt::print(stderr, "{}: {}\n", binary, error.what());
    benchmark::Shutdown();
    return 1;
  }
  benchmark::Shutdown();
  return 0;
}

}  // namespace ptwin::bench
