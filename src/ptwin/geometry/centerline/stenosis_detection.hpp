// SPDX-License-Identifier: Apache-2.0
#pragma once
// Stenosis along one segment, from its radius profile r(s):
//  1. Only the trusted part of the segment is searched: points farther than the given
//     exclusions from its ends (at a bifurcation the cross-section cuts the common lumen of the
//     daughters and its radius is not the vessel's).
//  2. r_min = the smallest radius there, at s_min; r_med = the median radius there.
//  3. The lesion is the run of points around s_min whose radius stays below
//     (1 - min_diameter_reduction / 2) r_med.
//  4. The reference r_ref is the mean radius of the healthy neighbours: the trusted points within
//     `reference_window_radii` x r_med before and after the lesion (r_med when there are none).
//  5. Diameter reduction D = 1 - r_min / r_ref (as in QCA: percent diameter stenosis); reported
//     when D >= min_diameter_reduction. Its length is the full width at half depth: the extent
//     around s_min where r < r_ref - (r_ref - r_min) / 2.
// One stenosis per segment (the deepest); serial lesions on one segment are a stated limit.

#include <optional>

#include "ptwin/geometry/centerline/vessel_network.hpp"

namespace ptwin::geometry::centerline {

struct StenosisCriteria {
  double min_diameter_reduction = 0.2;  // report from 20 % diameter reduction
  double reference_window_radii = 3.0;  // healthy windows, in median radii
};

/// The deepest stenosis of `segment` (points and radii set), searching points whose arc length
/// lies in [proximal_exclusion_m, length - distal_exclusion_m]; nullopt if none reaches the
/// criteria or no point is trusted.
[[nodiscard]] std::optional<Stenosis> detect_stenosis(const VesselSegment& segment, double proximal_exclusion_m,
                                                      double distal_exclusion_m, const StenosisCriteria& criteria);

}  // namespace ptwin::geometry::centerline
