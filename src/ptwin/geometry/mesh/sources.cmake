# SPDX-License-Identifier: Apache-2.0
# Volume meshing: labelled surfaces, Gmsh tetrahedral meshing (gmsh.h only in
# gmsh_tetra_mesher.cpp and detail/gmsh_*.cpp), ptwin's own quality metrics, and .vtu/.vtp
# files (VTK only in vtk_mesh_files.cpp). Gmsh::gmsh is defined in cmake/PtwinDependencies.cmake.
list(APPEND geometry_sources
  mesh/labelled_surface.cpp mesh/tube_surfaces.cpp mesh/tetra_mesh.cpp mesh/tetra_quality.cpp
  mesh/gmsh_tetra_mesher.cpp mesh/vtk_mesh_files.cpp mesh/detail/gmsh_session.cpp
  mesh/detail/gmsh_surface_remeshing.cpp mesh/gmsh_surface_remesher.cpp
  mesh/tetra_mesh_repair.cpp)
list(APPEND geometry_private_libs Gmsh::gmsh VTK::CommonCore VTK::CommonDataModel VTK::IOXML)
