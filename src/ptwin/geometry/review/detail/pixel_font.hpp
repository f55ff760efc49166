// SPDX-License-Identifier: Apache-2.0
#pragma once
// A 3x5 pixel font for the short labels of the review pictures (upper-case letters, digits, '%'
// and space), drawn at an integer scale. Unknown characters are refused: a label is never drawn
// with glyphs silently missing.

#include <cstddef>
#include <string_view>

#include "ptwin/geometry/review/rgb_image.hpp"

namespace ptwin::geometry::review::detail {

inline constexpr std::size_t kGlyphWidth = 3;
inline constexpr std::size_t kGlyphHeight = 5;

/// Width in pixels of `text` at `scale` (one blank column between glyphs).
[[nodiscard]] std::size_t text_width_px(std::string_view text, std::size_t scale);

/// Draws `text` with its top-left corner at (x, y); pixels outside the image are skipped.
/// Throws InputError naming the character when the font lacks it.
void draw_text(RgbImage& image, long x, long y, std::string_view text, std::size_t scale, Rgb colour);

}  // namespace ptwin::geometry::review::detail
