// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: ptwin's 0D model reader (build_model on the bytes read as JSON) and the
// "<number> <unit>" quantity reader on the same bytes. ptwin::Error is the expected way to
// reject input; anything else (an nlohmann::json exception, a crash, a sanitizer report) or an
// accepted model or quantity that is not finite is a finding. Bytes that are not JSON are not
// the builder's concern (read_json_file rejects them) and only reach the quantity reader.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/physics/zerod/model_builder.hpp"
#include "ptwin/physics/zerod/parameter_reader.hpp"

namespace {

namespace zerod = ptwin::physics::zerod;

template <typename F>
void expect_value_or_ptwin_error(F&& parse) {
  try {
    parse();
  } catch (const ptwin::Error&) {
  }
}

// An accepted model has a finite initial state and can be assembled once at t = 0.
void check_model(zerod::Model& model) {
  const auto state = model.initial_state();
  for (const double value : state) {
    if (!std::isfinite(value)) std::abort();
  }
  const std::vector<double> rates(state.size(), 0.0);
  model.evaluate(0.0, state.data(), rates.data(), 1.0, 1.0);
}

void check_quantity(std::string_view text) {
  const nlohmann::json value = std::string(text);
  for (const auto dimension : {ptwin::units::kDimensionless, ptwin::units::kPressureDim,
                               ptwin::units::kFlowResistanceDim, ptwin::units::kTimeDim}) {
    expect_value_or_ptwin_error([&] {
      if (!std::isfinite(zerod::parse_quantity_si(value, dimension, "fuzz"))) std::abort();
    });
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_quantity(text);
  const auto spec = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (spec.is_discarded()) return 0;
  expect_value_or_ptwin_error([&] { check_model(*zerod::build_model(spec, "fuzz.json")); });
  // A JSON string or number as a parameter value, the way ParameterReader sees it.
  if (spec.is_string() || spec.is_number()) {
    for (const auto dimension : {ptwin::units::kDimensionless, ptwin::units::kComplianceDim}) {
      expect_value_or_ptwin_error([&] {
        if (!std::isfinite(zerod::parse_quantity_si(spec, dimension, "fuzz"))) std::abort();
      });
    }
  }
  return 0;
}
