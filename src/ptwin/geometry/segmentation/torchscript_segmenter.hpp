// SPDX-License-Identifier: Apache-2.0
#pragma once
// Segmentation by a TorchScript model (libtorch), the hook for learned segmenters beside the
// classical ITK pipeline. The model file's path is configuration; any model that keeps the
// contract below can be used, whether trained by ptwin (segmenter_training.hpp) or elsewhere.
//
// The contract ("ptwin.segmenter/1"), checked on load:
// - attribute `format` (str) = "ptwin.segmenter/1";
// - attribute `halo_voxels` (int) = h >= 0: the model convolves without padding, so an input
//   block of (D + 2h) x (H + 2h) x (W + 2h) voxels gives D x H x W outputs;
// - forward(hu: Tensor[1, 1, D + 2h, H + 2h, W + 2h] float32 in Hounsfield units) returns
//   lumen logits Tensor[1, 1, D, H, W]; a voxel is lumen where its logit is > 0 (probability 0.5).
// The model normalises intensities itself, so the file carries everything its use needs.
//
// The volume is processed in slabs of whole slices (bounded memory at 512x512x300) whose borders
// are padded by repeating the edge voxels, so the result does not depend on the slab size. The
// default of 40 slices keeps a 512x512 slab above the size from which libtorch 1.13 runs 3D
// convolutions on oneDNN rather than its generic kernels; its peak memory is about 0.35 GB for
// the shipped 8-channel model.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "ptwin/geometry/segmentation/segmenter.hpp"

namespace ptwin::geometry::segmentation {

inline constexpr const char* kTorchScriptSegmenterFormat = "ptwin.segmenter/1";

struct TorchScriptSegmenterSettings {
  std::filesystem::path model_path;
  std::size_t slab_slices = 40;  // output slices per forward pass (see below)
  int threads = 0;               // libtorch intra-op threads; 0 leaves libtorch's default
};

class TorchScriptSegmenter final : public Segmenter {
 public:
  /// Loads and checks the model; InputError naming the path when the file cannot be read or does
  /// not keep the contract.
  explicit TorchScriptSegmenter(TorchScriptSegmenterSettings settings);
  ~TorchScriptSegmenter() override;

  /// "torchscript".
  [[nodiscard]] std::string name() const override;
  /// The lumen labels of `image` (values in HU) on its grid, carrying its identity; the report
  /// gives the method, the voxel count and the time of the model's forward passes.
  [[nodiscard]] SegmentationResult segment(const ingest::dicom::ImageVolume& image) const override;

  /// The model's `description` attribute when it has one (training provenance), else "".
  [[nodiscard]] const std::string& description() const;
  [[nodiscard]] int halo_voxels() const;

 private:
  struct Model;
  TorchScriptSegmenterSettings settings_;
  std::unique_ptr<Model> model_;
};

}  // namespace ptwin::geometry::segmentation
