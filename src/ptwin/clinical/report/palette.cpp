// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/report/palette.hpp"

#include <array>

namespace ptwin::clinical::report {
namespace {

constexpr std::array<std::string_view, kPaletteSize> kHex{
    "#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#000000", "#F0E442",
};

}  // namespace

std::string_view hex(PaletteColour colour) { return kHex.at(static_cast<std::size_t>(colour)); }

PaletteColour palette_colour(std::size_t index) {
  return static_cast<PaletteColour>(index % kPaletteSize);
}

}  // namespace ptwin::clinical::report
