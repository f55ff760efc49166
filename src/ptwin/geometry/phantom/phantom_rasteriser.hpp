// SPDX-License-Identifier: Apache-2.0
#pragma once
// Partial-volume rasterisation of vessel branches (tapered capsules between consecutive
// centerline points) onto a volume grid, and the Gaussian blur of the image.

#include <vector>

#include "ptwin/geometry/phantom/vessel_tree_phantom.hpp"

namespace ptwin::geometry::phantom {

/// The lumen fraction (0..1) of each voxel of `geometry`, from `supersampling`^3 points per
/// voxel tested against the union of all branches.
[[nodiscard]] std::vector<float> lumen_fraction(const ingest::dicom::VolumeGeometry& geometry,
                                                const std::vector<VesselBranch>& branches,
                                                int supersampling);

/// Separable Gaussian blur with standard deviation `sigma_m` along each axis (edges replicate).
void gaussian_blur(ingest::dicom::ImageVolume& volume, double sigma_m);

}  // namespace ptwin::geometry::phantom
