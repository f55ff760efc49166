// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/review/surface_picture.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/review/detail/surface_picture_inputs.hpp"

namespace ptwin::geometry::review {
namespace {

using ingest::dicom::Vector3;

// A vertex on the picture: x right, y down (pixels), depth along +y of the patient frame.
struct ScreenPoint {
  double x;
  double y;
  double depth;
};

Rgb shade(Rgb colour, double intensity) {
  Rgb out{};
  for (std::size_t c = 0; c < 3; ++c) out[c] = static_cast<std::uint8_t>(std::lround(colour[c] * intensity));
  return out;
}

// Lambert shading with the light at the eye (looking along +y): ambient 0.25, diffuse 0.75.
double lambert(const Vector3& a, const Vector3& b, const Vector3& c) {
  const Vector3 n = ingest::dicom::cross({b[0] - a[0], b[1] - a[1], b[2] - a[2]},
                                         {c[0] - a[0], c[1] - a[1], c[2] - a[2]});
  const double length = std::sqrt(ingest::dicom::dot(n, n));
  if (length == 0.0) return 0.25;
  return 0.25 + 0.75 * std::abs(n[1]) / length;
}

}  // namespace

SurfacePicture surface_picture(const surface::TriangleSurface& surface,
                               const surface::SurfaceFaceLabels& labels,
                               const SurfacePictureSettings& settings) {
  detail::check_picture_input(surface, labels);
  double x_min = std::numeric_limits<double>::max(), x_max = -x_min, z_min = x_min, z_max = -x_min;
  for (const auto& p : surface.points_m) {
    x_min = std::min(x_min, p[0]);
    x_max = std::max(x_max, p[0]);
    z_min = std::min(z_min, p[2]);
    z_max = std::max(z_max, p[2]);
  }
  const auto width = static_cast<double>(settings.width_px);
  const auto height = static_cast<double>(settings.height_px);
  const double usable = 1.0 - 2.0 * settings.margin_fraction;
  const double scale = std::min(usable * width / std::max(x_max - x_min, 1e-12),
                                usable * height / std::max(z_max - z_min, 1e-12));  // px per m
  const double x_centre = 0.5 * (x_min + x_max);
  const double z_centre = 0.5 * (z_min + z_max);
  const auto project = [&](const Vector3& p) {
    return ScreenPoint{width / 2.0 + (p[0] - x_centre) * scale, height / 2.0 - (p[2] - z_centre) * scale, p[1]};
  };

  SurfacePicture picture;
  picture.image = RgbImage(settings.width_px, settings.height_px, settings.background);
  std::vector<double> depth(settings.width_px * settings.height_px, std::numeric_limits<double>::max());
  std::vector<std::uint8_t> is_covered(depth.size(), 0);
  for (std::size_t t = 0; t < surface.triangles.size(); ++t) {
    const auto& tri = surface.triangles[t];
    const Vector3& a = surface.points_m.at(tri[0]);
    const Vector3& b = surface.points_m.at(tri[1]);
    const Vector3& c = surface.points_m.at(tri[2]);
    const ScreenPoint p0 = project(a), p1 = project(b), p2 = project(c);
    const double area = (p1.x - p0.x) * (p2.y - p0.y) - (p2.x - p0.x) * (p1.y - p0.y);
    if (std::abs(area) < 1e-12) continue;  // seen edge-on
    const Rgb colour = shade(detail::role_colour(labels, t, settings), lambert(a, b, c));
    const auto x_first = static_cast<long>(std::max(0.0, std::floor(std::min({p0.x, p1.x, p2.x}))));
    const auto x_last = static_cast<long>(std::min(width - 1, std::ceil(std::max({p0.x, p1.x, p2.x}))));
    const auto y_first = static_cast<long>(std::max(0.0, std::floor(std::min({p0.y, p1.y, p2.y}))));
    const auto y_last = static_cast<long>(std::min(height - 1, std::ceil(std::max({p0.y, p1.y, p2.y}))));
    bool is_drawn = false;
    for (long y = y_first; y <= y_last; ++y) {
      for (long x = x_first; x <= x_last; ++x) {
        const double px = static_cast<double>(x) + 0.5, py = static_cast<double>(y) + 0.5;
        // Barycentric weights of the pixel centre; inside when all have the area's sign.
        const double w0 = ((p1.x - px) * (p2.y - py) - (p2.x - px) * (p1.y - py)) / area;
        const double w1 = ((p2.x - px) * (p0.y - py) - (p0.x - px) * (p2.y - py)) / area;
        const double w2 = 1.0 - w0 - w1;
        if (w0 < 0.0 || w1 < 0.0 || w2 < 0.0) continue;
        const double z = w0 * p0.depth + w1 * p1.depth + w2 * p2.depth;
        const std::size_t at = static_cast<std::size_t>(x) + settings.width_px * static_cast<std::size_t>(y);
        if (z >= depth[at]) continue;
        depth[at] = z;
        is_covered[at] = 1;
        picture.image.set(static_cast<std::size_t>(x), static_cast<std::size_t>(y), colour);
        is_drawn = true;
      }
    }
    if (is_drawn) ++picture.drawn_triangles;
  }
  picture.covered_pixels = static_cast<std::size_t>(std::count(is_covered.begin(), is_covered.end(), 1));
  return picture;
}

}  // namespace ptwin::geometry::review
