// SPDX-License-Identifier: Apache-2.0
// `ptwin train-segmenter --out FILE`: trains the small TorchScript vessel segmenter on ptwin's own
// synthetic phantoms and saves it in the "ptwin.segmenter/1" contract, ready to be named as the
// segmentation model in configuration (docs/geometry.md#torchscript-segmenter).

#include <fmt/format.h>

#include <chrono>
#include <memory>

#include "commands.hpp"
#include "progress_bar.hpp"
#include "ptwin/geometry/segmentation/segmenter_training.hpp"

namespace ptwin::app {
namespace {

struct TrainSegmenterOptions {
  std::string output;
  geometry::segmentation::SegmenterTrainingSettings settings;
};

void run_train_segmenter(TrainSegmenterOptions& options) {
  options.settings.output_path = options.output;
  ProgressBar bar("train");
  const auto start = std::chrono::steady_clock::now();
  const auto report = geometry::segmentation::train_vessel_segmenter(
      options.settings, [&](std::size_t done, std::size_t total, double loss) {
        bar.update(static_cast<std::int64_t>(done), static_cast<std::int64_t>(total), fmt::format("loss {:.4f}", loss));
      });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  bar.finish(fmt::format("loss {:.4f} -> {:.4f}", report.initial_loss, report.final_loss));
  fmt::print("{}\nsaved to {} in {:.1f} s\n", report.description, options.output, seconds);
}

}  // namespace

Command register_train_segmenter(CLI::App& app) {
  auto options = std::make_shared<TrainSegmenterOptions>();
  auto& s = options->settings;
  auto* sub = app.add_subcommand(
      "train-segmenter",
      "Train the small TorchScript vessel segmenter on synthetic phantoms and save it (the file\n"
      "that configuration names as the segmentation model).");
  sub->add_option("--out", options->output, "model file to write (TorchScript)")->required();
  sub->add_option("--phantoms", s.phantoms, "training phantoms")->capture_default_str();
  sub->add_option("--phantom-edge", s.phantom_edge, "voxels per phantom edge (32..128)")->capture_default_str();
  sub->add_option("--iterations", s.iterations, "Adam steps")->capture_default_str();
  sub->add_option("--batch", s.batch, "crops per step")->capture_default_str();
  sub->add_option("--crop", s.crop_edge, "output voxels per crop edge")->capture_default_str();
  sub->add_option("--channels", s.channels, "channels of the hidden layers")->capture_default_str();
  sub->add_option("--learning-rate", s.learning_rate, "Adam learning rate")->capture_default_str();
  sub->add_option("--seed", s.seed, "seed of the phantoms, crops and initial weights")->capture_default_str();
  return {sub, [options] { run_train_segmenter(*options); }};
}

}  // namespace ptwin::app
