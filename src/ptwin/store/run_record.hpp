// SPDX-License-Identifier: Apache-2.0
#pragma once
// A simulation run as stored: how it was started, and how (or whether yet) it ended.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ptwin/core/time.hpp"
#include "ptwin/store/simulation_run.hpp"

namespace ptwin::store {

using RunId = std::int64_t;

enum class RunStatus { Running, Completed, Failed };

/// "running", "completed", "failed": the spelling used in the database and in the API.
[[nodiscard]] std::string_view to_string(RunStatus status);

/// Inverse of to_string(RunStatus). Throws InputError(BadInput) on any other text.
[[nodiscard]] RunStatus parse_run_status(std::string_view text);

/// How a run ended. Build it with completed() or failed(), which fill the matching field.
struct RunOutcome {
  RunStatus status = RunStatus::Completed;  // Completed or Failed; Running is rejected
  std::optional<std::string> summary_json;  // Completed: summary metrics as a JSON document
  std::optional<std::string> message;       // Failed: the error message
  time::Instant finished_at{};              // UTC, taken from the caller's Clock

  [[nodiscard]] static RunOutcome completed(std::string summary_json, time::Instant finished_at);
  [[nodiscard]] static RunOutcome failed(std::string message, time::Instant finished_at);
  friend bool operator==(const RunOutcome&, const RunOutcome&) = default;
};

/// Checks that the outcome is final and consistent: Completed carries a well-formed JSON
/// summary and no message; Failed carries a non-empty message and no summary. Throws
/// InputError naming the run and the field.
void validate(const RunOutcome& outcome, RunId run_id);

struct RunRecord {
  RunId id = 0;
  SimulationRun run;
  RunStatus status = RunStatus::Running;
  std::optional<std::string> summary_json;   // set once Completed
  std::optional<std::string> message;        // set once Failed
  std::optional<time::Instant> finished_at;  // set once Completed or Failed
  friend bool operator==(const RunRecord&, const RunRecord&) = default;
};

}  // namespace ptwin::store
