// SPDX-License-Identifier: Apache-2.0
#pragma once
// A triangulated surface in the patient frame (LPS, metres): the record that crosses from surface
// extraction (VTK) to volume meshing and to writers, kept free of VTK types so that its users do
// not compile VTK headers. Triangles index `points_m` and are oriented with outward normals
// (counter-clockwise seen from outside) once the surface is closed.

#include <array>
#include <cstdint>
#include <vector>

#include "ptwin/ingest/dicom/image_volume.hpp"

namespace ptwin::geometry::surface {

using ingest::dicom::Vector3;

struct TriangleSurface {
  std::vector<Vector3> points_m;
  std::vector<std::array<std::uint32_t, 3>> triangles;
};

}  // namespace ptwin::geometry::surface
