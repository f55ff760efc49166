// SPDX-License-Identifier: Apache-2.0
#pragma once
// The result of running a model's verification cases, for one exact model identity: each
// case's observed value against its acceptance interval, and the overall status. Kept as JSON
// (docs/vv.md#verification-records) so that a record made once (`ptwin vv gate --write`) can
// be read by `ptwin serve` instead of running the cases again at start-up.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/core/time.hpp"
#include "ptwin/vv/gate/model_identity.hpp"

namespace ptwin::vv::gate {

enum class VerificationStatus {
  Unverified,  // no case was run for this identity
  Passed,      // every case inside its acceptance interval
  Failed,      // at least one case outside
};

/// "unverified", "passed", "failed": also the code used in FHIR outputs.
[[nodiscard]] std::string_view to_string(VerificationStatus status);

/// One verification case as run: what was compared, the observed value of its norm and the
/// interval it must fall in (STYLE.md §10: source, quantity, norm and tolerance with reason).
struct CaseResult {
  std::string id;
  std::string source;
  std::string quantity;
  std::string norm;
  double observed = 0.0;
  double lower = 0.0;  // accepted when lower <= observed <= upper
  double upper = 0.0;
  std::string tolerance_reason;
  [[nodiscard]] bool is_passed() const { return observed >= lower && observed <= upper; }
};

struct VerificationRecord {
  ModelIdentity model;
  VerificationStatus status = VerificationStatus::Unverified;
  time::Instant verified_at{};
  std::vector<CaseResult> cases;
};

/// Passed when there is at least one case and every case passed, Failed when any case failed,
/// Unverified when there are none.
[[nodiscard]] VerificationStatus status_of(const std::vector<CaseResult>& cases);

/// The record as JSON text (2-space indented).
[[nodiscard]] std::string to_json_text(const VerificationRecord& record);
/// Parses a record; throws InputError naming `source_name` and the field for a record that is
/// not JSON, misses a field, has a wrong type, or whose status disagrees with its cases.
[[nodiscard]] VerificationRecord parse_verification_record(std::string_view json_text,
                                                           std::string_view source_name);
/// Reads a record file (InputError(Io) naming the path when it cannot be read).
[[nodiscard]] VerificationRecord read_verification_record(const std::filesystem::path& file);
/// Writes a record file (Error(Io) naming the path when it cannot be written).
void write_verification_record(const VerificationRecord& record, const std::filesystem::path& file);

}  // namespace ptwin::vv::gate
