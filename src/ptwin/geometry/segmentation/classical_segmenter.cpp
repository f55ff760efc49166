// SPDX-License-Identifier: Apache-2.0
// The only translation unit of segmentation that includes ITK headers.
#include "ptwin/geometry/segmentation/classical_segmenter.hpp"

#include <fmt/format.h>
#include <itkConnectedThresholdImageFilter.h>
#include <itkCurvatureFlowImageFilter.h>
#include <itkImage.h>
#include <itkImageRegionConstIterator.h>
#include <itkImageRegionIterator.h>
#include <itkImportImageFilter.h>
#include <itkRegionOfInterestImageFilter.h>
#include <itkSmoothingRecursiveGaussianImageFilter.h>
#include <itkThresholdSegmentationLevelSetImageFilter.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/segmentation/automatic_seed.hpp"
#include "ptwin/geometry/segmentation/label_metrics.hpp"

namespace ptwin::geometry::segmentation {
namespace {

using FloatImage = itk::Image<float, 3>;
using MaskImage = itk::Image<unsigned char, 3>;
using Index = std::array<std::size_t, 3>;

constexpr double kMillimetresPerMetre = 1e3;
// The level set's propagation speed is the HU distance to the nearer threshold; dividing the
// feature image by this scale makes it of order one, so that curvature_scaling (curvature in
// 1/mm) weighs against it as documented. 100 HU is about a third of the lumen-tissue contrast.
constexpr double kSpeedScaleHu = 100.0;

class StageClock {
 public:
  explicit StageClock(std::vector<StageTiming>& timings) : timings_(timings) {}
  void lap(std::string stage) {
    const auto now = std::chrono::steady_clock::now();
    timings_.push_back({std::move(stage), std::chrono::duration<double>(now - last_).count()});
    last_ = now;
  }

