// SPDX-License-Identifier: Apache-2.0
#pragma once
// The CLI subcommands: each adds its options to the app and returns what to run if chosen.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace ptwin::app {

struct Command {
  CLI::App* subcommand;
  std::function<void()> run;
};

[[nodiscard]] Command register_demo(CLI::App& app);
[[nodiscard]] Command register_demo_recording(CLI::App& app);
[[nodiscard]] Command register_simulate(CLI::App& app);
[[nodiscard]] Command register_fhir_serve(CLI::App& app);
[[nodiscard]] Command register_ingest(CLI::App& app);
[[nodiscard]] Command register_vv(CLI::App& app);
/// `vv alerts`; call after register_vv (it adds to the `vv` subcommand).
[[nodiscard]] Command register_vv_alerts(CLI::App& app);
[[nodiscard]] Command register_whatif(CLI::App& app);
/// `ptwin vv gate`; call after register_vv (it adds to the vv subcommand).
[[nodiscard]] Command register_vv_gate(CLI::App& app);
[[nodiscard]] Command register_serve(CLI::App& app);
[[nodiscard]] Command register_load_test(CLI::App& app);
[[nodiscard]] Command register_phantom(CLI::App& app);
[[nodiscard]] Command register_train_segmenter(CLI::App& app);
[[nodiscard]] Command register_image(CLI::App& app);

/// Where the HL7 FHIR R5 packages are: `option` (a --fhir-packages value) when given, else
/// nullopt when $PTWIN_FHIR_PACKAGE_DIR is set (Definitions::open reads it), else where this
/// build's install script put them.
[[nodiscard]] std::optional<std::filesystem::path> fhir_package_dir(const std::string& option);

}  // namespace ptwin::app
