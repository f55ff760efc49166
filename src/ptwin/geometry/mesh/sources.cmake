# SPDX-License-Identifier: Apache-2.0
# Volume meshing: labelled surfaces, Gmsh tetrahedral meshing (gmsh.h only in
# gmsh_tetra_mesher.cpp and detail/gmsh_session.cpp), ptwin's own quality metrics, and .vtu/.vtp
# files (VTK only in vtk_mesh_files.cpp). Gmsh::gmsh is defined in cmake/PtwinDependencies.cmake.
list(APPEND geometry_sources
  mesh/labelled_surface.cpp mesh/tube_surfaces.cpp mesh/tetra_mesh.cpp mesh/tetra_quality.cpp
  mesh/gmsh_tetra_mesher.cpp mesh/vtk_mesh_files.cpp mesh/detail/gmsh_session.cpp)
list(APPEND geometry_private_libs Gmsh::gmsh VTK::CommonCore VTK::CommonDataModel VTK::IOXML)
