// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/mesh/tetra_mesh.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <stdexcept>
#include <utility>

namespace ptwin::geometry::mesh {
namespace {

using Face = std::array<std::uint32_t, 3>;

Face sorted_face(std::uint32_t a, std::uint32_t b, std::uint32_t c) {
  Face face{a, b, c};
  std::sort(face.begin(), face.end());
  return face;
}

struct FaceHash {
  std::size_t operator()(const Face& face) const noexcept {
    std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a over the three indices
    for (const std::uint32_t index : face) hash = (hash ^ index) * 1099511628211ULL;
    return static_cast<std::size_t>(hash);
  }
};

Vector3 minus(const Vector3& a, const Vector3& b) {
  return {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
}

}  // namespace

double tetrahedron_volume_m3(const Vector3& a, const Vector3& b, const Vector3& c,
                             const Vector3& d) {
  return ingest::dicom::dot(minus(b, a), ingest::dicom::cross(minus(c, a), minus(d, a))) / 6.0;
}

double mesh_volume_m3(const TetraMesh& mesh) {
  double volume_m3 = 0.0;
  for (const auto& tet : mesh.tetrahedra) {
    volume_m3 += tetrahedron_volume_m3(mesh.nodes_m[tet[0]], mesh.nodes_m[tet[1]],
                                       mesh.nodes_m[tet[2]], mesh.nodes_m[tet[3]]);
  }
  return volume_m3;
}

double patch_area_m2(const TetraMesh& mesh, std::size_t patch_index) {
  double area_m2 = 0.0;
  for (std::size_t t = 0; t < mesh.boundary_triangles.size(); ++t) {
    if (mesh.boundary_patch[t] != patch_index) continue;
    const auto& triangle = mesh.boundary_triangles[t];
    const Vector3& a = mesh.nodes_m[triangle[0]];
    const Vector3 normal = ingest::dicom::cross(minus(mesh.nodes_m[triangle[1]], a),
                                                minus(mesh.nodes_m[triangle[2]], a));
    area_m2 += 0.5 * std::sqrt(ingest::dicom::dot(normal, normal));
  }
  return area_m2;
}

Conformity check_conformity(const TetraMesh& mesh) {
  std::unordered_map<Face, std::uint32_t, FaceHash> tets_per_face;
  tets_per_face.reserve(mesh.tetrahedra.size() * 3);
  for (const auto& tet : mesh.tetrahedra) {
    ++tets_per_face[sorted_face(tet[1], tet[2], tet[3])];
    ++tets_per_face[sorted_face(tet[0], tet[2], tet[3])];
    ++tets_per_face[sorted_face(tet[0], tet[1], tet[3])];
    ++tets_per_face[sorted_face(tet[0], tet[1], tet[2])];
  }
  Conformity conformity;
  std::size_t matched_boundary = 0;
  for (const auto& triangle : mesh.boundary_triangles) {
    const auto found = tets_per_face.find(sorted_face(triangle[0], triangle[1], triangle[2]));
    if (found == tets_per_face.end() || found->second != 1) {
      ++conformity.unmatched_boundary;
    } else {
      ++matched_boundary;
    }
  }
  std::size_t single = 0;
  for (const auto& [face, count] : tets_per_face) {
    if (count > 2) ++conformity.overshared_faces;
    if (count == 1) ++single;
  }
  conformity.unmatched_tet_faces = single - matched_boundary;
  return conformity;
}

std::size_t orient_boundary_outward(TetraMesh& mesh) {
  std::unordered_map<Face, std::size_t, FaceHash> boundary_of_face;
  boundary_of_face.reserve(mesh.boundary_triangles.size());
  for (std::size_t t = 0; t < mesh.boundary_triangles.size(); ++t) {
    const auto& triangle = mesh.boundary_triangles[t];
    boundary_of_face.emplace(sorted_face(triangle[0], triangle[1], triangle[2]), t);
  }
  std::size_t turned = 0;
  for (const auto& tet : mesh.tetrahedra) {
    for (std::size_t opposite = 0; opposite < 4; ++opposite) {
      const std::uint32_t a = tet[(opposite + 1) % 4];
      const std::uint32_t b = tet[(opposite + 2) % 4];
      const std::uint32_t c = tet[(opposite + 3) % 4];
      const auto found = boundary_of_face.find(sorted_face(a, b, c));
      if (found == boundary_of_face.end()) continue;
      auto& triangle = mesh.boundary_triangles[found->second];
      // Outward: the tetrahedron's fourth node lies behind the triangle (negative signed volume).
      if (tetrahedron_volume_m3(mesh.nodes_m[triangle[0]], mesh.nodes_m[triangle[1]],
                                mesh.nodes_m[triangle[2]], mesh.nodes_m[tet[opposite]]) > 0.0) {
        std::swap(triangle[1], triangle[2]);
        ++turned;
      }
    }
  }
  return turned;
}

std::size_t patch_index(const TetraMesh& mesh, const std::string& name) {
  for (std::size_t p = 0; p < mesh.patches.size(); ++p) {
    if (mesh.patches[p].name == name) return p;
  }
  throw std::out_of_range("TetraMesh has no boundary patch named '" + name + "'");
}

}  // namespace ptwin::geometry::mesh
