# SPDX-License-Identifier: Apache-2.0
# Lumen segmentation: settings validation, seeds, label metrics.
ptwin_add_test(geometry_segmentation_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/segmentation_settings_test.cpp
  LIBS ptwin::geometry ptwin::ingest)

# TorchScript segmenter: the model contract, slabs, training settings (the test builds foreign
# TorchScript modules itself, so it links libtorch; ptwin does not).
find_package(Torch REQUIRED)
ptwin_add_test(geometry_torchscript_segmenter_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/torchscript_segmenter_test.cpp
  LIBS ptwin::geometry ptwin::ingest ${TORCH_LIBRARIES})