 private:
  std::vector<StageTiming>& timings_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

// An ITK view of the image's buffer (no copy), in millimetres with the image's direction.
FloatImage::Pointer itk_view(const ingest::dicom::ImageVolume& image) {
  using Import = itk::ImportImageFilter<float, 3>;
  auto import = Import::New();
  Import::SizeType size;
  Import::IndexType start;
  start.Fill(0);
  double origin[3];
  double spacing[3];
  Import::DirectionType direction;
  const std::array<ingest::dicom::Vector3, 3> axes{
      image.geometry.direction_i, image.geometry.direction_j, image.geometry.direction_k};
  for (unsigned a = 0; a < 3; ++a) {
    size[a] = image.geometry.size[a];
    origin[a] = image.geometry.origin_m[a] * kMillimetresPerMetre;
    spacing[a] = image.geometry.spacing_m[a] * kMillimetresPerMetre;
    for (unsigned r = 0; r < 3; ++r) direction[r][a] = axes[a][r];  // column a = axis a
  }
  import->SetRegion(Import::RegionType(start, size));
  import->SetOrigin(origin);
  import->SetSpacing(spacing);
  import->SetDirection(direction);
  // ITK's import takes a non-const pointer; the pipeline below only reads the buffer.
  import->SetImportPointer(const_cast<float*>(image.values.data()), image.values.size(), false);
  import->Update();
  return import->GetOutput();
}

std::vector<Index> seeds_for(const ingest::dicom::ImageVolume& image,
                             const ClassicalSegmentationSettings& settings, std::string& source) {
  if (settings.seeds_m.empty()) {
    source = "automatic";
    return {find_inlet_seed(image, settings)};
  }
  source = "user";
  std::vector<Index> seeds;
  for (std::size_t n = 0; n < settings.seeds_m.size(); ++n) {
    const auto field = fmt::format("segmentation settings: seeds_m[{}]", n);
    const Index seed = voxel_of(image.geometry, settings.seeds_m[n], field);
    const double value = image.at(seed[0], seed[1], seed[2]);
    if (!(value >= settings.lower_threshold_hu && value <= settings.upper_threshold_hu)) {
      throw InputError(ErrorCode::BadInput, field,
                       fmt::format("{} HU at voxel ({}, {}, {})", value, seed[0], seed[1], seed[2]),
                       fmt::format("a seed inside the lumen window [{}, {}] HU",
                                   settings.lower_threshold_hu, settings.upper_threshold_hu));
    }
    seeds.push_back(seed);
  }
  return seeds;
}

// Lumen voxels of `mask` (1) and the box around them widened by margin voxels, clamped.
MaskImage::RegionType box_around(const MaskImage& mask, const std::array<std::size_t, 3>& margin,
                                 std::size_t& count) {
  const auto region = mask.GetLargestPossibleRegion();
  std::array<long, 3> low{}, high{};
  for (unsigned a = 0; a < 3; ++a) {
    low[a] = static_cast<long>(region.GetSize()[a]);
    high[a] = -1;
  }
  count = 0;
  for (itk::ImageRegionConstIteratorWithIndex<MaskImage> it(&mask, region); !it.IsAtEnd(); ++it) {
    if (it.Get() == 0) continue;
    ++count;
    const auto index = it.GetIndex();
    for (unsigned a = 0; a < 3; ++a) {
      low[a] = std::min(low[a], static_cast<long>(index[a]));
      high[a] = std::max(high[a], static_cast<long>(index[a]));
    }
  }
  MaskImage::IndexType start;
  MaskImage::SizeType size;
  for (unsigned a = 0; a < 3; ++a) {
    const long extent = static_cast<long>(region.GetSize()[a]);
    const long from = std::max(0L, low[a] - static_cast<long>(margin[a]));
    const long to = std::min(extent - 1, high[a] + static_cast<long>(margin[a]));
    start[a] = from;
    size[a] = static_cast<itk::SizeValueType>(to - from + 1);
  }
  return {start, size};
}

template <typename ImageType>
typename ImageType::Pointer crop(const ImageType* image,
                                 const typename ImageType::RegionType& box) {
  auto roi = itk::RegionOfInterestImageFilter<ImageType, ImageType>::New();
  roi->SetInput(image);
  roi->SetRegionOfInterest(box);
  roi->Update();
  return roi->GetOutput();
}

FloatImage::Pointer smoothed(const FloatImage::Pointer& image,
                             const ClassicalSegmentationSettings& settings) {
  switch (settings.smoothing) {
    case SmoothingMethod::kNone:
      return image;
    case SmoothingMethod::kGaussian: {
      auto filter = itk::SmoothingRecursiveGaussianImageFilter<FloatImage, FloatImage>::New();
      filter->SetInput(image);
      filter->SetSigma(settings.gaussian_sigma_m * kMillimetresPerMetre);
      filter->Update();
      return filter->GetOutput();
    }
    case SmoothingMethod::kCurvatureFlow: {
      auto filter = itk::CurvatureFlowImageFilter<FloatImage, FloatImage>::New();
      filter->SetInput(image);
      filter->SetNumberOfIterations(static_cast<unsigned>(settings.curvature_flow_iterations));
      // Explicit curvature flow is stable for time steps up to h^2 / 2^N, h the grid spacing in
      // image units (mm here); the setting is in units of h^2 of the finest axis.
      const auto spacing = image->GetSpacing();
      const double finest_mm = std::min({spacing[0], spacing[1], spacing[2]});
      filter->SetTimeStep(settings.curvature_flow_time_step * finest_mm * finest_mm);
      filter->Update();
      return filter->GetOutput();
    }
  }
  return image;
}

// The level set refined from `initial_mask` on `feature` (same grid); returns the inside (<= 0).
MaskImage::Pointer refine(const FloatImage::Pointer& feature,
                          const MaskImage::Pointer& initial_mask,
                          const ClassicalSegmentationSettings& settings, std::size_t& iterations) {
  auto scaled = FloatImage::New();
  scaled->CopyInformation(feature);
  scaled->SetRegions(feature->GetLargestPossibleRegion());
  scaled->Allocate();
  auto initial = FloatImage::New();
  initial->CopyInformation(feature);
  initial->SetRegions(feature->GetLargestPossibleRegion());
  initial->Allocate();
  const auto region = feature->GetLargestPossibleRegion();
  itk::ImageRegionConstIterator<FloatImage> in(feature, region);
  itk::ImageRegionConstIterator<MaskImage> mask(initial_mask, region);
  itk::ImageRegionIterator<FloatImage> out(scaled, region);
  itk::ImageRegionIterator<FloatImage> level(initial, region);
  for (; !in.IsAtEnd(); ++in, ++mask, ++out, ++level) {
    out.Set(static_cast<float>(in.Get() / kSpeedScaleHu));
    level.Set(mask.Get() != 0 ? -0.5F : 0.5F);  // ITK's level sets are negative inside
  }
  using LevelSet = itk::ThresholdSegmentationLevelSetImageFilter<FloatImage, FloatImage>;
  auto filter = LevelSet::New();
  filter->SetInput(initial);
  filter->SetFeatureImage(scaled);
  filter->SetLowerThreshold(static_cast<float>(settings.lower_threshold_hu / kSpeedScaleHu));
  filter->SetUpperThreshold(static_cast<float>(settings.upper_threshold_hu / kSpeedScaleHu));
  filter->SetPropagationScaling(static_cast<float>(settings.propagation_scaling));
  filter->SetCurvatureScaling(static_cast<float>(settings.curvature_scaling));
  filter->SetMaximumRMSError(settings.level_set_max_rms_change);
  filter->SetNumberOfIterations(
      static_cast<itk::IdentifierType>(settings.level_set_max_iterations));
  filter->SetIsoSurfaceValue(0.0);
  filter->Update();
  iterations = static_cast<std::size_t>(filter->GetElapsedIterations());
  auto inside = MaskImage::New();
  inside->CopyInformation(feature);
  inside->SetRegions(region);
  inside->Allocate();
  itk::ImageRegionConstIterator<FloatImage> phi(filter->GetOutput(), region);
  itk::ImageRegionIterator<MaskImage> result(inside, region);
  for (; !phi.IsAtEnd(); ++phi, ++result) result.Set(phi.Get() <= 0.0F ? 1 : 0);
  return inside;
}

// `mask` (ITK re-indexes a region of interest from 0) as a label volume of the box's size.
LabelVolume box_labels(const MaskImage& mask) {
  LabelVolume labels;
  const auto size = mask.GetLargestPossibleRegion().GetSize();
  labels.geometry.size = {size[0], size[1], size[2]};
  labels.labels.assign(mask.GetBufferPointer(),
                       mask.GetBufferPointer() + labels.geometry.voxel_count());
  for (auto& label : labels.labels) label = label != 0 ? kLumen : kBackground;
  return labels;
}

// Writes `box` (cut from the image's grid at `start`) into `labels`.
void paste(const LabelVolume& box, const std::array<std::size_t, 3>& start, LabelVolume& labels) {
  const auto& size = box.geometry.size;
  for (std::size_t k = 0; k < size[2]; ++k) {
    for (std::size_t j = 0; j < size[1]; ++j) {
      for (std::size_t i = 0; i < size[0]; ++i) {
        labels.at(start[0] + i, start[1] + j, start[2] + k) = box.at(i, j, k);
      }
    }
  }
}

}  // namespace

ClassicalSegmenter::ClassicalSegmenter(ClassicalSegmentationSettings settings)
    : settings_(std::move(settings)) {
  validate(settings_);
}

SegmentationResult ClassicalSegmenter::segment(const ingest::dicom::ImageVolume& image) const {
  if (image.values.size() != image.geometry.voxel_count() || image.values.empty()) {
    throw InputError(ErrorCode::BadInput, "segmentation: image.values",
                     fmt::format("{} values", image.values.size()),
                     fmt::format("one value per voxel of the {}x{}x{} grid", image.geometry.size[0],
                                 image.geometry.size[1], image.geometry.size[2]));
  }
  SegmentationResult result{empty_labels_like(image), {}};
  auto& report = result.report;
  report.method = name();
  report.lower_threshold_hu = settings_.lower_threshold_hu;
  report.upper_threshold_hu = settings_.upper_threshold_hu;
  StageClock clock(report.timings);

  report.seeds_ijk = seeds_for(image, settings_, report.seed_source);
  const auto input = itk_view(image);
  clock.lap("seed");

  auto grow = itk::ConnectedThresholdImageFilter<FloatImage, MaskImage>::New();
  grow->SetInput(input);
  grow->SetLower(static_cast<float>(settings_.lower_threshold_hu));
  grow->SetUpper(static_cast<float>(settings_.upper_threshold_hu));
  grow->SetReplaceValue(1);
  for (const auto& seed : report.seeds_ijk) {
    FloatImage::IndexType index;
    for (unsigned a = 0; a < 3; ++a) index[a] = static_cast<itk::IndexValueType>(seed[a]);
    grow->AddSeed(index);
  }
  grow->Update();
  const MaskImage::Pointer grown = grow->GetOutput();
  std::array<std::size_t, 3> margin{};
  for (unsigned a = 0; a < 3; ++a) {
    margin[a] =
        static_cast<std::size_t>(std::ceil(settings_.roi_margin_m / image.geometry.spacing_m[a]));
  }
  const auto box = box_around(*grown, margin, report.region_growing_voxels);
  for (unsigned a = 0; a < 3; ++a) {
    report.roi_start[a] = static_cast<std::size_t>(box.GetIndex()[a]);
    report.roi_size[a] = box.GetSize()[a];
  }
  clock.lap("region_growing");

  MaskImage::Pointer mask = crop<MaskImage>(grown, box);
  if (settings_.refine_with_level_set) {
    const auto feature = smoothed(crop<FloatImage>(input, box), settings_);
    clock.lap(fmt::format("smoothing_{}", to_string(settings_.smoothing)));
    mask = refine(feature, mask, settings_, report.level_set_iterations);
    report.level_set_voxels = 0;
    for (itk::ImageRegionConstIterator<MaskImage> it(mask, mask->GetLargestPossibleRegion());
         !it.IsAtEnd(); ++it) {
      report.level_set_voxels += it.Get() != 0 ? 1 : 0;
    }
    clock.lap("level_set");
  }
  // Everything outside the box is background, so the components are found in the box.
  LabelVolume lumen = box_labels(*mask);
  if (settings_.keep_largest_component)
    report.removed_component_voxels = keep_largest_component(lumen);
  paste(lumen, report.roi_start, result.labels);
  report.final_voxels = lumen_voxel_count(lumen);
  clock.lap("largest_component");
  return result;
}

}  // namespace ptwin::geometry::segmentation
