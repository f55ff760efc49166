// SPDX-License-Identifier: Apache-2.0
#pragma once
// How a labelled surface is filled with tetrahedra (Gmsh 4.8, docs/geometry.md "Volume mesh").

#include <optional>
#include <string>

namespace ptwin::geometry::mesh {

/// Gmsh's 3D algorithms (option Mesh.Algorithm3D): 1 Delaunay (sequential, robust), 10 HXT
/// (Marot et al. 2019, parallel Delaunay; uses `threads`).
enum class VolumeAlgorithm { Delaunay, Hxt };

/// How `element_size` is read: an absolute edge length in metres, or a fraction of the vessel
/// radius. The radius is the equivalent radius sqrt(A / pi) of the smallest cap (the narrowest
/// place where the vessel leaves the field of view), a stand-in for the local radius until
/// centerlines give one per point.
enum class ElementSizeMode { Absolute, RelativeToRadius };

struct TetraMeshSettings {
  VolumeAlgorithm algorithm = VolumeAlgorithm::Delaunay;
  ElementSizeMode size_mode = ElementSizeMode::RelativeToRadius;
  /// Largest interior edge length (Mesh.MeshSizeMax): metres, or a fraction of the radius. Near
  /// the wall the size follows the surface's own triangles (Mesh.MeshSizeExtendFromBoundary),
  /// since the surface is kept as it is. The default, 0.2 radii, is about the wall triangles'
  /// size of a surface with 32 to 36 points round the vessel: interior and wall sizes then
  /// match, and Delaunay meets the default quality thresholds (on the verification cylinder,
  /// 0.3 radii or more left three tetrahedra of volume skewness 0.97).
  double element_size = 0.2;
  bool optimise = true;  // Gmsh's tetrahedron optimiser (Mesh.Optimize)
  /// Then Netgen's (Mesh.OptimizeNetgen). Off by default: Debian's Gmsh 4.8 is built without
  /// Netgen, and asking for it there fails with meshing-failed naming the step.
  bool optimise_netgen = false;
  int threads = 1;  // General.NumThreads and Mesh.MaxNumThreads3D
  /// The surface label of the inlet cap; unset: the cap with the largest area (for an arterial
  /// tree cut by the field of view, the proximal end is the widest).
  std::optional<int> inlet_label;
  /// When not empty, the Gmsh model (with physical groups) is also written here (.msh 4.1).
  std::string msh_path;
  bool verbose = false;  // Gmsh's messages on the terminal (General.Terminal)
};

}  // namespace ptwin::geometry::mesh
