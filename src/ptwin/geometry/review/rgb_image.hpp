// SPDX-License-Identifier: Apache-2.0
#pragma once
// An 8-bit RGB picture, row 0 at the top: what the review pictures are drawn into before they
// are written as PNG.

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ptwin::geometry::review {

using Rgb = std::array<std::uint8_t, 3>;

struct RgbImage {
  std::size_t width = 0;
  std::size_t height = 0;
  std::vector<std::uint8_t> pixels;  // r, g, b per pixel, rows top to bottom

  RgbImage() = default;
  RgbImage(std::size_t width_px, std::size_t height_px, Rgb fill)
      : width(width_px), height(height_px), pixels(width_px * height_px * 3) {
    for (std::size_t p = 0; p < width * height; ++p) set(p % width, p / width, fill);
  }
  void set(std::size_t x, std::size_t y, Rgb colour) {
    const std::size_t at = 3 * (x + width * y);
    pixels[at] = colour[0];
    pixels[at + 1] = colour[1];
    pixels[at + 2] = colour[2];
  }
  [[nodiscard]] Rgb get(std::size_t x, std::size_t y) const {
    const std::size_t at = 3 * (x + width * y);
    return {pixels[at], pixels[at + 1], pixels[at + 2]};
  }
};

}  // namespace ptwin::geometry::review
