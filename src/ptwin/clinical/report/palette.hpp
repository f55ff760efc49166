// SPDX-License-Identifier: Apache-2.0
#pragma once
// The Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008; recommended by Wong,
// Nature Methods 8:441, 2011): eight colours that stay distinguishable under the common forms of
// colour-vision deficiency and in greyscale print when combined with line styles and markers.

#include <cstddef>
#include <string_view>

namespace ptwin::clinical::report {

/// Colours of the Okabe–Ito palette, in the order in which chart series use them. Yellow comes
/// last because it has too little contrast on white for thin lines.
enum class PaletteColour {
  Blue,           // #0072B2
  Vermillion,     // #D55E00
  BluishGreen,    // #009E73
  Orange,         // #E69F00
  ReddishPurple,  // #CC79A7
  SkyBlue,        // #56B4E9
  Black,          // #000000
  Yellow,         // #F0E442
};

inline constexpr std::size_t kPaletteSize = 8;

/// The colour as an SVG/CSS hex string, e.g. "#0072B2".
[[nodiscard]] std::string_view hex(PaletteColour colour);

/// The colour used for the index-th series of a chart (cycles after kPaletteSize).
[[nodiscard]] PaletteColour palette_colour(std::size_t index);

}  // namespace ptwin::clinical::report
