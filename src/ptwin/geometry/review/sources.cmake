# SPDX-License-Identifier: Apache-2.0
# Files and pictures for people reviewing an imaging run: slices with the segmentation outline, a
# shaded picture of the surface and the vessel network's projections (plain C++), PNG writing
# (VTK, png_writer.cpp) and the label map as NRRD (ITK, label_volume_nrrd_writer.cpp). VTK and
# ITK headers stay inside those two files.
find_package(VTK 9.1 REQUIRED COMPONENTS CommonCore CommonDataModel IOImage)
find_package(ITK 5.2 REQUIRED COMPONENTS ITKCommon ITKIONRRD)
list(APPEND geometry_sources
  review/slice_picture.cpp review/surface_picture.cpp review/centerline_picture.cpp
  review/detail/pixel_font.cpp review/png_writer.cpp
  review/label_volume_nrrd_writer.cpp)
list(APPEND geometry_private_libs VTK::IOImage ${ITK_LIBRARIES})
list(APPEND geometry_system_includes ${ITK_INCLUDE_DIRS})
