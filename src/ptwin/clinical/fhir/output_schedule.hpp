// SPDX-License-Identifier: Apache-2.0
#pragma once
// When a patient's next periodic output is due (docs/serve.md#output-schedule). Each patient's
// periodic RiskAssessments fall on its own grid of data time: slots `interval` long, shifted by
// a phase in [0, interval) that derives from the patient id alone (a stable hash, so a replay
// and a restart give the same grid), and at most one periodic output per slot. Twins started
// together (a ward's monitors connected at once, a restart of serve, a load test) would
// otherwise write their outputs in the same instant, and the last of such a burst waits for all
// the others; on their grids they are spread evenly over the interval. The output of a slot is
// written at the first update at or after the slot's start, so under steady data the outputs
// are one interval apart (each a little after its grid point).

#include <chrono>
#include <cstdint>
#include <string_view>

#include "ptwin/core/time.hpp"

namespace ptwin::clinical::fhir {

/// The patient's phase on its output grid: in [0, interval). `interval` > 0.
[[nodiscard]] std::chrono::nanoseconds output_phase(std::string_view patient_id,
                                                    std::chrono::nanoseconds interval);

/// The start of the patient's next slot: the first point of its grid after `last` (the data
/// time of its last output). `interval` > 0.
[[nodiscard]] time::Instant next_output_due(std::string_view patient_id, time::Instant last,
                                            std::chrono::nanoseconds interval);

}  // namespace ptwin::clinical::fhir
