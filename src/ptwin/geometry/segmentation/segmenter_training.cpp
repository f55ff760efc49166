// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/segmentation/segmenter_training.hpp"

#include <fmt/format.h>

#include <array>
#include <memory>
#include <cmath>
#include <random>
#include <utility>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/phantom/phantom_rasteriser.hpp"
#include "ptwin/geometry/phantom/vessel_tree_phantom.hpp"
#include "ptwin/geometry/segmentation/torchscript_plugin.hpp"
#include "ptwin/geometry/segmentation/torchscript_segmenter.hpp"

namespace ptwin::geometry::segmentation {
namespace {

constexpr std::int64_t kHalo = 2;  // the network's two unpadded 3x3x3 convolutions (torchscript_plugin_library.cpp)

struct TrainingVolume {
  std::array<std::size_t, 3> size{};
  std::vector<float> hu;
  std::vector<float> lumen;  // 0 or 1
  std::vector<std::size_t> lumen_voxels;
};

// Parameters drawn so that crops cover thin and thick vessels, weak and strong contrast, noise
// and blur around those of clinical CT angiography.
TrainingVolume draw_phantom(const SegmenterTrainingSettings& settings, std::mt19937_64& random) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const auto between = [&](double low, double high) { return low + (high - low) * uniform(random); };
  phantom::VesselPhantomSpec spec;
  spec.size = {settings.phantom_edge, settings.phantom_edge, settings.phantom_edge};
  spec.parent_radius_m = between(1.2e-3, 3.0e-3);
  spec.lumen_hu = between(250.0, 500.0);
  spec.tissue_hu = between(-20.0, 80.0);
  spec.noise_sd_hu = between(5.0, 30.0);
  spec.blur_sigma_m = between(0.2e-3, 0.6e-3);
  spec.stenosis.diameter_reduction = between(0.3, 0.7);
  spec.bifurcation_height_fraction = between(0.3, 0.5);
  spec.supersampling = 2;
  spec.seed = random();
  const auto made = phantom::make_vessel_phantom(spec);
  TrainingVolume volume{spec.size, made.volume.values, {}, {}};
  const auto fraction = phantom::lumen_fraction(made.volume.geometry, made.branches, 3);
  volume.lumen.resize(fraction.size());
  for (std::size_t v = 0; v < fraction.size(); ++v) {
    volume.lumen[v] = fraction[v] > 0.5f ? 1.0f : 0.0f;
    if (fraction[v] > 0.5f) volume.lumen_voxels.push_back(v);
  }
  return volume;
}

void require(bool ok, const char* field, std::size_t value, const char* rule) {
  if (!ok) throw InputError(ErrorCode::BadInput, field, std::to_string(value), rule);
}

}  // namespace

