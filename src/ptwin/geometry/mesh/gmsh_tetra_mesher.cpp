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
#include "ptwin/geometry/mesh/tetra_mesh_repair.hpp"
#include "ptwin/geometry/mesh/detail/gmsh_session.hpp"
#include "ptwin/geometry/mesh/gmsh_surface_remesher.hpp"
#include "ptwin/geometry/surface/surface_check.hpp"

namespace ptwin::geometry::mesh {
namespace {

using detail::gmsh_step;

// The Gmsh surfaces bounding the volume and the patch (index into TetraMesh::patches) of each.
struct BoundarySurfaces {
  std::vector<int> tags;
  std::vector<std::size_t> patch_of_surface;
};

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
  if (!(settings.feature_angle_deg > 0.0 && settings.feature_angle_deg <= 180.0)) {
    reject_setting("feature_angle_deg", fmt::format("{}", settings.feature_angle_deg),
                   "must be an angle in degrees in (0, 180]");
  }
  if (!std::isfinite(settings.remesh_volume_tolerance) || settings.remesh_volume_tolerance <= 0.0) {
    reject_setting("remesh_volume_tolerance", fmt::format("{}", settings.remesh_volume_tolerance),
                   "must be a finite relative volume change > 0");
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
    if (settings.surface_remeshing == SurfaceRemeshing::Remesh) {
      // Measured on the vessel phantom's remeshed surface (docs/geometry.md): optimising every
      // tetrahedron of Gmsh's quality below 0.6 (default 0.3) halved those that break the
      // default thresholds.
      gmsh::option::setNumber("Mesh.OptimizeThreshold", 0.6);
    }
  });
}

// One discrete surface per patch; every node is classified on the wall surface (node tags are
// global in Gmsh, so caps may use them). Returns the surface of each patch.
BoundarySurfaces import_surface(const LabelledSurface& labelled,
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
  BoundarySurfaces surfaces{surface_tags, {}};
  for (std::size_t p = 0; p < patches.size(); ++p) surfaces.patch_of_surface.push_back(p);
  return surfaces;
}

