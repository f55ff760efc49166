// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/mesh/tube_surfaces.hpp"

#include <gmsh.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/mesh/detail/gmsh_session.hpp"

namespace ptwin::geometry::mesh {
namespace {

using detail::gmsh_step;
using Ring = std::vector<std::uint32_t>;

void require_positive(std::string_view spec, std::string_view field, double value) {
  if (!std::isfinite(value) || value <= 0.0) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}.{}", spec, field),
                     fmt::format("{}", value), "must be finite and > 0");
  }
}

class SurfaceBuilder {
 public:
  std::uint32_t add_point(double x_m, double y_m, double z_m) {
    labelled_.surface.points_m.push_back({x_m, y_m, z_m});
    return static_cast<std::uint32_t>(labelled_.surface.points_m.size() - 1);
  }
  Ring add_ring(std::size_t count, double radius_m, double z_m) {
    Ring ring;
    for (std::size_t i = 0; i < count; ++i) {
      const double angle =
          2.0 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(count);
      ring.push_back(add_point(radius_m * std::cos(angle), radius_m * std::sin(angle), z_m));
    }
    return ring;
  }
  // `counter_clockwise`: as seen from +z.
  void add_triangle(std::uint32_t a, std::uint32_t b, std::uint32_t c, int label,
                    bool counter_clockwise) {
    labelled_.surface.triangles.push_back(counter_clockwise ? std::array{a, b, c}
                                                            : std::array{a, c, b});
    labelled_.triangle_labels.push_back(label);
  }
  // Triangles between two concentric rings (inner may be a single centre point), merged in
  // angular order so that each triangle spans the smaller next step.
  void zip_rings(const Ring& inner, const Ring& outer, int label, bool counter_clockwise) {
    const auto angle = [](std::size_t index, std::size_t count) {
      return static_cast<double>(index) / static_cast<double>(count);
    };
    std::size_t i = 0;
    std::size_t k = 0;
    const std::size_t a = inner.size();
    const std::size_t b = outer.size();
    while (i < a || k < b) {
      const bool advance_inner = a > 1 && i < a && (k == b || angle(i + 1, a) <= angle(k + 1, b));
      if (advance_inner) {
        add_triangle(inner[i], outer[k % b], inner[(i + 1) % a], label, counter_clockwise);
        ++i;
      } else {
        add_triangle(inner[i % a], outer[k], outer[(k + 1) % b], label, counter_clockwise);
        ++k;
        if (a == 1) i = 1;
      }
    }
  }
  LabelledSurface take() { return std::move(labelled_); }

 private:
  LabelledSurface labelled_;
};

void add_cap(SurfaceBuilder& builder, const Ring& rim, double radius_m, double z_m, int label,
             bool faces_plus_z) {
  const std::size_t rings = rim.size() / 6;
  Ring inner{builder.add_point(0.0, 0.0, z_m)};
  for (std::size_t j = 1; j <= rings; ++j) {
    Ring ring =
        j == rings
            ? rim
            : builder.add_ring(6 * j,
                               radius_m * static_cast<double>(j) / static_cast<double>(rings), z_m);
    builder.zip_rings(inner, ring, label, faces_plus_z);
    inner = std::move(ring);
  }
}

}  // namespace

LabelledSurface capped_cylinder_surface(const CappedCylinderSpec& spec) {
  require_positive("CappedCylinderSpec", "radius_m", spec.radius_m);
  require_positive("CappedCylinderSpec", "length_m", spec.length_m);
  if (spec.segments < 6 || spec.segments % 6 != 0) {
    throw InputError(ErrorCode::BadInput, "CappedCylinderSpec.segments",
                     std::to_string(spec.segments), "must be a multiple of 6, at least 6");
  }
  const auto segments = static_cast<std::size_t>(spec.segments);
  const double edge_m = 2.0 * spec.radius_m * std::sin(std::numbers::pi / spec.segments);
  const auto layers = static_cast<std::size_t>(std::max(1.0, std::round(spec.length_m / edge_m)));
  SurfaceBuilder builder;
  std::vector<Ring> rings;
  for (std::size_t l = 0; l <= layers; ++l) {
    rings.push_back(
        builder.add_ring(segments, spec.radius_m,
                         spec.length_m * static_cast<double>(l) / static_cast<double>(layers)));
  }
  for (std::size_t l = 0; l < layers; ++l) {
    for (std::size_t i = 0; i < segments; ++i) {
      const std::size_t next = (i + 1) % segments;
      // Outward seen from outside: (a, b, d) and (b, c, d) with b after a counter-clockwise.
      builder.add_triangle(rings[l][i], rings[l][next], rings[l + 1][i], kWallLabel, true);
      builder.add_triangle(rings[l][next], rings[l + 1][next], rings[l + 1][i], kWallLabel, true);
    }
  }
  add_cap(builder, rings.front(), spec.radius_m, 0.0, 1, false);
  add_cap(builder, rings.back(), spec.radius_m, spec.length_m, 2, true);
  return builder.take();
}

