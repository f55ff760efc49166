// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/mesh/gmsh_tetra_mesher.hpp"

#include <gmsh.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <numbers>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/mesh/detail/gmsh_session.hpp"

namespace ptwin::geometry::mesh {
namespace {

using detail::gmsh_step;

constexpr int kTriangleType = 2;     // Gmsh element type: 3-node triangle
constexpr int kTetrahedronType = 4;  // 4-node tetrahedron
constexpr int kMaxThreads = 1024;

[[noreturn]] void reject_setting(std::string_view field, std::string value, std::string rule) {
  throw InputError(ErrorCode::BadInput, fmt::format("TetraMeshSettings.{}", field),
                   std::move(value), std::move(rule));
}

void validate_settings(const TetraMeshSettings& settings, const std::map<int, double>& areas) {
  if (!std::isfinite(settings.element_size) || settings.element_size <= 0.0) {
    reject_setting("element_size", fmt::format("{}", settings.element_size),
                   "must be a finite length (m) or radius fraction > 0");
  }
  if (settings.threads < 1 || settings.threads > kMaxThreads) {
    reject_setting("threads", std::to_string(settings.threads),
                   fmt::format("must be between 1 and {}", kMaxThreads));
  }
  if (settings.inlet_label &&
      (*settings.inlet_label <= kWallLabel || !areas.contains(*settings.inlet_label))) {
    reject_setting("inlet_label", std::to_string(*settings.inlet_label),
                   "must be the label (> 0) of a cap of the surface");
  }
}

// Cap labels in increasing order, the inlet's first.
std::vector<int> caps_inlet_first(const std::map<int, double>& areas,
                                  const TetraMeshSettings& settings) {
  std::vector<int> caps;
  int largest = 0;
  double largest_area_m2 = -1.0;
  for (const auto& [label, area_m2] : areas) {
    if (label == kWallLabel) continue;
    caps.push_back(label);
    if (area_m2 > largest_area_m2) {  // ties keep the lower label
      largest = label;
      largest_area_m2 = area_m2;
    }
  }
  const int inlet = settings.inlet_label.value_or(largest);
  std::stable_partition(caps.begin(), caps.end(), [inlet](int label) { return label == inlet; });
  return caps;
}

std::vector<BoundaryPatch> make_patches(const std::vector<int>& caps_inlet_first) {
  std::vector<BoundaryPatch> patches;
  patches.push_back({"wall", BoundaryKind::Wall, kWallLabel, kWallPhysicalTag});
  for (std::size_t c = 0; c < caps_inlet_first.size(); ++c) {
    if (c == 0) {
      patches.push_back({"inlet", BoundaryKind::Inlet, caps_inlet_first[c], kInletPhysicalTag});
    } else {
      patches.push_back({fmt::format("outlet_{}", c), BoundaryKind::Outlet, caps_inlet_first[c],
                         kInletPhysicalTag + static_cast<int>(c)});
    }
  }
  return patches;
}

void set_options(const TetraMeshSettings& settings, double size_m) {
  gmsh_step("set options", [&] {
    gmsh::option::setNumber("General.NumThreads", settings.threads);
    gmsh::option::setNumber("Mesh.MaxNumThreads3D", settings.threads);
    gmsh::option::setNumber("Mesh.Algorithm3D",
                            settings.algorithm == VolumeAlgorithm::Hxt ? 10 : 1);
    gmsh::option::setNumber("Mesh.MeshSizeMax", size_m);
    gmsh::option::setNumber("Mesh.MeshSizeMin", 0.0);
    gmsh::option::setNumber("Mesh.MeshSizeExtendFromBoundary", 1);
    gmsh::option::setNumber("Mesh.Optimize", settings.optimise ? 1 : 0);
    gmsh::option::setNumber("Mesh.OptimizeNetgen", settings.optimise_netgen ? 1 : 0);
  });
}

// One discrete surface per patch; every node is classified on the wall surface (node tags are
// global in Gmsh, so caps may use them). Returns the surface tag of each patch.
std::vector<int> import_surface(const LabelledSurface& labelled,
                                const std::vector<BoundaryPatch>& patches) {
  const auto& surface = labelled.surface;
  std::vector<int> surface_tags;
  gmsh_step("import surface as discrete entities", [&] {
    for (std::size_t p = 0; p < patches.size(); ++p)
      surface_tags.push_back(gmsh::model::addDiscreteEntity(2));
    std::vector<std::size_t> node_tags(surface.points_m.size());
    std::vector<double> coordinates;
    coordinates.reserve(3 * surface.points_m.size());
    for (std::size_t n = 0; n < surface.points_m.size(); ++n) {
      node_tags[n] = n + 1;
      coordinates.insert(coordinates.end(), surface.points_m[n].begin(), surface.points_m[n].end());
    }
    gmsh::model::mesh::addNodes(2, surface_tags.front(), node_tags, coordinates);
    for (std::size_t p = 0; p < patches.size(); ++p) {
      std::vector<std::size_t> triangle_nodes;
      for (std::size_t t = 0; t < surface.triangles.size(); ++t) {
        if (labelled.triangle_labels[t] != patches[p].surface_label) continue;
        for (const std::uint32_t vertex : surface.triangles[t])
          triangle_nodes.push_back(vertex + 1);
      }
      gmsh::model::mesh::addElementsByType(surface_tags[p], kTriangleType, {}, triangle_nodes);
    }
  });
  return surface_tags;
}

int add_volume_and_groups(const std::vector<int>& surface_tags,
                          const std::vector<BoundaryPatch>& patches) {
  int volume_tag = 0;
  gmsh_step("create the volume bounded by the surfaces", [&] {
    // A volume of the built-in kernel bounded by the discrete surfaces: Gmsh meshes it from
    // their triangles (a discrete volume entity would be left empty by generate(3)).
    const int loop = gmsh::model::geo::addSurfaceLoop(surface_tags);
    volume_tag = gmsh::model::geo::addVolume({loop});
    gmsh::model::geo::synchronize();
    for (std::size_t p = 0; p < patches.size(); ++p) {
      gmsh::model::addPhysicalGroup(2, {surface_tags[p]}, patches[p].physical_tag);
      gmsh::model::setPhysicalName(2, patches[p].physical_tag, patches[p].name);
    }
    gmsh::model::addPhysicalGroup(3, {volume_tag}, kLumenPhysicalTag);
    gmsh::model::setPhysicalName(3, kLumenPhysicalTag, "lumen");
  });
  return volume_tag;
}

// Gmsh node tag -> index into TetraMesh::nodes_m.
struct NodeTable {
  std::vector<Vector3> nodes_m;
  std::vector<std::uint32_t> index_of_tag;
  [[nodiscard]] std::uint32_t index(std::size_t tag) const { return index_of_tag.at(tag); }
};

NodeTable read_nodes() {
  NodeTable table;
  gmsh_step("read nodes", [&] {
    std::vector<std::size_t> tags;
    std::vector<double> coordinates;
    std::vector<double> parametric;
    gmsh::model::mesh::getNodes(tags, coordinates, parametric, -1, -1, true, false);
    const std::size_t max_tag = tags.empty() ? 0 : *std::max_element(tags.begin(), tags.end());
    table.index_of_tag.assign(max_tag + 1, UINT32_MAX);
    table.nodes_m.reserve(tags.size());
    for (std::size_t n = 0; n < tags.size(); ++n) {
      if (table.index_of_tag[tags[n]] != UINT32_MAX) continue;  // a node listed twice
      table.index_of_tag[tags[n]] = static_cast<std::uint32_t>(table.nodes_m.size());
      table.nodes_m.push_back({coordinates[3 * n], coordinates[3 * n + 1], coordinates[3 * n + 2]});
    }
  });
  return table;
}

void read_tetrahedra(const NodeTable& table, int volume_tag, TetraMesh& mesh) {
  gmsh_step("read tetrahedra", [&] {
    std::vector<std::size_t> element_tags;
    std::vector<std::size_t> node_tags;
    gmsh::model::mesh::getElementsByType(kTetrahedronType, element_tags, node_tags, volume_tag);
    mesh.tetrahedra.reserve(element_tags.size());
    for (std::size_t e = 0; e < element_tags.size(); ++e) {
      std::array<std::uint32_t, 4> tet{};
      for (std::size_t v = 0; v < 4; ++v) tet[v] = table.index(node_tags[4 * e + v]);
      // Gmsh orients tetrahedra positively; the check guards the record's promise.
      if (tetrahedron_volume_m3(table.nodes_m[tet[0]], table.nodes_m[tet[1]], table.nodes_m[tet[2]],
                                table.nodes_m[tet[3]]) < 0.0) {
        std::swap(tet[2], tet[3]);
      }
      mesh.tetrahedra.push_back(tet);
    }
  });
  if (mesh.tetrahedra.empty()) {
    throw Error(ErrorCode::MeshingFailed, "Gmsh step 'generate 3D' produced no tetrahedra");
  }
}

void read_boundary(const NodeTable& table, const std::vector<int>& surface_tags, TetraMesh& mesh) {
  gmsh_step("read boundary triangles", [&] {
    for (std::size_t p = 0; p < surface_tags.size(); ++p) {
      std::vector<std::size_t> element_tags;
      std::vector<std::size_t> node_tags;
      gmsh::model::mesh::getElementsByType(kTriangleType, element_tags, node_tags, surface_tags[p]);
      for (std::size_t e = 0; e < element_tags.size(); ++e) {
        mesh.boundary_triangles.push_back({table.index(node_tags[3 * e]),
                                           table.index(node_tags[3 * e + 1]),
                                           table.index(node_tags[3 * e + 2])});
        mesh.boundary_patch.push_back(static_cast<std::uint32_t>(p));
      }
    }
  });
}

}  // namespace

double target_element_size_m(const LabelledSurface& labelled, const TetraMeshSettings& settings) {
  const std::map<int, double> areas = label_areas_m2(labelled);
  validate_settings(settings, areas);
  if (settings.size_mode == ElementSizeMode::Absolute) return settings.element_size;
  double smallest_cap_m2 = INFINITY;
  for (const auto& [label, area_m2] : areas) {
    if (label != kWallLabel) smallest_cap_m2 = std::min(smallest_cap_m2, area_m2);
  }
  return settings.element_size * std::sqrt(smallest_cap_m2 / std::numbers::pi);
}

TetraMesh mesh_volume(const LabelledSurface& labelled, const TetraMeshSettings& settings) {
  validate_labelled_surface(labelled, "mesh_volume: surface");
  const std::map<int, double> areas = label_areas_m2(labelled);
  const double size_m = target_element_size_m(labelled, settings);
  TetraMesh mesh;
  mesh.patches = make_patches(caps_inlet_first(areas, settings));

  const detail::GmshSession session(settings.verbose);
  gmsh_step("add model", [] { gmsh::model::add("ptwin_lumen"); });
  set_options(settings, size_m);
  const std::vector<int> surface_tags = import_surface(labelled, mesh.patches);
  const int volume_tag = add_volume_and_groups(surface_tags, mesh.patches);
  gmsh_step("generate 3D", [] { gmsh::model::mesh::generate(3); });
  if (!settings.msh_path.empty()) {
    gmsh_step(fmt::format("write {}", settings.msh_path), [&] { gmsh::write(settings.msh_path); });
  }

  const NodeTable table = read_nodes();
  read_tetrahedra(table, volume_tag, mesh);
  read_boundary(table, surface_tags, mesh);
  mesh.nodes_m = table.nodes_m;
  if (mesh.boundary_triangles.size() != labelled.surface.triangles.size()) {
    throw Error(ErrorCode::MeshingFailed,
                fmt::format("Gmsh step 'generate 3D' changed the boundary: {} triangles in, {} out",
                            labelled.surface.triangles.size(), mesh.boundary_triangles.size()));
  }
  // Gmsh 4.8's HXT with several threads was seen to leave gaps (faces of one tetrahedron inside
  // the volume); such a mesh is refused rather than handed to a solver.
  if (const Conformity conformity = check_conformity(mesh); !conformity.is_conforming()) {
    throw Error(ErrorCode::MeshingFailed,
                fmt::format("Gmsh step 'generate 3D' returned a non-conforming mesh: {} faces in "
                            "three or more tetrahedra, {} interior faces in one tetrahedron only, "
                            "{} boundary triangles not on a tetrahedron",
                            conformity.overshared_faces, conformity.unmatched_tet_faces,
                            conformity.unmatched_boundary));
  }
  return mesh;
}

}  // namespace ptwin::geometry::mesh
