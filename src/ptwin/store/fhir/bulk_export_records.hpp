// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the FHIR Bulk Data $export (server/fhir/bulk) needs from the resource store: a
// keyset-paged walk over the live resources of one type (constant cost per page, whatever the
// size of the store), and durable job rows so that an export survives a restart. The store
// treats a job's request and progress as opaque JSON text written by the exporter.

#include <cstdint>
#include <optional>
#include <string>

#include "ptwin/core/time.hpp"

namespace ptwin::store::fhir {

/// One page of the live (not deleted) resources of `resource_type`, ordered by id, for export.
struct ExportScan {
  std::string resource_type{};
  /// Only resources with lastUpdated > since (Bulk Data `_since`).
  std::optional<time::Instant> since{};
  /// Only resources with lastUpdated <= until (the export's transactionTime).
  time::Instant until{};
  /// Resume after this id (the last id of the previous page); nullopt starts at the first.
  std::optional<std::string> after_id{};
  /// Patient-level export: only Patients and resources with an indexed reference to a Patient.
  bool is_patient_compartment = false;
  std::int64_t limit = 1000;  // 1..kMaxPageSize
};

/// A Bulk Data export job as stored.
struct ExportJobRecord {
  std::string id{};             // the job id in the status URL: [A-Za-z0-9-]{1,64}
  std::string state{};          // the exporter's state name ("accepted", "running", ...)
  std::string request_json{};   // the kick-off request (exporter's JSON)
  std::string progress_json{};  // outputs written so far and the position (exporter's JSON)
  time::Instant transaction_time{};
  time::Instant updated_at{};
  friend bool operator==(const ExportJobRecord&, const ExportJobRecord&) = default;
};

}  // namespace ptwin::store::fhir
