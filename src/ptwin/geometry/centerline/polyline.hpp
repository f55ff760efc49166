// SPDX-License-Identifier: Apache-2.0
#pragma once
// Polyline operations for centerlines: resampling at a fixed arc-length step and Gaussian
// smoothing that keeps both end points where they are.

#include <vector>

#include "ptwin/ingest/dicom/image_volume.hpp"

namespace ptwin::geometry::centerline {

using ingest::dicom::Vector3;

/// Points at equal arc-length steps of about `step_m` (the step that divides the length into a
/// whole number of pieces), first and last points kept exactly. At least 2 points.
[[nodiscard]] std::vector<Vector3> resample(const std::vector<Vector3>& points, double step_m);

/// Gaussian-weighted moving average of equally spaced points, `sigma_points` standard deviation
/// in points. The window is cut symmetrically near the ends (half-width min(3 sigma, distance to
/// the end)), so the end points stay fixed and no point is pulled towards one side.
[[nodiscard]] std::vector<Vector3> smooth(const std::vector<Vector3>& points, double sigma_points);

}  // namespace ptwin::geometry::centerline
