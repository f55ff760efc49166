// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/run_record.hpp"

#include <utility>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/store/detail/json_check.hpp"

namespace ptwin::store {

std::string_view to_string(RunStatus status) {
  switch (status) {
    case RunStatus::Running:
      return "running";
    case RunStatus::Completed:
      return "completed";
    case RunStatus::Failed:
      return "failed";
  }
  throw Error(ErrorCode::Internal,
              fmt::format("RunStatus value {} has no name", static_cast<int>(status)));
}

RunStatus parse_run_status(std::string_view text) {
  for (const RunStatus status : {RunStatus::Running, RunStatus::Completed, RunStatus::Failed}) {
    if (text == to_string(status)) return status;
  }
  throw InputError(ErrorCode::BadInput, "run status", std::string(text),
                   "is not one of running, completed, failed");
}

RunOutcome RunOutcome::completed(std::string summary_json, time::Instant finished_at) {
  return RunOutcome{.status = RunStatus::Completed,
                    .summary_json = std::move(summary_json),
                    .message = std::nullopt,
                    .finished_at = finished_at};
}

RunOutcome RunOutcome::failed(std::string message, time::Instant finished_at) {
  return RunOutcome{.status = RunStatus::Failed,
                    .summary_json = std::nullopt,
                    .message = std::move(message),
                    .finished_at = finished_at};
}

void validate(const RunOutcome& outcome, RunId run_id) {
  const auto where = [run_id](std::string_view field) {
    return fmt::format("outcome of run {}: {}", run_id, field);
  };
  switch (outcome.status) {
    case RunStatus::Running:
      throw InputError(ErrorCode::BadInput, where("status"), "running",
                       "must be completed or failed");
    case RunStatus::Completed:
      if (!outcome.summary_json) {
        throw InputError(ErrorCode::MissingField, where("summary_json"), "",
                         "is required when the status is completed");
      }
      if (outcome.message) {
        throw InputError(ErrorCode::UnknownField, where("message"), *outcome.message,
                         "is only allowed when the status is failed");
      }
      detail::require_json(*outcome.summary_json, where("summary_json"));
      return;
    case RunStatus::Failed:
      if (!outcome.message || outcome.message->empty()) {
        throw InputError(ErrorCode::MissingField, where("message"), "",
                         "is required when the status is failed");
      }
      if (outcome.summary_json) {
        throw InputError(ErrorCode::UnknownField, where("summary_json"), "<JSON>",
                         "is only allowed when the status is completed");
      }
      return;
  }
  throw Error(ErrorCode::Internal, where("status") + ": value out of range");
}

}  // namespace ptwin::store
