// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/phantom/phantom_rasteriser.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace ptwin::geometry::phantom {
namespace {

using ingest::dicom::dot;
using ingest::dicom::VolumeGeometry;

// A piece of a branch: the points whose perpendicular foot on the axis start + t * axis falls in
// [-kSlabOverlap, 1 + kSlabOverlap] belong to it, and are inside when their distance from the
// axis is at most the radius interpolated at t. Measuring the radius in the plane normal to the
// centerline is what makes a cross-section's area pi r(s)^2; a union of spheres or round-capped
// cones would not (near a stenosis the caps of wider neighbours would fill it). The overlap
// closes the wedges on the outer side of bends between consecutive pieces.
constexpr double kSlabOverlap = 0.5;

struct Piece {
  Vector3 start, axis;  // axis = end - start; zero for a junction sphere
  double axis_length2 = 0.0;
  double radius_start = 0.0, radius_end = 0.0;
};

// Distance from the axis minus the radius there, or +infinity outside the piece's slab.
double excess(const Piece& piece, const Vector3& p) {
  const Vector3 offset{p[0] - piece.start[0], p[1] - piece.start[1], p[2] - piece.start[2]};
  const double t = piece.axis_length2 > 0.0 ? dot(offset, piece.axis) / piece.axis_length2 : 0.0;
  if (t < -kSlabOverlap || t > 1.0 + kSlabOverlap) return std::numeric_limits<double>::infinity();
  double d2 = 0.0;
  for (int a = 0; a < 3; ++a) d2 += std::pow(offset[a] - t * piece.axis[a], 2);
  const double radius =
      std::max(0.0, piece.radius_start + t * (piece.radius_end - piece.radius_start));
  return std::sqrt(d2) - radius;
}

std::vector<Piece> pieces_of(const std::vector<VesselBranch>& branches) {
  std::vector<Piece> pieces;
  for (const auto& branch : branches) {
    for (std::size_t p = 0; p + 1 < branch.centerline_m.size(); ++p) {
      Piece piece;
      piece.start = branch.centerline_m[p];
      for (int a = 0; a < 3; ++a) piece.axis[a] = branch.centerline_m[p + 1][a] - piece.start[a];
      piece.axis_length2 = dot(piece.axis, piece.axis);
      piece.radius_start = branch.radius_m[p];
      piece.radius_end = branch.radius_m[p + 1];
      pieces.push_back(piece);
    }
    // A sphere of the parent's end radius fills the junction where a child leaves it.
    if (branch.parent >= 0) {
      const auto& parent = branches[static_cast<std::size_t>(branch.parent)];
      Piece sphere;
      sphere.start = branch.centerline_m.front();
      sphere.axis = {0.0, 0.0, 0.0};
      sphere.radius_start = parent.radius_m.back();
      sphere.radius_end = sphere.radius_start;
      pieces.push_back(sphere);
    }
  }
  return pieces;
}

// Sets the bits of the supersampling points of each voxel near `piece` that lie inside it.
void mark_piece(const Piece& piece, const VolumeGeometry& geometry, int n, std::uint32_t full,
                double half_diagonal, std::vector<std::uint32_t>& masks) {
  const Vector3 end{piece.start[0] + piece.axis[0], piece.start[1] + piece.axis[1],
                    piece.start[2] + piece.axis[2]};
  const double reach = std::max(piece.radius_start, piece.radius_end) + half_diagonal +
                       kSlabOverlap * std::sqrt(piece.axis_length2);
  std::array<long, 3> low{}, high{};
  for (int a = 0; a < 3; ++a) {
    const double lo = std::min(piece.start[a], end[a]) - reach;
    const double hi = std::max(piece.start[a], end[a]) + reach;
    low[a] = std::max(0L, static_cast<long>(std::floor((lo - geometry.origin_m[a]) / geometry.spacing_m[a])));
    high[a] = std::min(static_cast<long>(geometry.size[a]) - 1,
                       static_cast<long>(std::ceil((hi - geometry.origin_m[a]) / geometry.spacing_m[a])));
  }
  for (long k = low[2]; k <= high[2]; ++k) {
    for (long j = low[1]; j <= high[1]; ++j) {
      for (long i = low[0]; i <= high[0]; ++i) {
        const std::size_t v = static_cast<std::size_t>(i) +
                              geometry.size[0] * (static_cast<std::size_t>(j) +
                                                  geometry.size[1] * static_cast<std::size_t>(k));
        if (masks[v] == full) continue;
        const auto centre = geometry.position_m(static_cast<double>(i), static_cast<double>(j),
                                                static_cast<double>(k));
        const double e = excess(piece, centre);
        if (e > half_diagonal) continue;
        if (e < -half_diagonal) {
          masks[v] = full;
          continue;
        }
        std::uint32_t bits = 0;
        int bit = 0;
        for (int sk = 0; sk < n; ++sk) {
          for (int sj = 0; sj < n; ++sj) {
            for (int si = 0; si < n; ++si, ++bit) {
              const auto point = geometry.position_m(static_cast<double>(i) + (si + 0.5) / n - 0.5,
                                                     static_cast<double>(j) + (sj + 0.5) / n - 0.5,
                                                     static_cast<double>(k) + (sk + 0.5) / n - 0.5);
              if (excess(piece, point) <= 0.0) bits |= 1U << bit;
            }
          }
        }
        masks[v] |= bits;
      }
    }
  }
}

}  // namespace

