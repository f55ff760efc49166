// SPDX-License-Identifier: Apache-2.0
#include "itk_distance_baseline.hpp"

#include <itkImage.h>
#include <itkSignedMaurerDistanceMapImageFilter.h>

namespace ptwin::bench {

std::vector<float> itk_squared_distance(const geometry::centerline::LumenGrid& grid) {
  using MaskImage = itk::Image<unsigned char, 3>;
  using DistanceImage = itk::Image<float, 3>;
  auto mask = MaskImage::New();
  MaskImage::RegionType region;
  MaskImage::SizeType size;
  for (unsigned a = 0; a < 3; ++a) size[a] = grid.size[a];
  region.SetSize(size);
  mask->SetRegions(region);
  MaskImage::SpacingType spacing;
  for (unsigned a = 0; a < 3; ++a) spacing[a] = grid.geometry.spacing_m[a];
  mask->SetSpacing(spacing);
  mask->Allocate();
  std::copy(grid.mask.begin(), grid.mask.end(), mask->GetBufferPointer());
  // Distances of the background set (value 0) measured inside the lumen: the background is the
  // "object" whose outside distances we want, so the lumen side is positive (InsideIsPositive
  // off) and squared (SquaredDistance on); voxel centres, like ours (UseImageSpacing on).
  using Filter = itk::SignedMaurerDistanceMapImageFilter<MaskImage, DistanceImage>;
  auto filter = Filter::New();
  filter->SetInput(mask);
  filter->SetBackgroundValue(1);
  filter->SetInsideIsPositive(false);
  filter->SetSquaredDistance(true);
  filter->SetUseImageSpacing(true);
  filter->Update();
  const auto* out = filter->GetOutput()->GetBufferPointer();
  std::vector<float> squared(grid.voxel_count());
  for (std::size_t v = 0; v < squared.size(); ++v) squared[v] = grid.mask[v] != 0 ? std::max(out[v], 0.0F) : 0.0F;
  return squared;
}

}  // namespace ptwin::bench
