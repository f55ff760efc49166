// SPDX-License-Identifier: Apache-2.0
#pragma once
// The CLI subcommands: each adds its options to the app and returns what to run if chosen.

#include <functional>

#include <CLI/CLI.hpp>

namespace ptwin::app {

struct Command {
  CLI::App* subcommand;
  std::function<void()> run;
};

[[nodiscard]] Command register_demo(CLI::App& app);
[[nodiscard]] Command register_simulate(CLI::App& app);
[[nodiscard]] Command register_fhir_serve(CLI::App& app);

}  // namespace ptwin::app
