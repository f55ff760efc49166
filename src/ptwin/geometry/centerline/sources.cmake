# SPDX-License-Identifier: Apache-2.0
# Centerlines, radii, branch topology and stenoses from a lumen label volume, in plain C++ (an
# exact Euclidean distance map of its own, Dijkstra minimal paths), and the vessel network record
# with its JSON format (docs/geometry.md#centerlines-and-networks).
list(APPEND geometry_sources
  centerline/centerline_extraction.cpp centerline/cross_section.cpp centerline/distance_map.cpp
  centerline/lumen_grid.cpp centerline/minimal_paths.cpp centerline/path_tree.cpp
  centerline/polyline.cpp centerline/stenosis_detection.cpp centerline/vessel_network.cpp
  centerline/vessel_network_json.cpp)