SegmenterTrainingReport train_vessel_segmenter(const SegmenterTrainingSettings& settings,
                                               const TrainingProgress& progress) {
  require(settings.phantoms >= 1, "training.phantoms", settings.phantoms, "at least 1");
  require(settings.phantom_edge >= 32 && settings.phantom_edge <= 128, "training.phantom_edge",
          settings.phantom_edge, "32 to 128 voxels");
  require(settings.iterations >= 10, "training.iterations", settings.iterations, "at least 10");
  require(settings.batch >= 1 && settings.batch <= 64, "training.batch", settings.batch, "1 to 64");
  require(settings.crop_edge >= 4 && settings.crop_edge + 2 * kHalo <= settings.phantom_edge, "training.crop_edge",
          settings.crop_edge, "at least 4 and, with the 2-voxel halo, no larger than the phantom");
  require(settings.channels >= 1 && settings.channels <= 64, "training.channels", settings.channels, "1 to 64");
  if (!(settings.learning_rate > 0.0 && settings.learning_rate < 1.0)) {
    throw InputError(ErrorCode::BadInput, "training.learning_rate", fmt::format("{}", settings.learning_rate),
                     "between 0 and 1");
  }

  std::mt19937_64 random(settings.seed);
  std::vector<TrainingVolume> volumes;
  for (std::size_t p = 0; p < settings.phantoms; ++p) volumes.push_back(draw_phantom(settings, random));

  const auto& plugin = torchscript_plugin();
  std::vector<char> error(kTorchScriptErrorSize, '\0');
  const std::unique_ptr<PtwinTorchScriptTrainer, decltype(plugin.trainer_free)> trainer(
      plugin.trainer_create(static_cast<std::int64_t>(settings.channels), settings.learning_rate, settings.seed,
                            kTorchScriptSegmenterFormat, error.data(), error.size()),
      plugin.trainer_free);
  if (!trainer) throw InputError(ErrorCode::Internal, "segmenter training", "create", error.data());

  const auto out = static_cast<std::int64_t>(settings.crop_edge);
  const std::int64_t in = out + 2 * kHalo;
  const auto batch = static_cast<std::int64_t>(settings.batch);
  std::vector<float> inputs(static_cast<std::size_t>(batch * in * in * in));
  std::vector<float> targets(static_cast<std::size_t>(batch * out * out * out));
  std::vector<double> losses;
  for (std::size_t step = 0; step < settings.iterations; ++step) {
    for (std::int64_t b = 0; b < batch; ++b) {
      const auto& volume = volumes[random() % volumes.size()];
      const auto [nx, ny, nz] = volume.size;
      std::array<std::size_t, 3> origin{};
      const std::size_t span = static_cast<std::size_t>(in);
      if (b % 2 == 0 && !volume.lumen_voxels.empty()) {
        // Centred on a lumen voxel (clamped inside), so that every batch sees vessel walls.
        const std::size_t v = volume.lumen_voxels[random() % volume.lumen_voxels.size()];
        const std::array<std::size_t, 3> at{v % nx, (v / nx) % ny, v / (nx * ny)};
        for (int d = 0; d < 3; ++d) {
          const std::size_t n = volume.size[static_cast<std::size_t>(d)];
          const std::size_t centre = at[static_cast<std::size_t>(d)];
          origin[static_cast<std::size_t>(d)] = std::min(centre > span / 2 ? centre - span / 2 : 0, n - span);
        }
      } else {
        for (int d = 0; d < 3; ++d) {
          origin[static_cast<std::size_t>(d)] = random() % (volume.size[static_cast<std::size_t>(d)] - span + 1);
        }
      }
      for (std::int64_t z = 0; z < in; ++z) {
        for (std::int64_t y = 0; y < in; ++y) {
          for (std::int64_t x = 0; x < in; ++x) {
            const std::size_t v = (origin[0] + static_cast<std::size_t>(x)) +
                                  nx * ((origin[1] + static_cast<std::size_t>(y)) +
                                        ny * (origin[2] + static_cast<std::size_t>(z)));
            inputs[static_cast<std::size_t>(((b * in + z) * in + y) * in + x)] = volume.hu[v];
            if (x >= kHalo && y >= kHalo && z >= kHalo && x < in - kHalo && y < in - kHalo && z < in - kHalo) {
              targets[static_cast<std::size_t>(((b * out + z - kHalo) * out + y - kHalo) * out + x - kHalo)] =
                  volume.lumen[v];
            }
          }
        }
      }
    }
    double loss = 0.0;
    if (plugin.trainer_step(trainer.get(), inputs.data(), targets.data(), batch, in, &loss, error.data(),
                            error.size()) == 0) {
      throw InputError(ErrorCode::Internal, "segmenter training", fmt::format("step {}", step + 1), error.data());
    }
    losses.push_back(loss);
    if (progress) progress(step + 1, settings.iterations, losses.back());
  }

  const auto mean_of = [&](std::size_t from, std::size_t to) {
    double sum = 0.0;
    for (std::size_t n = from; n < to; ++n) sum += losses[n];
    return sum / static_cast<double>(to - from);
  };
  SegmenterTrainingReport report;
  report.initial_loss = mean_of(0, 10);
  report.final_loss = mean_of(losses.size() - 10, losses.size());
  report.parameters = static_cast<std::size_t>(plugin.trainer_parameters(trainer.get()));
  report.description = fmt::format(
      "ptwin vessel segmenter: 3 convolutions, {} channels, {} parameters; trained on {} synthetic phantoms of "
      "{}^3 voxels (0.5 mm), {} Adam steps (learning rate {}, batch {}, crops of {}^3), seed {}; final loss {:.4f}",
      settings.channels, report.parameters, settings.phantoms, settings.phantom_edge, settings.iterations,
      settings.learning_rate, settings.batch, settings.crop_edge, settings.seed, report.final_loss);
  if (plugin.trainer_save(trainer.get(), settings.output_path.c_str(), report.description.c_str(), error.data(),
                          error.size()) == 0) {
    throw InputError(ErrorCode::Io, "training.output_path", settings.output_path.string(),
                     fmt::format("a writable file path ({})", error.data()));
  }
  return report;
}

}  // namespace ptwin::geometry::segmentation
