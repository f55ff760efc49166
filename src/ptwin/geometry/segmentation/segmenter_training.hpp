// SPDX-License-Identifier: Apache-2.0
#pragma once
// Trains the small TorchScript vessel segmenter that ptwin ships a recipe for, on its own
// synthetic phantoms (geometry/phantom), and saves it in the "ptwin.segmenter/1" contract
// (torchscript_segmenter.hpp).
//
// The network: three unpadded 3D convolutions, 1 -> C (3x3x3), C -> C (3x3x3), C -> 1 (1x1x1),
// with ReLU between them (halo 2 voxels), on intensities normalised as (HU - 200) / 200. It is
// trained with Adam on the binary cross-entropy of the lumen logits against the phantoms'
// ground-truth lumen (partial-volume fraction > 0.5), on random crops of phantoms whose radii,
// contrast, noise and blur are drawn from stated ranges, half the crops centred on a vessel.
// Deterministic for a given seed on one thread count (libtorch's CPU kernels).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace ptwin::geometry::segmentation {

struct SegmenterTrainingSettings {
  std::filesystem::path output_path;
  std::size_t phantoms = 6;        // training phantoms, each with its own drawn parameters
  std::size_t phantom_edge = 48;   // voxels per edge of each phantom (cubic, 0.5 mm spacing)
  std::size_t iterations = 300;    // Adam steps
  std::size_t batch = 4;           // crops per step
  std::size_t crop_edge = 20;      // output voxels per crop edge (input adds the halo)
  std::size_t channels = 8;        // C
  double learning_rate = 0.01;
  std::uint64_t seed = 20261125;
};

struct SegmenterTrainingReport {
  double initial_loss = 0.0;  // mean over the first 10 steps
  double final_loss = 0.0;    // mean over the last 10 steps
  std::size_t parameters = 0;
  std::string description;    // stored in the model's `description` attribute
};

/// Progress: (steps done, steps in all, current loss).
using TrainingProgress = std::function<void(std::size_t, std::size_t, double)>;

/// Trains and saves the model to settings.output_path; InputError naming the field for settings
/// out of range, Io when the file cannot be written.
SegmenterTrainingReport train_vessel_segmenter(const SegmenterTrainingSettings& settings,
                                               const TrainingProgress& progress = {});

}  // namespace ptwin::geometry::segmentation
