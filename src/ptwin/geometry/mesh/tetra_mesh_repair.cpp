// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/mesh/tetra_mesh_repair.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ptwin::geometry::mesh {
namespace {

using Face = std::array<std::uint32_t, 3>;

// Passes over the mesh: peeling one tetrahedron may expose another flat one behind it; each
// pass skips tetrahedra next to one peeled in the same pass, so a few passes are needed. Beyond
// this, what is left is reported by check_quality like any other bad element.
constexpr int kMaxPasses = 8;
// Compass-search steps per node moved: with halving, the last step is 0.2 x 2^-k of the
// neighbour spacing at most; 24 iterations are ample for the few nodes concerned.
constexpr int kCompassIterations = 24;

Face sorted_face(Face face) {
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

std::uint64_t edge_key(std::uint32_t a, std::uint32_t b) {
  return (static_cast<std::uint64_t>(std::min(a, b)) << 32U) | std::max(a, b);
}

// The face of `tet` opposite its vertex `opposite`.
Face face_opposite(const std::array<std::uint32_t, 4>& tet, std::size_t opposite) {
  return {tet[(opposite + 1) % 4], tet[(opposite + 2) % 4], tet[(opposite + 3) % 4]};
}

bool breaks(const TetQuality& q, const MeshQualityThresholds& limits) {
  return threshold_score(q, limits) < 1.0;
}

TetQuality quality_of(const TetraMesh& mesh, const std::array<std::uint32_t, 4>& tet) {
  return tet_quality(mesh.nodes_m[tet[0]], mesh.nodes_m[tet[1]], mesh.nodes_m[tet[2]],
                     mesh.nodes_m[tet[3]]);
}

double worst_score(const TetraMesh& mesh, const std::vector<std::size_t>& tets,
                   const MeshQualityThresholds& limits) {
  double worst = INFINITY;
  for (const std::size_t t : tets) {
    worst = std::min(worst, threshold_score(quality_of(mesh, mesh.tetrahedra[t]), limits));
  }
  return worst;
}

// Tries the mean of the node's neighbours and points part of the way there, then a compass
// search (steps along +-x, +-y, +-z, halved when none helps) from the best of those; keeps the
// result if it beats the current position. Returns whether the node moved.
bool relocate(TetraMesh& mesh, std::uint32_t node, const std::vector<std::size_t>& around,
              const MeshQualityThresholds& limits) {
  Vector3 mean{0.0, 0.0, 0.0};
  std::size_t count = 0;
  double spacing_m = 0.0;
  const Vector3 start = mesh.nodes_m[node];
  for (const std::size_t t : around) {
    for (const std::uint32_t n : mesh.tetrahedra[t]) {
      if (n == node) continue;
      double squared = 0.0;
      for (std::size_t k = 0; k < 3; ++k) {
        mean[k] += mesh.nodes_m[n][k];
        squared += (mesh.nodes_m[n][k] - start[k]) * (mesh.nodes_m[n][k] - start[k]);
      }
      spacing_m += std::sqrt(squared);
      ++count;
    }
  }
  for (double& coordinate : mean) coordinate /= static_cast<double>(count);
  spacing_m /= static_cast<double>(count);
  const double start_score = worst_score(mesh, around, limits);
  double best_score = start_score;
  Vector3 best = start;
  for (const double fraction : {1.0, 0.75, 0.5, 0.25}) {
    for (std::size_t k = 0; k < 3; ++k) {
      mesh.nodes_m[node][k] = start[k] + fraction * (mean[k] - start[k]);
    }
    const double score = worst_score(mesh, around, limits);
    if (score > best_score) {
      best_score = score;
      best = mesh.nodes_m[node];
    }
  }
  double step_m = 0.2 * spacing_m;
  for (int iteration = 0; iteration < kCompassIterations; ++iteration) {
    Vector3 best_trial = best;
    double best_trial_score = best_score;
    for (std::size_t k = 0; k < 3; ++k) {
      for (const double sign : {1.0, -1.0}) {
        mesh.nodes_m[node] = best;
        mesh.nodes_m[node][k] += sign * step_m;
        const double score = worst_score(mesh, around, limits);
        if (score > best_trial_score) {
          best_trial_score = score;
          best_trial = mesh.nodes_m[node];
        }
      }
    }
    if (best_trial_score > best_score) {
      best_score = best_trial_score;
      best = best_trial;
    } else {
      step_m *= 0.5;
    }
  }
  mesh.nodes_m[node] = best;
  return best_score > start_score;
}

// One pass; returns the tetrahedra removed in it.
// The boundary triangles by face, and how many of them use each edge and node.
struct BoundaryIndex {
  std::unordered_map<Face, std::size_t, FaceHash> triangle_of_face;
  std::unordered_map<std::uint64_t, int> edge_use;
  std::vector<int> node_use;

  explicit BoundaryIndex(const TetraMesh& mesh) : node_use(mesh.nodes_m.size(), 0) {
    for (std::size_t b = 0; b < mesh.boundary_triangles.size(); ++b) {
      const Face& triangle = mesh.boundary_triangles[b];
      triangle_of_face.emplace(sorted_face(triangle), b);
      for (const std::uint32_t n : triangle) ++node_use[n];
      for (std::size_t e = 0; e < 3; ++e) ++edge_use[edge_key(triangle[e], triangle[(e + 1) % 3])];
    }
  }
};

// The faces of `tet` on the boundary: the vertex each is opposite, and its boundary triangle.
struct BoundaryFaces {
  std::vector<std::size_t> opposite;
  std::array<std::size_t, 4> triangle_of{};
  [[nodiscard]] bool has(std::size_t v) const {
    return std::find(opposite.begin(), opposite.end(), v) != opposite.end();
  }
};

// Whether removing `tet` keeps the boundary a closed 2-manifold with one patch where it was.
bool is_peelable(const TetraMesh& mesh, const BoundaryIndex& index,
                 const std::array<std::uint32_t, 4>& tet, const BoundaryFaces& faces) {
  if (faces.opposite.size() < 2 || faces.opposite.size() > 3) return false;
  const std::uint32_t patch = mesh.boundary_patch[faces.triangle_of[faces.opposite[0]]];
  for (const std::size_t v : faces.opposite) {
    if (mesh.boundary_patch[faces.triangle_of[v]] != patch) return false;
  }
  if (faces.opposite.size() == 2) {
    // The new wall edge joins the two vertices opposite the boundary faces.
    return !index.edge_use.contains(edge_key(tet[faces.opposite[0]], tet[faces.opposite[1]]));
  }
  // Three faces: their common vertex must be on no other boundary triangle (then no other
  // tetrahedron has it); it leaves the mesh with the tetrahedron.
  std::size_t apex = 0;  // the vertex opposite no boundary face
  while (faces.has(apex)) ++apex;
  return index.node_use[tet[apex]] == 3;
}

void remove_marked(TetraMesh& mesh, const std::vector<bool>& is_removed_tet,
                   const std::vector<bool>& is_removed_triangle) {
  std::size_t kept_tets = 0;
  for (std::size_t t = 0; t < mesh.tetrahedra.size(); ++t) {
    if (!is_removed_tet[t]) mesh.tetrahedra[kept_tets++] = mesh.tetrahedra[t];
  }
  mesh.tetrahedra.resize(kept_tets);
  std::size_t kept = 0;
  for (std::size_t b = 0; b < mesh.boundary_triangles.size(); ++b) {
    if (is_removed_triangle[b]) continue;
    mesh.boundary_triangles[kept] = mesh.boundary_triangles[b];
    mesh.boundary_patch[kept] = mesh.boundary_patch[b];
    ++kept;
  }
  mesh.boundary_triangles.resize(kept);
  mesh.boundary_patch.resize(kept);
}

PeelingResult peel_once(TetraMesh& mesh, const MeshQualityThresholds& limits) {
  const BoundaryIndex index(mesh);
  PeelingResult result;
  std::vector<bool> is_removed_tet(mesh.tetrahedra.size(), false);
  std::vector<bool> is_removed_triangle(mesh.boundary_triangles.size(), false);
  std::vector<bool> is_touched_node(mesh.nodes_m.size(), false);
  for (std::size_t t = 0; t < mesh.tetrahedra.size(); ++t) {
    const auto tet = mesh.tetrahedra[t];
    BoundaryFaces faces;
    for (std::size_t v = 0; v < 4; ++v) {
      const auto found = index.triangle_of_face.find(sorted_face(face_opposite(tet, v)));
      if (found == index.triangle_of_face.end()) continue;
      faces.opposite.push_back(v);
      faces.triangle_of[v] = found->second;
    }
    if (!is_peelable(mesh, index, tet, faces)) continue;
    if (std::any_of(tet.begin(), tet.end(), [&](std::uint32_t n) { return is_touched_node[n]; }))
      continue;
    const TetQuality quality = quality_of(mesh, tet);
    if (!breaks(quality, limits)) continue;
    const std::uint32_t patch = mesh.boundary_patch[faces.triangle_of[faces.opposite[0]]];
    is_removed_tet[t] = true;
    for (const std::size_t v : faces.opposite) is_removed_triangle[faces.triangle_of[v]] = true;
    for (const std::uint32_t n : tet) is_touched_node[n] = true;
    for (std::size_t v = 0; v < 4; ++v) {
      if (faces.has(v)) continue;
      mesh.boundary_triangles.push_back(face_opposite(tet, v));
      mesh.boundary_patch.push_back(patch);
      is_removed_triangle.push_back(false);
    }
    ++result.removed;
    result.removed_volume_m3 += quality.volume_m3;
  }
  if (result.removed > 0) remove_marked(mesh, is_removed_tet, is_removed_triangle);
  return result;
}

}  // namespace

double threshold_score(const TetQuality& q, const MeshQualityThresholds& limits) {
  if (q.volume_m3 <= 0.0) return 0.0;
  return std::min({q.min_dihedral_deg / limits.min_dihedral_deg,
                   (180.0 - q.max_dihedral_deg) / (180.0 - limits.max_dihedral_deg),
                   q.radius_ratio / limits.min_radius_ratio,
                   (1.0 - q.volume_skewness) / (1.0 - limits.max_volume_skewness),
                   (1.0 - q.equiangle_skewness) / (1.0 - limits.max_equiangle_skewness)});
}

std::size_t relocate_interior_nodes(TetraMesh& mesh, const MeshQualityThresholds& thresholds,
                                    int passes) {
  std::vector<bool> is_boundary(mesh.nodes_m.size(), false);
  for (const auto& triangle : mesh.boundary_triangles) {
    for (const std::uint32_t n : triangle) is_boundary[n] = true;
  }
  std::unordered_map<std::uint32_t, std::vector<std::size_t>> tets_around;
  std::size_t moves = 0;
  for (int pass = 0; pass < passes; ++pass) {
    std::vector<std::uint32_t> candidates;
    for (const auto& tet : mesh.tetrahedra) {
      if (!breaks(quality_of(mesh, tet), thresholds)) continue;
      for (const std::uint32_t n : tet) {
        if (!is_boundary[n]) candidates.push_back(n);
      }
    }
    if (candidates.empty()) break;
    if (tets_around.empty()) {
      for (std::size_t t = 0; t < mesh.tetrahedra.size(); ++t) {
        for (const std::uint32_t n : mesh.tetrahedra[t]) {
          if (!is_boundary[n]) tets_around[n].push_back(t);
        }
      }
    }
    std::size_t moved = 0;
    for (const std::uint32_t node : candidates) {
      moved += relocate(mesh, node, tets_around.at(node), thresholds) ? 1 : 0;
    }
    moves += moved;
    if (moved == 0) break;
  }
  return moves;
}

PeelingResult peel_boundary_slivers(TetraMesh& mesh, const MeshQualityThresholds& thresholds) {
  PeelingResult total;
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    const PeelingResult step = peel_once(mesh, thresholds);
    total.removed += step.removed;
    total.removed_volume_m3 += step.removed_volume_m3;
    if (step.removed == 0) break;
  }
  if (total.removed == 0) return total;
  // A tetrahedron with three boundary faces takes its apex out of the mesh: drop such nodes.
  std::vector<std::uint32_t> new_index(mesh.nodes_m.size(), UINT32_MAX);
  for (const auto& tet : mesh.tetrahedra) {
    for (const std::uint32_t n : tet) new_index[n] = 0;
  }
  std::vector<Vector3> nodes;
  for (std::size_t n = 0; n < mesh.nodes_m.size(); ++n) {
    if (new_index[n] == UINT32_MAX) continue;
    new_index[n] = static_cast<std::uint32_t>(nodes.size());
    nodes.push_back(mesh.nodes_m[n]);
  }
  if (nodes.size() != mesh.nodes_m.size()) {
    for (auto& tet : mesh.tetrahedra) {
      for (std::uint32_t& n : tet) n = new_index[n];
    }
    for (auto& triangle : mesh.boundary_triangles) {
      for (std::uint32_t& n : triangle) n = new_index[n];
    }
    mesh.nodes_m = std::move(nodes);
  }
  (void)orient_boundary_outward(mesh);
  return total;
}

}  // namespace ptwin::geometry::mesh
