# SPDX-License-Identifier: Apache-2.0
# Lumen segmentation: settings validation, seeds, label metrics.
ptwin_add_test(geometry_segmentation_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/segmentation_settings_test.cpp
  LIBS ptwin::geometry ptwin::ingest)
