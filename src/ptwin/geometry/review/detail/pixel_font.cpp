// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/review/detail/pixel_font.hpp"

#include <array>
#include <cstdint>
#include <string>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::review::detail {
namespace {

// Five rows of three bits each, most significant bit on the left.
struct Glyph {
  char character;
  std::array<std::uint8_t, kGlyphHeight> rows;
};

constexpr std::array kGlyphs{
    Glyph{'0', {7, 5, 5, 5, 7}}, Glyph{'1', {2, 6, 2, 2, 7}}, Glyph{'2', {7, 1, 7, 4, 7}},
    Glyph{'3', {7, 1, 7, 1, 7}}, Glyph{'4', {5, 5, 7, 1, 1}}, Glyph{'5', {7, 4, 7, 1, 7}},
    Glyph{'6', {7, 4, 7, 5, 7}}, Glyph{'7', {7, 1, 1, 1, 1}}, Glyph{'8', {7, 5, 7, 5, 7}},
    Glyph{'9', {7, 5, 7, 1, 7}}, Glyph{'B', {6, 5, 6, 5, 6}}, Glyph{'I', {7, 2, 2, 2, 7}},
    Glyph{'N', {5, 7, 7, 5, 5}}, Glyph{'O', {7, 5, 5, 5, 7}}, Glyph{'S', {7, 4, 7, 1, 7}},
    Glyph{'%', {5, 1, 2, 4, 5}}, Glyph{' ', {0, 0, 0, 0, 0}},
};

const Glyph& glyph_of(char c) {
  for (const auto& glyph : kGlyphs) {
    if (glyph.character == c) return glyph;
  }
  throw InputError(ErrorCode::BadInput, "picture label character", std::string(1, c),
                   "one of 0-9, B, I, N, O, S, % and space (the review font's glyphs)");
}

}  // namespace

std::size_t text_width_px(std::string_view text, std::size_t scale) {
  return text.empty() ? 0 : (text.size() * (kGlyphWidth + 1) - 1) * scale;
}

void draw_text(RgbImage& image, long x, long y, std::string_view text, std::size_t scale, Rgb colour) {
  const auto step = static_cast<long>(scale);
  for (std::size_t n = 0; n < text.size(); ++n) {
    const Glyph& glyph = glyph_of(text[n]);
    const long left = x + static_cast<long>(n * (kGlyphWidth + 1)) * step;
    for (std::size_t row = 0; row < kGlyphHeight; ++row) {
      for (std::size_t column = 0; column < kGlyphWidth; ++column) {
        if (((glyph.rows[row] >> (kGlyphWidth - 1 - column)) & 1U) == 0) continue;
        for (long dy = 0; dy < step; ++dy) {
          for (long dx = 0; dx < step; ++dx) {
            const long px = left + static_cast<long>(column) * step + dx;
            const long py = y + static_cast<long>(row) * step + dy;
            if (px < 0 || py < 0 || px >= static_cast<long>(image.width) || py >= static_cast<long>(image.height)) continue;
            image.set(static_cast<std::size_t>(px), static_cast<std::size_t>(py), colour);
          }
        }
      }
    }
  }
}

}  // namespace ptwin::geometry::review::detail