double polygonal_prism_volume_m3(const CappedCylinderSpec& spec) {
  const double segments = spec.segments;
  return 0.5 * segments * spec.radius_m * spec.radius_m *
         std::sin(2.0 * std::numbers::pi / segments) * spec.length_m;
}

namespace {

// The CAD model is built in millimetres: OpenCASCADE's and Gmsh's default tolerances are absolute
// (about 1e-7 model units) and meant for models of unit size.
constexpr double kMmPerM = 1e3;

struct YSolid {
  int volume_tag = 0;
  std::array<std::array<double, 3>, 3> cap_centres_mm{};  // parent end, daughter +x, daughter -x
};

YSolid build_y_solid(const YBifurcationSpec& spec) {
  const double r0 = spec.parent_radius_m * kMmPerM;
  const double r1 = spec.daughter_radius_m * kMmPerM;
  const double l0 = spec.parent_length_m * kMmPerM;
  const double l1 = spec.daughter_length_m * kMmPerM;
  const double angle = spec.half_angle_deg * std::numbers::pi / 180.0;
  const double dx = l1 * std::sin(angle);
  const double dz = l1 * std::cos(angle);
  YSolid solid;
  solid.cap_centres_mm = {{{0.0, 0.0, 0.0}, {dx, 0.0, l0 + dz}, {-dx, 0.0, l0 + dz}}};
  gmsh_step("build the Y bifurcation solid", [&] {
    const int parent = gmsh::model::occ::addCylinder(0, 0, 0, 0, 0, l0, r0);
    const int junction = gmsh::model::occ::addSphere(0, 0, l0, r0);
    const int right = gmsh::model::occ::addCylinder(0, 0, l0, dx, 0, dz, r1);
    const int left = gmsh::model::occ::addCylinder(0, 0, l0, -dx, 0, dz, r1);
    gmsh::vectorpair fused;
    std::vector<gmsh::vectorpair> fused_map;
    gmsh::model::occ::fuse({{3, parent}}, {{3, junction}, {3, right}, {3, left}}, fused, fused_map);
    gmsh::model::occ::synchronize();
    if (fused.size() != 1 || fused.front().first != 3) {
      throw std::string("the union is not a single volume");
    }
    solid.volume_tag = fused.front().second;
  });
  return solid;
}

// Label of a boundary surface: the cap whose centre is its centre of mass, else the wall.
int surface_label(int surface_tag, const YSolid& solid, double tolerance_mm) {
  std::string type;
  gmsh::model::getType(2, surface_tag, type);
  if (type != "Plane") return kWallLabel;
  std::array<double, 3> centre{};
  gmsh::model::occ::getCenterOfMass(2, surface_tag, centre[0], centre[1], centre[2]);
  for (std::size_t c = 0; c < solid.cap_centres_mm.size(); ++c) {
    const auto& expected = solid.cap_centres_mm[c];
    const double distance =
        std::hypot(centre[0] - expected[0], centre[1] - expected[1], centre[2] - expected[2]);
    if (distance < tolerance_mm) return static_cast<int>(c) + 1;
  }
  return kWallLabel;
}

// Gmsh orients each CAD face's triangles by that face's parametrisation; the caller flips the
// triangles of faces whose normals point inwards (checked against the solid's centre line).
LabelledSurface read_surface_mesh(const YSolid& solid, double tolerance_mm) {
  LabelledSurface labelled;
  gmsh_step("read the surface triangulation", [&] {
    std::vector<std::size_t> node_tags;
    std::vector<double> coordinates;
    std::vector<double> parametric;
    gmsh::model::mesh::getNodes(node_tags, coordinates, parametric, -1, -1, false, false);
    const std::size_t max_tag = *std::max_element(node_tags.begin(), node_tags.end());
    std::vector<std::int64_t> slot(max_tag + 1, -1);
    for (std::size_t n = 0; n < node_tags.size(); ++n)
      slot[node_tags[n]] = static_cast<std::int64_t>(n);
    std::vector<std::int64_t> index(max_tag + 1, -1);
    gmsh::vectorpair surfaces;
    gmsh::model::getEntities(surfaces, 2);
    for (const auto& [dim, tag] : surfaces) {
      const int label = surface_label(tag, solid, tolerance_mm);
      std::vector<std::size_t> element_tags;
      std::vector<std::size_t> element_nodes;
      gmsh::model::mesh::getElementsByType(2, element_tags, element_nodes, tag);
      for (std::size_t e = 0; e < element_tags.size(); ++e) {
        std::array<std::uint32_t, 3> triangle{};
        for (std::size_t v = 0; v < 3; ++v) {
          const std::size_t node = element_nodes[3 * e + v];
          if (index[node] < 0) {
            const auto n = static_cast<std::size_t>(slot.at(node));
            index[node] = static_cast<std::int64_t>(labelled.surface.points_m.size());
            labelled.surface.points_m.push_back({coordinates[3 * n] / kMmPerM,
                                                 coordinates[3 * n + 1] / kMmPerM,
                                                 coordinates[3 * n + 2] / kMmPerM});
          }
          triangle[v] = static_cast<std::uint32_t>(index[node]);
        }
        labelled.surface.triangles.push_back(triangle);
        labelled.triangle_labels.push_back(label);
      }
    }
  });
  return labelled;
}

}  // namespace

