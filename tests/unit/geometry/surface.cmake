# SPDX-License-Identifier: Apache-2.0
# Surfaces: the watertight/manifold check finds planted defects and repair removes them;
# extraction keeps the patient frame and labels the caps.
ptwin_add_test(geometry_surface_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/surface_check_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/surface_extraction_test.cpp
  LIBS ptwin::geometry ptwin::ingest fmt::fmt)
