# SPDX-License-Identifier: Apache-2.0
# Files and pictures for people reviewing an imaging run: slices with the segmentation outline, a
# shaded picture of the surface (plain C++, or VTK's OpenGL renderer offscreen through an X
# server: vtk_surface_picture.cpp) and the vessel network's projections (plain C++), PNG writing
# (VTK, png_writer.cpp) and the label map as NRRD (ITK, label_volume_nrrd_writer.cpp). VTK and
# ITK headers stay inside those files; VTK is found in cmake/PtwinDependencies.cmake.
find_package(ITK 5.2 REQUIRED COMPONENTS ITKCommon ITKIONRRD)
list(APPEND geometry_sources
  review/slice_picture.cpp review/surface_picture.cpp review/centerline_picture.cpp
  review/detail/pixel_font.cpp review/png_writer.cpp
  review/label_volume_nrrd_writer.cpp review/vtk_surface_picture.cpp
  review/detail/surface_picture_inputs.cpp)
list(APPEND geometry_private_libs VTK::IOImage VTK::RenderingCore VTK::RenderingOpenGL2 X11::X11
     ${ITK_LIBRARIES})
list(APPEND geometry_system_includes ${ITK_INCLUDE_DIRS})
