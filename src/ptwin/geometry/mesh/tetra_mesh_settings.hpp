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

/// What happens to the input surface's triangles before the interior is filled.
/// - Keep: they become the mesh's boundary as they are (exact fill: the mesh's volume is the
///   volume the surface encloses). Right for surfaces made to be meshed (tube_surfaces.hpp).
/// - Remesh: the labelled triangles only describe the shape. Gmsh splits them into patches along
///   the boundaries between labels and along edges sharper than `feature_angle_deg`
///   (classifySurfaces), gives each patch a parametrisation (createGeometry), and meshes the
///   surface anew with near-equilateral triangles of the target size before filling it. Each
///   new triangle lies on the input surface and keeps its patch's label; caps stay planar.
///   Right for image-derived surfaces, whose slivers would otherwise become boundary
///   tetrahedra of near-zero dihedral angle.
enum class SurfaceRemeshing { Keep, Remesh };

struct TetraMeshSettings {
  VolumeAlgorithm algorithm = VolumeAlgorithm::Delaunay;
  ElementSizeMode size_mode = ElementSizeMode::RelativeToRadius;
  /// Largest edge length (Mesh.MeshSizeMax): metres, or a fraction of the radius. With Keep, the
  /// size near the wall follows the surface's own triangles (Mesh.MeshSizeExtendFromBoundary)
  /// and this bounds the interior; with Remesh it is also the new surface triangles' size. The
  /// default, 0.2 radii, gives 10 edges across the narrowest cap's diameter and about 31 round
  /// its circumference (2 pi / 0.2); it is also the wall triangles' size of a surface with 32
  /// to 36 points round the vessel, so that with Keep interior and wall sizes match and
  /// Delaunay meets the default quality thresholds (on the verification cylinder, 0.3 radii or
  /// more left three tetrahedra of volume skewness 0.97).
  double element_size = 0.2;
  SurfaceRemeshing surface_remeshing = SurfaceRemeshing::Keep;
  /// Remesh only: an edge whose two triangles' normals differ by more than this (degrees, in
  /// (0, 180]) is kept as a curve of the new surface. The boundaries between labels (the cap
  /// rims) are always kept. 60 deg keeps the rims of caps cut at up to 30 deg from a vessel's
  /// axis by angle alone, and lets the gentle folds that segmentation noise leaves on a
  /// smoothed wall (below about 30 deg between neighbours) be meshed over.
  double feature_angle_deg = 60.0;
  /// Remesh only: the largest accepted |remeshed volume / input enclosed volume - 1|. The new
  /// surface's nodes lie on the input surface, so its chords cut inside it: an n-gon inscribed
  /// in a circle lacks 1 - sin(2 pi/n) / (2 pi/n) ~ (h / r)^2 / 6 of the area at edge h on a
  /// radius r (0.7 % at the default size). A change above the tolerance means a patch was lost
  /// or folded, and the mesh is refused with meshing-failed.
  double remesh_volume_tolerance = 0.05;
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
