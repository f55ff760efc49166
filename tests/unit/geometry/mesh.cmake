# SPDX-License-Identifier: Apache-2.0
# Volume mesh: tetrahedron quality metrics against closed forms, labelled surface checks and
# mesher settings, surface remeshing of a sliver cylinder (docs/geometry.md, Volume mesh).
ptwin_add_test(geometry_mesh_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/mesh/tetra_quality_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/mesh/labelled_surface_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/mesh/surface_remeshing_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/mesh/tetra_mesh_repair_test.cpp
  LIBS ptwin::geometry)
