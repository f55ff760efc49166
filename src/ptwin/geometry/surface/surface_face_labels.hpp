// SPDX-License-Identifier: Apache-2.0
#pragma once
// Which part of a vessel surface each triangle belongs to: the wall, or one of the planar caps
// that close the vessel where it leaves the image. Kept beside TriangleSurface (same triangle
// order) so that volume meshing can label inlet, outlets and wall for boundary conditions.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ptwin/ingest/dicom/image_volume.hpp"

namespace ptwin::geometry::surface {

inline constexpr std::int32_t kWallLabel = 0;  // caps are numbered 1, 2, ... (CapInfo::label)

enum class CapRole { kInlet, kOutlet };

struct CapInfo {
  std::int32_t label = 0;  // the value in SurfaceFaceLabels::per_triangle
  CapRole role = CapRole::kOutlet;
  std::string image_face;                   // the image face the cap lies on: "i_min" ... "k_max"
  ingest::dicom::Vector3 centroid_m{};      // area-weighted, patient frame
  ingest::dicom::Vector3 outward_normal{};  // unit, patient frame
  double area_m2 = 0.0;
  std::size_t triangle_count = 0;
};

struct SurfaceFaceLabels {
  std::vector<std::int32_t> per_triangle;  // kWallLabel or a cap's label, one per triangle
  std::vector<CapInfo> caps;               // ordered by label
};

[[nodiscard]] inline const char* to_string(CapRole role) {
  return role == CapRole::kInlet ? "inlet" : "outlet";
}

}  // namespace ptwin::geometry::surface
