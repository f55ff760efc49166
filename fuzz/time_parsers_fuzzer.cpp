// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: every timestamp parser on the same bytes. ptwin::Error is the expected way
// to reject input; anything else (another exception, a crash, a sanitizer report, a broken
// round trip) is a finding.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "ptwin/core/error.hpp"
#include "ptwin/core/time.hpp"

namespace {

using ptwin::time::Instant;
using std::chrono::minutes;

template <typename F>
void expect_value_or_ptwin_error(F&& parse) {
  try {
    parse();
  } catch (const ptwin::Error&) {
  }
}

// An accepted instant must format and parse back to itself.
void check_round_trip(Instant instant) {
  if (ptwin::time::parse_iso8601(ptwin::time::format_iso8601(instant)) != instant) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  expect_value_or_ptwin_error([&] {
    const auto instant = ptwin::time::parse_iso8601(text);
    check_round_trip(instant);
    // A value with its own offset ignores the assumed one.
    if (ptwin::time::parse_iso8601(text, minutes{-90}) != instant) std::abort();
  });
  expect_value_or_ptwin_error(
      [&] { check_round_trip(ptwin::time::parse_iso8601(text, minutes{330})); });
  expect_value_or_ptwin_error(
      [&] { check_round_trip(ptwin::time::parse_dicom_dt(text, std::nullopt)); });
  expect_value_or_ptwin_error(
      [&] { check_round_trip(ptwin::time::parse_dicom_dt(text, minutes{-300})); });
  expect_value_or_ptwin_error([&] { (void)ptwin::time::parse_dicom_timezone_offset(text); });
  // DA and TM: split at the DICOM value delimiter if there is one, else pair with a valid value.
  const auto split = text.find('\\');
  if (split != std::string_view::npos) {
    expect_value_or_ptwin_error([&] {
      check_round_trip(ptwin::time::parse_dicom_da_tm(text.substr(0, split), text.substr(split + 1),
                                                      minutes{60}));
    });
  } else {
    expect_value_or_ptwin_error(
        [&] { check_round_trip(ptwin::time::parse_dicom_da_tm("20240501", text, minutes{60})); });
    expect_value_or_ptwin_error(
        [&] { check_round_trip(ptwin::time::parse_dicom_da_tm(text, "120000", std::nullopt)); });
  }
  return 0;
}
