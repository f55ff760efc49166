// SPDX-License-Identifier: Apache-2.0
// ptwin: the single command line of the engine. Each subcommand lives in its own file; main()
// turns exceptions into messages that say what to do, and into exit codes.

#include <cstdio>
#include <exception>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"

int main(int argc, char** argv) {
  CLI::App app{"ptwin: patient digital twin engine (0D circulation, personalisation, reports)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "ptwin 0.1.0");
  std::string log_level = "warn";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->capture_default_str();
  const std::vector<ptwin::app::Command> commands{ptwin::app::register_demo(app),
                                                  ptwin::app::register_demo_recording(app),
                                                  ptwin::app::register_simulate(app),
                                                  ptwin::app::register_fhir_serve(app),
                                                  ptwin::app::register_ingest(app),
                                                  ptwin::app::register_vv(app),
                                                  ptwin::app::register_vv_gate(app),
                                                  ptwin::app::register_vv_alerts(app),
                                                  ptwin::app::register_whatif(app),
                                                  ptwin::app::register_serve(app),
                                                  ptwin::app::register_load_test(app),
                                                  ptwin::app::register_phantom(app),
                                                  ptwin::app::register_train_segmenter(app),
                                                  ptwin::app::register_image(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  try {
    ptwin::logging::set_level(log_level);
    for (const auto& command : commands) {
      if (command.subcommand->parsed()) command.run();
    }
    return 0;
  } catch (const ptwin::Error& error) {
    fmt::print(stderr, "ptwin: error [{}]: {}\n  what to do: {}\n",
               ptwin::error_code_info(error.code()).name, error.what(),
               ptwin::error_code_info(error.code()).what_to_do);
    return error.code() == ptwin::ErrorCode::SolverDivergence ? 3 : 2;
  } catch (const std::exception& error) {
    fmt::print(stderr, "ptwin: unexpected error: {}\n", error.what());
    return 1;
  }
}
