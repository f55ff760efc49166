// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/review/centerline_picture.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/review/detail/pixel_font.hpp"

namespace ptwin::geometry::review {
namespace {

using centerline::NodeKind;
using ingest::dicom::Vector3;

constexpr std::size_t kTextScale = 2;

struct Painter {
  RgbImage& image;
  std::size_t x_begin;  // the panel's columns [x_begin, x_end)
  std::size_t x_end;

  void set(long x, long y, Rgb colour) const {
    if (x < static_cast<long>(x_begin) || x >= static_cast<long>(x_end) || y < 0 ||
        y >= static_cast<long>(image.height)) {
      return;
    }
    image.set(static_cast<std::size_t>(x), static_cast<std::size_t>(y), colour);
  }

  // Pixels whose centre lies within the radius of segment a-b, the radius interpolated from ra
  // to rb (pixels): a band that is as wide as the lumen, with round joints.
  void band(const std::array<double, 2>& a, const std::array<double, 2>& b, double ra, double rb, Rgb colour) const {
    const double reach = std::max(ra, rb);
    const auto x0 = static_cast<long>(std::floor(std::min(a[0], b[0]) - reach));
    const auto x1 = static_cast<long>(std::ceil(std::max(a[0], b[0]) + reach));
    const auto y0 = static_cast<long>(std::floor(std::min(a[1], b[1]) - reach));
    const auto y1 = static_cast<long>(std::ceil(std::max(a[1], b[1]) + reach));
    const double dx = b[0] - a[0], dy = b[1] - a[1];
    const double length2 = dx * dx + dy * dy;
    for (long y = y0; y <= y1; ++y) {
      for (long x = x0; x <= x1; ++x) {
        const double px = static_cast<double>(x) + 0.5, py = static_cast<double>(y) + 0.5;
        const double t = length2 > 0.0 ? std::clamp(((px - a[0]) * dx + (py - a[1]) * dy) / length2, 0.0, 1.0) : 0.0;
        const double ex = a[0] + t * dx - px, ey = a[1] + t * dy - py;
        if (ex * ex + ey * ey <= std::pow(ra + t * (rb - ra), 2)) set(x, y, colour);
      }
    }
  }

  void square(const std::array<double, 2>& c, double half, Rgb colour) const {
    for (long y = std::lround(c[1] - half); y <= std::lround(c[1] + half); ++y) {
      for (long x = std::lround(c[0] - half); x <= std::lround(c[0] + half); ++x) set(x, y, colour);
    }
  }

