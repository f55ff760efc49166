// SPDX-License-Identifier: Apache-2.0
#pragma once
// The HTML report of a personalised twin: summary, fit residuals, identifiability, waveforms
// and the pressure-volume loop.

#include <filesystem>
#include <string>

#include "ptwin/twin/personalisation.hpp"

namespace ptwin::app {

struct DemoReportInput {
  std::string twin_id;
  std::string model_name;
  std::string model_digest;
  std::string generated_at;  // ISO 8601 UTC
  const twin::PersonalisationResult* fit;
  twin::Observables observables;
};

void write_demo_report(const DemoReportInput& input, const std::filesystem::path& path);

}  // namespace ptwin::app
