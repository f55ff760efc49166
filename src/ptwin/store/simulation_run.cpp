// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/simulation_run.hpp"

#include <algorithm>
#include <cstddef>
#include <string_view>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/store/detail/json_check.hpp"

namespace ptwin::store {
namespace {

// SHA-1 (160 bit) is the shortest digest we accept, SHA-512 the longest.
constexpr std::size_t kMinDigestHexDigits = 40;
constexpr std::size_t kMaxDigestHexDigits = 128;

void require_non_empty(const std::string& value, std::string_view field) {
  if (value.empty()) {
    throw InputError(ErrorCode::MissingField, fmt::format("simulation run: {}", field), "",
                     "must not be empty");
  }
}

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

}  // namespace

void validate(const SimulationRun& run) {
  require_non_empty(run.patient_id, "patient_id");
  require_non_empty(run.twin_id, "twin_id");
  require_non_empty(run.model_name, "model_name");
  const std::size_t digits = run.model_digest.size();
  if (digits < kMinDigestHexDigits || digits > kMaxDigestHexDigits || digits % 2 != 0 ||
      !std::all_of(run.model_digest.begin(), run.model_digest.end(), is_lower_hex)) {
    throw InputError(ErrorCode::BadInput,
                     fmt::format("simulation run of model '{}': model_digest", run.model_name),
                     run.model_digest,
                     fmt::format("must be an even number of {} to {} lowercase hex digits",
                                 kMinDigestHexDigits, kMaxDigestHexDigits));
  }
  detail::require_json(
      run.parameters_json,
      fmt::format("simulation run of model '{}': parameters_json", run.model_name));
}

}  // namespace ptwin::store