  // A disc, or a ring of the given width (0: filled).
  void disc(const std::array<double, 2>& c, double radius, double ring_width, Rgb colour) const {
    for (long y = std::lround(c[1] - radius - 1); y <= std::lround(c[1] + radius + 1); ++y) {
      for (long x = std::lround(c[0] - radius - 1); x <= std::lround(c[0] + radius + 1); ++x) {
        const double d = std::hypot(static_cast<double>(x) + 0.5 - c[0], static_cast<double>(y) + 0.5 - c[1]);
        if (d <= radius && (ring_width <= 0.0 || d >= radius - ring_width)) set(x, y, colour);
      }
    }
  }
};

CenterlineView make_view(std::string name, std::size_t panel, std::size_t right, std::size_t vertical,
                         bool is_up_positive, double scale, const Vector3& low, const Vector3& high,
                         std::size_t panel_px) {
  CenterlineView view;
  view.name = std::move(name);
  view.x_offset_px = panel * panel_px;
  view.axis_right = right;
  view.axis_vertical = vertical;
  view.is_up_positive = is_up_positive;
  view.scale_px_per_m = scale;
  view.centre_right_m = 0.5 * (low[right] + high[right]);
  view.centre_vertical_m = 0.5 * (low[vertical] + high[vertical]);
  view.panel_px = panel_px;
  return view;
}

void check_settings(const CenterlinePictureSettings& s) {
  if (s.segment_colours.empty()) {
    throw InputError(ErrorCode::BadInput, "centerline picture: segment_colours", "(none)", "at least one colour");
  }
  if (s.panel_px < 64) {
    throw InputError(ErrorCode::BadInput, "centerline picture: panel_px", std::to_string(s.panel_px),
                     "at least 64 pixels");
  }
}

}  // namespace

std::array<double, 2> CenterlineView::pixel_of(const Vector3& point_m) const {
  const double half = 0.5 * static_cast<double>(panel_px);
  const double vertical = (point_m[axis_vertical] - centre_vertical_m) * scale_px_per_m;
  return {static_cast<double>(x_offset_px) + half + (point_m[axis_right] - centre_right_m) * scale_px_per_m,
          half + (is_up_positive ? -vertical : vertical)};
}

CenterlinePicture centerline_picture(const centerline::VesselNetwork& network, const CenterlinePictureSettings& s) {
  centerline::validate(network, "centerline picture");
  check_settings(s);
  Vector3 low{std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
              std::numeric_limits<double>::max()};
  Vector3 high{-low[0], -low[1], -low[2]};
  for (const auto& segment : network.segments) {
    for (std::size_t p = 0; p < segment.points_m.size(); ++p) {
      for (std::size_t a = 0; a < 3; ++a) {
        low[a] = std::min(low[a], segment.points_m[p][a] - segment.radius_m[p]);
        high[a] = std::max(high[a], segment.points_m[p][a] + segment.radius_m[p]);
      }
    }
  }
  const double extent_m = std::max({high[0] - low[0], high[1] - low[1], high[2] - low[2], 1e-9});
  const double scale = (1.0 - 2.0 * s.margin_fraction) * static_cast<double>(s.panel_px) / extent_m;
  CenterlinePicture picture;
  picture.image = RgbImage(3 * s.panel_px, s.panel_px, s.background);
  picture.views = {make_view("front", 0, 0, 2, true, scale, low, high, s.panel_px),
                   make_view("side", 1, 1, 2, true, scale, low, high, s.panel_px),
                   make_view("top", 2, 0, 1, false, scale, low, high, s.panel_px)};
  for (std::size_t n = 0; n < network.segments.size(); ++n) {
    picture.segment_colours.push_back(s.segment_colours[n % s.segment_colours.size()]);
  }
  // Labels, in the order drawn: inlet, outlets and bifurcations by node order, then stenoses.
  std::vector<std::pair<Vector3, std::string>> labelled;
  std::size_t outlets = 0, bifurcations = 0, stenoses = 0;
  for (const auto& node : network.nodes) {
    const std::string label = node.kind == NodeKind::Inlet    ? std::string("IN")
                              : node.kind == NodeKind::Outlet ? fmt::format("O{}", ++outlets)
                                                              : fmt::format("B{}", ++bifurcations);
    labelled.emplace_back(node.position_m, label);
  }
  for (const auto& segment : network.segments) {
    for (const auto& stenosis : segment.stenoses) {
      labelled.emplace_back(stenosis.position_m,
                            fmt::format("S{} {}%", ++stenoses, std::lround(stenosis.diameter_reduction * 100.0)));
    }
  }
  for (const auto& label : labelled) picture.labels.push_back(label.second);

  for (const auto& view : picture.views) {
    const Painter paint{picture.image, view.x_offset_px, view.x_offset_px + s.panel_px};
    for (std::size_t n = 0; n < network.segments.size(); ++n) {
      const auto& segment = network.segments[n];
      for (std::size_t p = 1; p < segment.points_m.size(); ++p) {
        // At least one pixel wide, so that the centre pixel is always covered.
        paint.band(view.pixel_of(segment.points_m[p - 1]), view.pixel_of(segment.points_m[p]),
                   std::max(1.0, segment.radius_m[p - 1] * scale), std::max(1.0, segment.radius_m[p] * scale),
                   picture.segment_colours[n]);
      }
    }
    const auto box = [&picture](const std::array<double, 2>& c, double half) {
      picture.annotation_boxes_px.push_back({std::lround(c[0] - half) - 1, std::lround(c[1] - half) - 1,
                                             std::lround(c[0] + half) + 1, std::lround(c[1] + half) + 1});
    };
    for (const auto& node : network.nodes) {
      const auto at = view.pixel_of(node.position_m);
      box(at, s.marker_half_px);
      if (node.kind == NodeKind::Bifurcation) paint.disc(at, s.marker_half_px, 0.0, s.bifurcation);
      else paint.square(at, s.marker_half_px, node.kind == NodeKind::Inlet ? s.inlet : s.outlet);
    }
    for (const auto& segment : network.segments) {
      for (const auto& stenosis : segment.stenoses) {
        paint.disc(view.pixel_of(stenosis.position_m), s.marker_half_px + 2.0, 1.5, s.stenosis);
        box(view.pixel_of(stenosis.position_m), s.marker_half_px + 2.0);
      }
    }
    for (const auto& [position, text] : labelled) {
      const auto at = view.pixel_of(position);
      const auto width = static_cast<double>(detail::text_width_px(text, kTextScale));
      const double right_edge = static_cast<double>(view.x_offset_px + s.panel_px);
      // Right of the marker, or left of it where the panel ends.
      double x = at[0] + s.marker_half_px + 3.0;
      if (x + width > right_edge) x = at[0] - s.marker_half_px - 3.0 - width;
      const double y = std::max(0.0, at[1] - s.marker_half_px - static_cast<double>(detail::kGlyphHeight * kTextScale));
      detail::draw_text(picture.image, std::lround(x), std::lround(y), text, kTextScale, s.text);
      picture.annotation_boxes_px.push_back({std::lround(x), std::lround(y), std::lround(x + width),
                                             std::lround(y) + static_cast<long>(detail::kGlyphHeight * kTextScale)});
    }
    if (view.x_offset_px > 0) {
      for (std::size_t y = 0; y < s.panel_px; ++y) picture.image.set(view.x_offset_px, y, s.panel_border);
    }
  }
  return picture;
}

}  // namespace ptwin::geometry::review
