// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the svZeroDSolver configuration importer, followed by build_model on what
// it produces (the path load_model_file takes). ptwin::Error is the expected way to reject
// input; anything else (an nlohmann::json exception, a crash, a sanitizer report) or an import
// that is not a ptwin.zerod/1 model is a finding. The input's length picks the unit system so
// that every translation table is exercised.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ptwin/core/error.hpp"
#include "ptwin/physics/zerod/model_builder.hpp"
#include "ptwin/physics/zerod/svzerod_import.hpp"

namespace {

namespace zerod = ptwin::physics::zerod;

constexpr std::array kUnitSystems{zerod::SvZeroDUnits::Cgs, zerod::SvZeroDUnits::Si,
                                  zerod::SvZeroDUnits::MmHg};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto units = kUnitSystems[size % kUnitSystems.size()];
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto config = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded()) return 0;
  try {
    const auto model = zerod::import_svzerod(config, units, "fuzz.json");
    if (!model.is_object() || model.value("format", "") != zerod::kModelFormat) std::abort();
    (void)zerod::build_model(model, "fuzz.json");
  } catch (const ptwin::Error&) {
  }
  return 0;
}
