// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/centerline/distance_map.hpp"

#include <limits>

namespace ptwin::geometry::centerline {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// One 1D pass: d[q] = min_p f[p] + (h (q - p))^2 over the finite f[p] (Felzenszwalb &
// Huttenlocher 2012, algorithm DT(f)); v holds the parabolas of the envelope, z their borders.
class EnvelopePass {
 public:
  explicit EnvelopePass(std::size_t n) : f_(n), d_(n), v_(n), z_(n + 1) {}

  std::vector<double>& input() { return f_; }
  const std::vector<double>& output() const { return d_; }

  void run(double h) {
    const std::size_t n = f_.size();
    std::size_t k = 0;
    bool has_site = false;
    for (std::size_t q = 0; q < n; ++q) {
      if (f_[q] == kInfinity) continue;
      if (!has_site) {
        has_site = true;
        v_[0] = q;
        z_[0] = -kInfinity;
        z_[1] = kInfinity;
        continue;
      }
      double s = intersection(q, v_[k], h);
      while (s <= z_[k]) s = intersection(q, v_[--k], h);  // z_[0] = -inf stops at k = 0
      ++k;
      v_[k] = q;
      z_[k] = s;
      z_[k + 1] = kInfinity;
    }
    if (!has_site) {
      d_.assign(n, kInfinity);
      return;
    }
    k = 0;
    for (std::size_t q = 0; q < n; ++q) {
      const double x = h * static_cast<double>(q);
      while (z_[k + 1] < x) ++k;
      const double dx = x - h * static_cast<double>(v_[k]);
      d_[q] = dx * dx + f_[v_[k]];
    }
  }

 private:
  [[nodiscard]] double intersection(std::size_t q, std::size_t p, double h) const {
    const double xq = h * static_cast<double>(q);
    const double xp = h * static_cast<double>(p);
    return ((f_[q] + xq * xq) - (f_[p] + xp * xp)) / (2.0 * (xq - xp));
  }
  std::vector<double> f_, d_;
  std::vector<std::size_t> v_;
  std::vector<double> z_;
};

}  // namespace

std::vector<float> squared_distance_to_background(const LumenGrid& grid) {
  const auto& n = grid.size;
  std::vector<double> field(grid.voxel_count());
  for (std::size_t v = 0; v < field.size(); ++v) field[v] = grid.mask[v] != 0 ? kInfinity : 0.0;
  const std::array<std::size_t, 3> stride{1, n[0], n[0] * n[1]};
  for (int axis = 0; axis < 3; ++axis) {
    const int a1 = (axis + 1) % 3;
    const int a2 = (axis + 2) % 3;
    EnvelopePass pass(n[axis]);
    for (std::size_t u = 0; u < n[a1]; ++u) {
      for (std::size_t w = 0; w < n[a2]; ++w) {
        const std::size_t base = u * stride[a1] + w * stride[a2];
        auto& f = pass.input();
        for (std::size_t q = 0; q < n[axis]; ++q) f[q] = field[base + q * stride[axis]];
        pass.run(grid.geometry.spacing_m[axis]);
        const auto& d = pass.output();
        for (std::size_t q = 0; q < n[axis]; ++q) field[base + q * stride[axis]] = d[q];
      }
    }
  }
  return {field.begin(), field.end()};
}

}  // namespace ptwin::geometry::centerline
