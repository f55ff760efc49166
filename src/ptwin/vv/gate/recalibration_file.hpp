// SPDX-License-Identifier: Apache-2.0
#pragma once
// A fitted risk recalibration as a file (docs/twin.md#recalibration-files), written by
// `ptwin vv hypotension --write-recalibration` and named by twin.yaml's twin.recalibration, so
// that the map judged offline is the one `ptwin serve` applies. The file states what the maps
// were fitted on (cohort, seed, patients, time) and the identity of the uncalibrated model
// whose raw risk they map: a map fitted for other model settings is refused, because a map is
// only calibrated for the risk it was fitted on.
//
//   {"format": "ptwin.risk-recalibration/1",
//    "model": {"name": ..., "version": ..., "settings_digest": <uncalibrated model's>},
//    "fitted_at": "2026-11-25T06:00:00Z",
//    "fitted_on": {"cohort": ..., "cohort_seed": 7, "patients": 200, "hours": 8,
//                  "training_patients": 100},
//    "horizons": [{"horizon_s": 300, "method": "platt", "cases": 4100, "events": 230,
//                  "platt": {"a": -0.3, "b": 1.2, "logit_epsilon": 1e-06}},
//                 {"horizon_s": 900, "method": "isotonic", "cases": 4000, "events": 400,
//                  "isotonic": {"knots": [{"raw": 0.01, "calibrated": 0.0}, ...]}}]}

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/core/time.hpp"
#include "ptwin/twin/risk/risk_recalibration.hpp"
#include "ptwin/vv/gate/model_identity.hpp"

namespace ptwin::vv::gate {

inline constexpr std::string_view kRecalibrationFileFormat = "ptwin.risk-recalibration/1";

/// The patients the maps were fitted on.
struct RecalibrationCohort {
  std::string cohort;             // which generator or data set, in words
  std::uint64_t cohort_seed = 0;  // its seed (synthetic cohorts)
  int patients = 0;               // in the cohort
  int hours = 0;                  // monitoring per patient
  int training_patients = 0;      // the part the maps were fitted on
  friend bool operator==(const RecalibrationCohort&, const RecalibrationCohort&) = default;
};

/// One horizon's map and the size of its fit.
struct FittedHorizonRecalibration {
  twin::risk::HorizonRecalibration recalibration;  // method platt or isotonic
  int cases = 0;                                   // predictions it was fitted on
  int events = 0;                                  // of which positive
  friend bool operator==(const FittedHorizonRecalibration&,
                         const FittedHorizonRecalibration&) = default;
};

struct RecalibrationFile {
  ModelIdentity model;  // the uncalibrated model whose raw risk the maps take
  time::Instant fitted_at{};
  RecalibrationCohort fitted_on;
  std::vector<FittedHorizonRecalibration> horizons;  // at least one, horizons distinct
  friend bool operator==(const RecalibrationFile&, const RecalibrationFile&) = default;
};

/// The maps as model settings (HypotensionRiskSettings::recalibrations).
[[nodiscard]] std::vector<twin::risk::HorizonRecalibration> maps_of(const RecalibrationFile& file);

/// The file as JSON text (2-space indented; numbers round-trip exactly).
[[nodiscard]] std::string to_json_text(const RecalibrationFile& file);

/// Parses and validates a file: format, every member present with its JSON type and no unknown
/// member, a SHA-256 digest, a positive distinct horizon per entry, method platt (finite a,
/// b > 0, logit_epsilon in (0, 0.5)) or isotonic (knots in [0, 1], raw strictly increasing,
/// calibrated non-decreasing), counts >= 0 with events <= cases. Throws InputError naming
/// `source_name`, the field and the value, and what to do.
[[nodiscard]] RecalibrationFile parse_recalibration_file(std::string_view json_text,
                                                         std::string_view source_name);

/// Reads a file (InputError(Io) naming the path when it cannot be read).
[[nodiscard]] RecalibrationFile read_recalibration_file(const std::filesystem::path& path);
/// Writes a file (Error(Io) naming the path when it cannot be written).
void write_recalibration_file(const RecalibrationFile& file, const std::filesystem::path& path);

/// Refuses (InputError naming `source_name` and the field) a file whose maps do not belong to
/// the served model: fitted for another model name, version or settings digest than
/// `uncalibrated` (the served model without recalibration), or for a horizon the model does
/// not forecast (`served_horizons`).
void check_applies_to(const RecalibrationFile& file, const ModelIdentity& uncalibrated,
                      std::span<const std::chrono::seconds> served_horizons,
                      std::string_view source_name);

}  // namespace ptwin::vv::gate
