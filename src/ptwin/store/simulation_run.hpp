// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a simulation run was started with: enough to reproduce it (model, digest, parameters).

#include <string>

#include "ptwin/core/time.hpp"

namespace ptwin::store {

struct SimulationRun {
  std::string patient_id;       // pseudonymous twin-side patient id
  std::string twin_id;          // the twin that asked for the run
  std::string model_name;       // e.g. "zerod.closed_loop"
  std::string model_digest;     // lowercase hex digest of the model file (SHA-1 .. SHA-512)
  std::string parameters_json;  // the parameter set, as a JSON document
  time::Instant started_at{};   // UTC, taken from the caller's Clock
  friend bool operator==(const SimulationRun&, const SimulationRun&) = default;
};

/// Checks what every backend relies on: non-empty ids and model name, `model_digest` of 40 to
/// 128 lowercase hex digits, `parameters_json` well-formed JSON. Throws InputError naming
/// the field and the value.
void validate(const SimulationRun& run);

}  // namespace ptwin::store
