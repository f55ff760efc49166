// SPDX-License-Identifier: Apache-2.0
#pragma once
// `ptwin image` runs the imaging pipeline as a list of named stages (fetch, read, segment,
// surface, write, pictures, ...). Each stage is a function over the run's shared state; the
// runner times each one, advances the progress bar and records what the stage wrote. Later
// stages (centerlines and the vessel network, the volume mesh, DICOM SEG/SR to the PACS) are
// added by appending to the list that image_command.cpp builds (docs/geometry.md#ptwin-image).

#include <functional>
#include <string>
#include <vector>

#include "progress_bar.hpp"

namespace ptwin::app {

struct ImageStage {
  std::string name;  // the key in report.json and in the timing table, e.g. "segment"
  std::function<void(std::vector<std::string>& outputs)> run;  // appends the files it wrote
};

struct ImageStageRecord {
  std::string name;
  double seconds = 0.0;  // wall clock (steady clock)
  std::vector<std::string> outputs;
};

/// Runs `stages` in order, reporting each on `bar`. An exception from a stage propagates wrapped
/// with the stage's name ("stage 'segment': ..."), keeping the error's code.
[[nodiscard]] std::vector<ImageStageRecord> run_image_stages(const std::vector<ImageStage>& stages,
                                                             ProgressBar& bar);

/// The per-stage timing table printed at the end of a run, with the total.
[[nodiscard]] std::string format_stage_table(const std::vector<ImageStageRecord>& records);

}  // namespace ptwin::app
