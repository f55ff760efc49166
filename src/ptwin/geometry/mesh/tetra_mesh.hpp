// SPDX-License-Identifier: Apache-2.0
#pragma once
// A linear tetrahedral mesh of a vessel lumen with its boundary triangles grouped into labelled
// patches (wall, inlet, outlets) for boundary conditions: the "VolumeMesh with labelled
// boundaries" of DESIGN.md. Free of Gmsh and VTK types.
//
// Patches and physical groups (the same tags are written as Gmsh physical groups and as the
// `patch_tag` cell data of the .vtp file):
//   dim 2, tag 1           "wall"       surface label 0
//   dim 2, tag 2           "inlet"      the inlet cap
//   dim 2, tag 2 + k       "outlet_k"   the other caps, k = 1, 2, ... in increasing cap label
//   dim 3, tag 1           "lumen"      every tetrahedron

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "ptwin/ingest/dicom/image_volume.hpp"

namespace ptwin::geometry::mesh {

using ingest::dicom::Vector3;

enum class BoundaryKind { Wall, Inlet, Outlet };

inline constexpr int kWallPhysicalTag = 1;
inline constexpr int kInletPhysicalTag = 2;
inline constexpr int kLumenPhysicalTag = 1;

struct BoundaryPatch {
  std::string name;  // "wall", "inlet", "outlet_1", ...
  BoundaryKind kind = BoundaryKind::Wall;
  int surface_label = 0;  // the label these triangles carried in the input surface
  int physical_tag = 0;   // dim-2 physical group tag
  friend bool operator==(const BoundaryPatch&, const BoundaryPatch&) = default;
};

struct TetraMesh {
  std::vector<Vector3> nodes_m;                                  // patient frame (LPS), metres
  std::vector<std::array<std::uint32_t, 4>> tetrahedra;          // positively oriented
  std::vector<std::array<std::uint32_t, 3>> boundary_triangles;  // outward normals
  std::vector<std::uint32_t> boundary_patch;  // per boundary triangle: index into `patches`
  std::vector<BoundaryPatch> patches;         // wall first, then inlet, then outlets
};

/// Signed volume (m^3) of tetrahedron (a, b, c, d): positive when (b-a, c-a, d-a) is right-handed.
[[nodiscard]] double tetrahedron_volume_m3(const Vector3& a, const Vector3& b, const Vector3& c,
                                           const Vector3& d);

/// The sum of the tetrahedra's signed volumes (m^3).
[[nodiscard]] double mesh_volume_m3(const TetraMesh& mesh);

/// The area (m^2) of the boundary triangles of `patches[patch_index]`.
[[nodiscard]] double patch_area_m2(const TetraMesh& mesh, std::size_t patch_index);

/// Whether the tetrahedra form a conforming mesh whose boundary is `boundary_triangles`: no
/// face shared by more than two tetrahedra, every face of one tetrahedron only a boundary
/// triangle, and every boundary triangle a face of a tetrahedron.
struct Conformity {
  std::size_t overshared_faces = 0;     // in three or more tetrahedra
  std::size_t unmatched_tet_faces = 0;  // in one tetrahedron, not a boundary triangle (a gap)
  std::size_t unmatched_boundary = 0;   // boundary triangles that no tetrahedron has
  [[nodiscard]] bool is_conforming() const {
    return overshared_faces == 0 && unmatched_tet_faces == 0 && unmatched_boundary == 0;
  }
};

[[nodiscard]] Conformity check_conformity(const TetraMesh& mesh);

/// Reorders the vertices of each boundary triangle that is a face of a tetrahedron so that its
/// normal points away from that tetrahedron (outward). Returns how many triangles were turned;
/// triangles that are no tetrahedron's face are left as they are (check_conformity counts them).
std::size_t orient_boundary_outward(TetraMesh& mesh);

/// The index of the patch named `name`; throws std::out_of_range naming it when absent.
[[nodiscard]] std::size_t patch_index(const TetraMesh& mesh, const std::string& name);

}  // namespace ptwin::geometry::mesh
