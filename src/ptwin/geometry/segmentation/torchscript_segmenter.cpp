// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/segmentation/torchscript_segmenter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/segmentation/torchscript_plugin.hpp"

namespace ptwin::geometry::segmentation {

struct TorchScriptSegmenter::Model {
  const TorchScriptPlugin* plugin = nullptr;
  PtwinTorchScriptModel* handle = nullptr;
  int halo = 0;
  std::string description;
  ~Model() {
    if (handle != nullptr) plugin->free(handle);
  }
};

namespace {

std::string model_where(const std::filesystem::path& path) { return "segmenter model " + path.string(); }

}  // namespace

TorchScriptSegmenter::TorchScriptSegmenter(TorchScriptSegmenterSettings settings)
    : settings_(std::move(settings)), model_(std::make_unique<Model>()) {
  const auto& path = settings_.model_path;
  if (settings_.slab_slices == 0) {
    throw InputError(ErrorCode::BadInput, "segmenter.slab_slices", "0", "at least 1 slice per forward pass");
  }
  if (settings_.threads < 0) {
    throw InputError(ErrorCode::BadInput, "segmenter.threads", std::to_string(settings_.threads),
                     "0 (libtorch's default) or a positive count");
  }
  if (!std::filesystem::is_regular_file(path)) {
    throw InputError(ErrorCode::Io, "segmenter.model", path.string(),
                     "an existing TorchScript file; train one with `ptwin train-segmenter --out FILE`");
  }
  model_->plugin = &torchscript_plugin();
  const auto& plugin = *model_->plugin;
  std::vector<char> error(kTorchScriptErrorSize, '\0');
  model_->handle = plugin.load(path.c_str(), settings_.threads, error.data(), error.size());
  if (model_->handle == nullptr) {
    throw InputError(ErrorCode::BadInput, model_where(path), "unreadable",
                     fmt::format("a TorchScript archive saved by torch.jit.save or Module::save ({})", error.data()));
  }
  const char* format = plugin.string_attribute(model_->handle, "format");
  if (format == nullptr || std::string(format) != kTorchScriptSegmenterFormat) {
    throw InputError(ErrorCode::BadInput, model_where(path) + ": format", format == nullptr ? "(missing)" : format,
                     fmt::format("\"{}\" (see docs/geometry.md#torchscript-segmenter)", kTorchScriptSegmenterFormat));
  }
  std::int64_t halo = -1;
  if (plugin.int_attribute(model_->handle, "halo_voxels", &halo) == 0 || halo < 0 || halo > 64) {
    throw InputError(ErrorCode::BadInput, model_where(path) + ": halo_voxels",
                     halo < 0 ? "(missing or not an int)" : std::to_string(halo), "an int from 0 to 64");
  }
  model_->halo = static_cast<int>(halo);
  if (const char* description = plugin.string_attribute(model_->handle, "description")) {
    model_->description = description;
  }
  // Freezing folds the weights into the graph for inference.
  if (plugin.freeze(model_->handle, error.data(), error.size()) == 0) {
    throw InputError(ErrorCode::BadInput, model_where(path), "not optimisable",
                     fmt::format("a TorchScript module that can be frozen for inference ({})", error.data()));
  }
}

TorchScriptSegmenter::~TorchScriptSegmenter() = default;

std::string TorchScriptSegmenter::name() const { return "torchscript"; }

const std::string& TorchScriptSegmenter::description() const { return model_->description; }
int TorchScriptSegmenter::halo_voxels() const { return model_->halo; }

SegmentationResult TorchScriptSegmenter::segment(const ingest::dicom::ImageVolume& image) const {
  const auto start = std::chrono::steady_clock::now();
  const auto [nx, ny, nz] = image.geometry.size;
  if (image.values.size() != nx * ny * nz || image.values.empty()) {
    throw InputError(ErrorCode::BadInput, "image.values", std::to_string(image.values.size()),
                     fmt::format("{} values for a {}x{}x{} grid", nx * ny * nz, nx, ny, nz));
  }
  auto labels = empty_labels_like(image);
  const auto h = static_cast<std::ptrdiff_t>(model_->halo);
  const auto clamp = [](std::ptrdiff_t v, std::size_t n) {
    return static_cast<std::size_t>(std::clamp<std::ptrdiff_t>(v, 0, static_cast<std::ptrdiff_t>(n) - 1));
  };
  const std::size_t px = nx + 2 * static_cast<std::size_t>(h);
  const std::size_t py = ny + 2 * static_cast<std::size_t>(h);
  std::vector<float> block;
  std::vector<float> logits(nx * ny * std::min(settings_.slab_slices, nz));
  std::vector<char> error(kTorchScriptErrorSize, '\0');
  for (std::size_t k0 = 0; k0 < nz; k0 += settings_.slab_slices) {
    const std::size_t slices = std::min(settings_.slab_slices, nz - k0);
    const std::size_t pz = slices + 2 * static_cast<std::size_t>(h);
    // The slab with its halo, edges repeated: layout [z][y][x] of the padded block.
    block.resize(px * py * pz);
    for (std::size_t z = 0; z < pz; ++z) {
      const std::size_t k = clamp(static_cast<std::ptrdiff_t>(k0 + z) - h, nz);
      for (std::size_t y = 0; y < py; ++y) {
        const std::size_t j = clamp(static_cast<std::ptrdiff_t>(y) - h, ny);
        float* row = block.data() + px * (y + py * z);
        const float* source = image.values.data() + image.index(0, j, k);
        for (std::size_t x = 0; x < px; ++x) row[x] = source[clamp(static_cast<std::ptrdiff_t>(x) - h, nx)];
      }
    }
    std::int64_t shape[5] = {0, 0, 0, 0, 0};
    int is_float32 = 0;
    if (model_->plugin->forward(model_->handle, block.data(), static_cast<std::int64_t>(pz),
                                static_cast<std::int64_t>(py), static_cast<std::int64_t>(px), logits.data(),
                                logits.size(), shape, &is_float32, error.data(), error.size()) == 0) {
      throw InputError(ErrorCode::BadInput, model_where(settings_.model_path) + ": forward", "failed",
                       fmt::format("a model that keeps the {} contract ({})", kTorchScriptSegmenterFormat,
                                   error.data()));
    }
    const std::vector<std::int64_t> expected{1, 1, static_cast<std::int64_t>(slices), static_cast<std::int64_t>(ny),
                                             static_cast<std::int64_t>(nx)};
    if (std::vector<std::int64_t>(shape, shape + 5) != expected || is_float32 == 0) {
      throw InputError(ErrorCode::BadInput, model_where(settings_.model_path) + ": output shape",
                       fmt::format("{}{}", fmt::join(shape, "x"), is_float32 != 0 ? "" : " (not float32)"),
                       fmt::format("float32 {} (input shrunk by halo_voxels = {} on each side)",
                                   fmt::join(expected, "x"), h));
    }
    for (std::size_t v = 0; v < nx * ny * slices; ++v) {
      labels.labels[nx * ny * k0 + v] = logits[v] > 0.0f ? kLumen : kBackground;
    }
  }
  SegmentationResult result;
  result.report.method = name();
  for (const auto label : labels.labels) result.report.final_voxels += label == kLumen ? 1 : 0;
  result.report.timings.push_back(
      {"model", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()});
  result.labels = std::move(labels);
  return result;
}

}  // namespace ptwin::geometry::segmentation
