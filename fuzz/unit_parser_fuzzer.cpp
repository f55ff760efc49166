// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the unit expression parser and conversions. ptwin::Error is the expected
// way to reject input; anything else, or an accepted unit with a non-finite or zero factor, is a
// finding.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"

namespace {

template <typename F>
void expect_value_or_ptwin_error(F&& parse) {
  try {
    parse();
  } catch (const ptwin::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  expect_value_or_ptwin_error([&] {
    const auto unit = ptwin::units::parse_unit(text);
    if (!std::isfinite(unit.to_si) || unit.to_si <= 0.0) std::abort();
    // Converting a unit to itself is the identity up to rounding.
    if (std::abs(ptwin::units::convert(1.0, text, text) - 1.0) > 1e-12) std::abort();
  });
  expect_value_or_ptwin_error([&] {
    const double pa = ptwin::units::to_si(120.0, text, ptwin::units::kPressureDim, "fuzz");
    if (!std::isfinite(pa)) std::abort();
  });
  return 0;
}
