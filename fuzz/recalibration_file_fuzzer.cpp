// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the risk recalibration file reader (ptwin.risk-recalibration/1,
// docs/twin.md#recalibration-files). ptwin::Error is the expected way to reject input; any other
// exception, an accepted file whose maps break their own rules or map a probability outside
// [0, 1], or one that does not survive a write and read unchanged, is a finding.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ptwin/core/error.hpp"
#include "ptwin/vv/gate/recalibration_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace gate = ptwin::vv::gate;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto file = gate::parse_recalibration_file(text, "fuzz.json");
    if (file.horizons.empty() || file.model.settings_digest.size() != 64) std::abort();
    for (const auto& h : file.horizons) {
      if (h.recalibration.horizon.count() <= 0 || h.events > h.cases) std::abort();
      h.recalibration.map.validate("accepted");  // throws InputError: not caught below
      for (const double p : {0.0, 1e-9, 0.25, 0.5, 0.75, 1.0}) {
        const double q = h.recalibration.map.apply(p);
        if (!(q >= 0.0 && q <= 1.0)) std::abort();
      }
    }
    if (!(gate::parse_recalibration_file(gate::to_json_text(file), "again.json") == file)) {
      std::abort();
    }
  } catch (const ptwin::InputError& e) {
    if (e.where().rfind("accepted", 0) == 0) std::abort();
  } catch (const ptwin::Error&) {
  }
  return 0;
}
