// SPDX-License-Identifier: Apache-2.0
#pragma once
// A picture of a vessel network (centerline/vessel_network.hpp) for review: three orthogonal
// projections side by side, drawn by our own rasteriser (no display needed, see
// surface_picture.hpp). Each segment's centerline is drawn in its own colour as a band whose
// half-width is the lumen radius at each point (so narrowings show); nodes and stenoses are
// marked and labelled with a small built-in pixel font:
//   inlet  blue square   "IN"          outlets  green squares "O1", "O2", ...
//   bifurcations white discs "B1", ...  stenoses red rings  "S1 50%" (diameter reduction)
// Panels, one scale for all (metres to pixels), each centred on the network's bounding box:
//   front (coronal, seen from anterior):   right = +x (patient left), up = +z (superior)
//   side  (sagittal, seen from the left):  right = +y (posterior),    up = +z
//   top   (axial, seen from the feet):     right = +x,                down = +y (posterior)

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "ptwin/geometry/centerline/vessel_network.hpp"
#include "ptwin/geometry/review/rgb_image.hpp"

namespace ptwin::geometry::review {

struct CenterlinePictureSettings {
  std::size_t panel_px = 320;     // each panel is square
  double margin_fraction = 0.08;  // of a panel kept free around the network
  Rgb background{24, 24, 32};
  Rgb panel_border{80, 80, 96};
  Rgb inlet{72, 118, 224};
  Rgb outlet{88, 184, 96};
  Rgb bifurcation{240, 240, 240};
  Rgb stenosis{230, 40, 40};
  Rgb text{255, 255, 255};
  /// Segment colours, used in turn (none of them a marker colour).
  std::vector<Rgb> segment_colours{{240, 160, 48}, {232, 216, 64}, {64, 208, 216}, {200, 96, 216},
                                   {176, 128, 88}, {248, 136, 160}, {144, 200, 64}, {128, 160, 255}};
  double marker_half_px = 4.0;  // half side of the node squares, radius of discs and rings
};

/// One panel's projection: patient point (m) to picture pixel (x right, y down, whole picture).
struct CenterlineView {
  std::string name;  // "front", "side", "top"
  std::size_t x_offset_px = 0;
  std::size_t axis_right = 0;  // patient axis shown to the right (0 x, 1 y, 2 z)
  std::size_t axis_vertical = 0;
  bool is_up_positive = true;  // the vertical axis grows upwards (front, side) or downwards (top)
  double scale_px_per_m = 0.0;
  double centre_right_m = 0.0;
  double centre_vertical_m = 0.0;
  std::size_t panel_px = 0;

  [[nodiscard]] std::array<double, 2> pixel_of(const ingest::dicom::Vector3& point_m) const;
};

struct CenterlinePicture {
  RgbImage image;  // 3 panel_px wide, panel_px high
  std::array<CenterlineView, 3> views;
  std::vector<Rgb> segment_colours;  // per network segment
  std::vector<std::string> labels;   // the labels drawn, e.g. "IN", "O1", "B1", "S1 50%"
  /// Pixel boxes {x0, y0, x1, y1} (inclusive) of every marker and label drawn over the bands.
  std::vector<std::array<long, 4>> annotation_boxes_px;
};

/// Draws `network` (checked with centerline::validate). Throws InputError naming the field for an
/// invalid network, or for settings with no segment colour or a panel under 64 pixels.
[[nodiscard]] CenterlinePicture centerline_picture(const centerline::VesselNetwork& network,
                                                   const CenterlinePictureSettings& settings = {});

}  // namespace ptwin::geometry::review