std::vector<float> lumen_fraction(const VolumeGeometry& geometry,
                                  const std::vector<VesselBranch>& branches, int supersampling) {
  const int n = supersampling;
  const std::uint32_t full = (1U << (n * n * n)) - 1U;  // n <= 3: at most 27 bits
  std::vector<std::uint32_t> masks(geometry.voxel_count(), 0U);
  const double half_diagonal = 0.5 * std::sqrt(dot(geometry.spacing_m, geometry.spacing_m));
  for (const auto& piece : pieces_of(branches)) mark_piece(piece, geometry, n, full, half_diagonal, masks);
  std::vector<float> fraction(masks.size());
  const float per_point = 1.0F / static_cast<float>(n * n * n);
  for (std::size_t v = 0; v < masks.size(); ++v) {
    fraction[v] = static_cast<float>(__builtin_popcount(masks[v])) * per_point;
  }
  return fraction;
}

void gaussian_blur(ingest::dicom::ImageVolume& volume, double sigma_m) {
  if (sigma_m <= 0.0) return;
  const auto& g = volume.geometry;
  std::vector<float> line;
  for (int axis = 0; axis < 3; ++axis) {
    const double sigma = sigma_m / g.spacing_m[axis];  // in voxels
    const int radius = static_cast<int>(std::ceil(3.0 * sigma));
    if (radius < 1) continue;
    std::vector<double> kernel(2 * static_cast<std::size_t>(radius) + 1);
    double sum = 0.0;
    for (int t = -radius; t <= radius; ++t) {
      kernel[static_cast<std::size_t>(t + radius)] = std::exp(-0.5 * t * t / (sigma * sigma));
      sum += kernel[static_cast<std::size_t>(t + radius)];
    }
    for (auto& w : kernel) w /= sum;
    const std::size_t length = g.size[axis];
    const std::size_t stride = axis == 0 ? 1 : (axis == 1 ? g.size[0] : g.size[0] * g.size[1]);
    const std::size_t lines = g.voxel_count() / length;
    line.resize(length);
    for (std::size_t l = 0; l < lines; ++l) {
      // The first voxel of line l: lines enumerate the other two axes.
      std::size_t base = 0;
      if (axis == 0) base = l * g.size[0];
      else if (axis == 1) base = (l / g.size[0]) * g.size[0] * g.size[1] + (l % g.size[0]);
      else base = l;
      for (std::size_t x = 0; x < length; ++x) line[x] = volume.values[base + x * stride];
      for (std::size_t x = 0; x < length; ++x) {
        double acc = 0.0;
        for (int t = -radius; t <= radius; ++t) {
          const long at = std::clamp(static_cast<long>(x) + t, 0L, static_cast<long>(length) - 1);
          acc += kernel[static_cast<std::size_t>(t + radius)] * line[static_cast<std::size_t>(at)];
        }
        volume.values[base + x * stride] = static_cast<float>(acc);
      }
    }
  }
}

}  // namespace ptwin::geometry::phantom
