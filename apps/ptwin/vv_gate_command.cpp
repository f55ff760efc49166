// SPDX-License-Identifier: Apache-2.0
// `ptwin vv gate`: runs the hypotension risk model's verification cases with the settings
// `ptwin serve` uses, prints each case against its acceptance interval, and writes the
// verification record that serve.fhir_outputs.verification_record can name
// (docs/vv.md#model-gate). A model that fails a case is refused: exit status 2.

#include <filesystem>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "commands.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/core/twin_config.hpp"
#include "ptwin/vv/gate/hypotension_model_verification.hpp"
#include "risk_model_settings.hpp"

namespace ptwin::app {
namespace {

struct GateOptions {
  std::string write;
  std::string twin_file;  // empty: the default model (filter ukf)
};

void run_gate(const GateOptions& o) {
  time::SystemClock clock;
  const twin::risk::HypotensionRiskSettings model =
      o.twin_file.empty() ? twin::risk::HypotensionRiskSettings{}
                          : risk_model_settings(load_twin_config(o.twin_file).twin);
  const auto record = vv::gate::verify_hypotension_risk_model(model, clock.now());
  fmt::print("model {} {} settings {} filter {} recalibration {}\n", record.model.name,
             record.model.version, record.model.settings_digest, describe_filter(model),
             describe_recalibration(model));
  for (const auto& c : record.cases) {
    fmt::print("  {:<34} {} = {:.6g} in [{:.6g}, {:.6g}]: {}\n", c.id, c.norm, c.observed, c.lower,
               c.upper, c.is_passed() ? "pass" : "FAIL");
  }
  fmt::print("verification: {}\n", vv::gate::to_string(record.status));
  if (!o.write.empty()) {
    vv::gate::write_verification_record(record, o.write);
    fmt::print("record written to {}\n", o.write);
  }
  if (record.status != vv::gate::VerificationStatus::Passed) {
    throw Error(ErrorCode::BadInput,
                "the model failed its verification cases; it may not emit clinical output");
  }
}

}  // namespace

Command register_vv_gate(CLI::App& app) {
  auto* vv = app.get_subcommand("vv");  // registered by register_vv
  auto options = std::make_shared<GateOptions>();
  auto* gate = vv->add_subcommand(
      "gate",
      "Run the hypotension risk model's verification cases (UKF against the exact Kalman "
      "filter, 90 % forecast interval coverage on a seeded cohort, run with the twin's filter) "
      "with the settings ptwin serve uses (--twin: those of that twin.yaml); print each "
      "against its acceptance interval; exit 2 when one fails. Takes seconds.");
  gate->add_option("--write", options->write,
                   "write the verification record (JSON) to this file, for "
                   "serve.fhir_outputs.verification_record");
  gate->add_option("--twin", options->twin_file,
                   "verify the model this twin declaration serves (its twin.filter); default: "
                   "the default model (UKF)")
      ->check(CLI::ExistingFile);
  return {gate, [options] { run_gate(*options); }};
}

}  // namespace ptwin::app
