# SPDX-License-Identifier: Apache-2.0
# Lumen segmentation: settings, automatic seed and label metrics in plain C++; the ITK pipeline
# (region growing, smoothing, level set) only in classical_segmenter.cpp, whose ITK headers stay
# out of every other translation unit.
# ITK's exported targets refer to HDF5, whose CMake module needs the C language.
enable_language(C)
find_package(ITK 5.2 REQUIRED COMPONENTS ITKCommon ITKRegionGrowing ITKImageGrid ITKCurvatureFlow
             ITKSmoothing ITKLevelSets ITKAnisotropicSmoothing ITKImageFeature)
list(APPEND geometry_sources
  segmentation/segmentation_settings.cpp segmentation/automatic_seed.cpp
  segmentation/label_metrics.cpp segmentation/classical_segmenter.cpp)
list(APPEND geometry_private_libs ${ITK_LIBRARIES})
list(APPEND geometry_system_includes ${ITK_INCLUDE_DIRS})
# The TorchScript segmenter and its training; libtorch itself is in the plugin that
# torchscript_plugin.cpp loads (src/ptwin/geometry/CMakeLists.txt).
list(APPEND geometry_sources
  segmentation/torchscript_plugin.cpp segmentation/torchscript_segmenter.cpp
  segmentation/segmenter_training.cpp)
list(APPEND geometry_private_libs ${CMAKE_DL_LIBS})
