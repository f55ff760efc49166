# SPDX-License-Identifier: Apache-2.0
# Segmentation and surface extraction against the vessel phantom's ground truth.
ptwin_add_test(geometry_lumen_pipeline_test LABEL verification
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/lumen_pipeline_test.cpp
  LIBS ptwin::geometry ptwin::ingest fmt::fmt)

# The TorchScript vessel segmenter trained on ptwin's phantoms, against held-out phantoms' ground
# truth (docs/geometry.md#torchscript-segmenter).
ptwin_add_test(geometry_learned_segmentation_test LABEL verification
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/learned_segmentation_test.cpp
  LIBS ptwin::geometry ptwin::ingest)
