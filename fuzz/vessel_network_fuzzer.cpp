// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the vessel network reader (ptwin.vessel-network/1, docs/geometry.md,
// seeds tests/data/bad_inputs/vessel_network/*.json). ptwin::Error is the expected way to reject
// input; any other exception, a crash, or an accepted network that fails validation or does not
// survive a write/read round trip unchanged is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/centerline/vessel_network_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace centerline = ptwin::geometry::centerline;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto network = centerline::parse_vessel_network(text, "fuzz.json");
    centerline::validate(network, "accepted");  // must not throw: the reader validated it
    const auto again = centerline::parse_vessel_network(centerline::to_json(network).dump(), "again.json");
    if (!(again == network)) std::abort();
  } catch (const ptwin::Error&) {
  }
  return 0;
}
