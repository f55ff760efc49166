# SPDX-License-Identifier: Apache-2.0
# Review pictures: slices with the segmentation outline, the rasterised surface, PNG writing.
ptwin_add_test(geometry_review_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/review_pictures_test.cpp ${CMAKE_CURRENT_SOURCE_DIR}/centerline_picture_test.cpp
  LIBS ptwin::geometry ptwin::ingest)
