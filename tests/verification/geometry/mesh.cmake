# SPDX-License-Identifier: Apache-2.0
# Volume mesh of a capped cylinder and a Y bifurcation: volume, watertight labelled boundary,
# quality thresholds (docs/geometry.md, Volume mesh).
ptwin_add_test(geometry_mesh_verification_test LABEL verification
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/volume_mesh_test.cpp
  LIBS ptwin::geometry fmt::fmt)

# Phantom -> classical segmentation -> surface with caps -> Gmsh mesh (docs/geometry.md).
ptwin_add_test(geometry_image_to_mesh_test LABEL verification
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/image_to_mesh_test.cpp
  LIBS ptwin::geometry ptwin::ingest fmt::fmt)