int add_volume_and_groups(const BoundarySurfaces& surfaces,
                          const std::vector<BoundaryPatch>& patches) {
  int volume_tag = 0;
  gmsh_step("create the volume bounded by the surfaces", [&] {
    // A volume of the built-in kernel bounded by the discrete surfaces: Gmsh meshes it from
    // their triangles (a discrete volume entity would be left empty by generate(3)).
    const int loop = gmsh::model::geo::addSurfaceLoop(surfaces.tags);
    volume_tag = gmsh::model::geo::addVolume({loop});
    gmsh::model::geo::synchronize();
    for (std::size_t p = 0; p < patches.size(); ++p) {
      std::vector<int> patch_surfaces;
      for (std::size_t s = 0; s < surfaces.tags.size(); ++s) {
        if (surfaces.patch_of_surface[s] == p) patch_surfaces.push_back(surfaces.tags[s]);
      }
      gmsh::model::addPhysicalGroup(2, patch_surfaces, patches[p].physical_tag);
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

void read_boundary(const NodeTable& table, const BoundarySurfaces& surfaces, TetraMesh& mesh) {
  gmsh_step("read boundary triangles", [&] {
    for (std::size_t s = 0; s < surfaces.tags.size(); ++s) {
      std::vector<std::size_t> element_tags;
      std::vector<std::size_t> node_tags;
      gmsh::model::mesh::getElementsByType(kTriangleType, element_tags, node_tags, surfaces.tags[s]);
      for (std::size_t e = 0; e < element_tags.size(); ++e) {
        mesh.boundary_triangles.push_back({table.index(node_tags[3 * e]),
                                           table.index(node_tags[3 * e + 1]),
                                           table.index(node_tags[3 * e + 2])});
        mesh.boundary_patch.push_back(static_cast<std::uint32_t>(surfaces.patch_of_surface[s]));
      }
    }
  });
}

// Kept surface: the boundary must be the input, triangle for triangle.
void check_kept_boundary(const LabelledSurface& labelled, const TetraMesh& mesh) {
  if (mesh.boundary_triangles.size() != labelled.surface.triangles.size()) {
    throw Error(ErrorCode::MeshingFailed,
                fmt::format("Gmsh step 'generate 3D' changed the boundary: {} triangles in, {} out",
                            labelled.surface.triangles.size(), mesh.boundary_triangles.size()));
  }
}

// Remeshed surface: flat tetrahedra against the wall are peeled and interior nodes of bad ones
// relocated (tetra_mesh_repair.hpp); every patch must still have triangles, and the volume must
// stay within the tolerance of the input's.
void finish_remeshed_boundary(const LabelledSurface& labelled, const TetraMeshSettings& settings,
                              TetraMesh& mesh) {
  if (const Conformity conformity = check_conformity(mesh); conformity.is_conforming()) {
    (void)peel_boundary_slivers(mesh, MeshQualityThresholds{});
    (void)relocate_interior_nodes(mesh, MeshQualityThresholds{});
  }
  for (std::size_t p = 0; p < mesh.patches.size(); ++p) {
    if (std::find(mesh.boundary_patch.begin(), mesh.boundary_patch.end(), p) ==
        mesh.boundary_patch.end()) {
      throw Error(ErrorCode::MeshingFailed,
                  fmt::format("Gmsh step 'generate 3D' left patch '{}' without triangles",
                              mesh.patches[p].name));
    }
  }
  const double input_m3 = surface::enclosed_volume_m3(labelled.surface);
  const double change = mesh_volume_m3(mesh) / input_m3 - 1.0;
  if (!(std::abs(change) <= settings.remesh_volume_tolerance)) {
    throw Error(ErrorCode::MeshingFailed,
                fmt::format("Gmsh step 'remesh the surface' changed the enclosed volume by {:.2f} "
                            "% (TetraMeshSettings.remesh_volume_tolerance {:.2f} %): input {} m^3, "
                            "mesh {} m^3",
                            100.0 * change, 100.0 * settings.remesh_volume_tolerance, input_m3,
                            mesh_volume_m3(mesh)));
  }
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

namespace {

// Fills `surface` (whose labels are those of `patches`) keeping its triangles as the boundary.
TetraMesh fill_surface(const LabelledSurface& surface, std::vector<BoundaryPatch> patches,
                       const TetraMeshSettings& settings, double size_m) {
  TetraMesh mesh;
  mesh.patches = std::move(patches);
  const detail::GmshSession session(settings.verbose);
  gmsh_step("add model", [] { gmsh::model::add("ptwin_lumen"); });
  set_options(settings, size_m);
  const BoundarySurfaces surfaces = import_surface(surface, mesh.patches);
  const int volume_tag = add_volume_and_groups(surfaces, mesh.patches);
  gmsh_step("generate 3D", [] { gmsh::model::mesh::generate(3); });
  if (!settings.msh_path.empty()) {
    gmsh_step(fmt::format("write {}", settings.msh_path), [&] { gmsh::write(settings.msh_path); });
  }
  const NodeTable table = read_nodes();
  read_tetrahedra(table, volume_tag, mesh);
  read_boundary(table, surfaces, mesh);
  mesh.nodes_m = table.nodes_m;
  check_kept_boundary(surface, mesh);
  return mesh;
}

}  // namespace

TetraMesh mesh_volume(const LabelledSurface& labelled, const TetraMeshSettings& settings) {
  validate_labelled_surface(labelled, "mesh_volume: surface");
  const std::map<int, double> areas = label_areas_m2(labelled);
  const double size_m = target_element_size_m(labelled, settings);
  std::vector<BoundaryPatch> patches = make_patches(caps_inlet_first(areas, settings));
  TetraMesh mesh;
  if (settings.surface_remeshing == SurfaceRemeshing::Remesh) {
    const RemeshedSurface remeshed = remesh_surface(labelled, settings);
    mesh = fill_surface(remeshed.labelled, std::move(patches), settings, size_m);
    finish_remeshed_boundary(labelled, settings, mesh);
  } else {
    mesh = fill_surface(labelled, std::move(patches), settings, size_m);
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
