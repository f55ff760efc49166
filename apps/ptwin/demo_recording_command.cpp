// SPDX-License-Identifier: Apache-2.0
// `ptwin demo-recording --out FILE`: writes the synthetic MQTT feed recording that `ptwin demo`
// replays (data/demo/monitor_recording.ndjson), byte for byte, from its seed
// (docs/recording.md#the-demo-recording).

#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "ptwin/core/digest.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/twin/cohort/deterioration_recording.hpp"

namespace ptwin::app {
namespace {

struct DemoRecordingOptions {
  std::string out;
  twin::cohort::DeteriorationRecordingSettings settings;
};

void run_demo_recording(const DemoRecordingOptions& options) {
  const auto text = twin::cohort::generate_deterioration_recording(options.settings);
  std::ofstream file(options.out, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    throw Error(ErrorCode::Io, fmt::format("{}: cannot write the recording", options.out));
  }
  fmt::print("ptwin demo-recording: wrote {} ({} bytes, SHA-256 {})\n", options.out, text.size(),
             sha256_hex(text));
}

}  // namespace

Command register_demo_recording(CLI::App& app) {
  auto options = std::make_shared<DemoRecordingOptions>();
  auto* sub = app.add_subcommand(
      "demo-recording",
      "Write the synthetic monitor recording that `ptwin demo` replays (a deterioration\n"
      "episode of the demo patient, as an MQTT feed recording; docs/recording.md). The same\n"
      "seed gives the same bytes.");
  sub->add_option("--out", options->out, "file to write")->required();
  sub->add_option("--seed", options->settings.seed, "random seed")->capture_default_str();
  sub->add_option("--patient", options->settings.patient_id, "patient id written in the file")
      ->capture_default_str();
  return {sub, [options] { run_demo_recording(*options); }};
}

}  // namespace ptwin::app