YBifurcationSurface y_bifurcation_surface(const YBifurcationSpec& spec) {
  require_positive("YBifurcationSpec", "parent_radius_m", spec.parent_radius_m);
  require_positive("YBifurcationSpec", "parent_length_m", spec.parent_length_m);
  require_positive("YBifurcationSpec", "daughter_radius_m", spec.daughter_radius_m);
  require_positive("YBifurcationSpec", "daughter_length_m", spec.daughter_length_m);
  require_positive("YBifurcationSpec", "element_size_m", spec.element_size_m);
  if (!(spec.half_angle_deg > 0.0 && spec.half_angle_deg < 80.0)) {
    throw InputError(ErrorCode::BadInput, "YBifurcationSpec.half_angle_deg",
                     fmt::format("{}", spec.half_angle_deg), "must be in (0, 80) degrees");
  }
  if (spec.daughter_radius_m > spec.parent_radius_m) {
    throw InputError(ErrorCode::BadInput, "YBifurcationSpec.daughter_radius_m",
                     fmt::format("{}", spec.daughter_radius_m),
                     "must not exceed parent_radius_m (the junction sphere covers the parent end)");
  }
  const detail::GmshSession session(false);
  gmsh_step("add model", [] { gmsh::model::add("ptwin_y_bifurcation"); });
  const YSolid solid = build_y_solid(spec);
  YBifurcationSurface result;
  gmsh_step("mesh the Y bifurcation surface", [&] {
    gmsh::model::occ::getMass(3, solid.volume_tag, result.solid_volume_m3);
    result.solid_volume_m3 /= kMmPerM * kMmPerM * kMmPerM;
    gmsh::option::setNumber("Mesh.Algorithm", 6);  // Frontal-Delaunay: near-equilateral triangles
    gmsh::option::setNumber("Mesh.MeshSizeMax", spec.element_size_m * kMmPerM);
    gmsh::option::setNumber("Mesh.MeshSizeMin", 0.5 * spec.element_size_m * kMmPerM);
    gmsh::option::setNumber("Mesh.MeshSizeFromCurvature", 0);
    gmsh::model::mesh::generate(2);
  });
  result.labelled = read_surface_mesh(solid, 1e-3 * spec.daughter_radius_m * kMmPerM);
  orient_outward(result.labelled.surface);
  return result;
}

}  // namespace ptwin::geometry::mesh
