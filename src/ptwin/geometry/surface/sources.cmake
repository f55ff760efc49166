# SPDX-License-Identifier: Apache-2.0
# Lumen surfaces: extraction, smoothing, decimation and capping (VTK, surface_extraction.cpp),
# the watertight/manifold check (VTK only for its cell locator, surface_check.cpp), repair in
# plain C++, and .vtp writing (vtp_writer.cpp). VTK headers stay inside these .cpp files.
find_package(VTK 9.1 REQUIRED COMPONENTS CommonCore CommonDataModel FiltersCore FiltersGeneral
             ImagingGeneral IOXML)
list(APPEND geometry_sources
  surface/surface_check.cpp surface/surface_repair.cpp surface/surface_extraction.cpp
  surface/vtp_writer.cpp)
list(APPEND geometry_private_libs VTK::CommonCore VTK::CommonDataModel VTK::FiltersCore
     VTK::FiltersGeneral VTK::ImagingGeneral VTK::IOXML)
