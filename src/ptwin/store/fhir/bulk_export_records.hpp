// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the FHIR Bulk Data $export (server/fhir/bulk) needs from the resource store: a
// keyset-paged walk over the live resources of one type (constant cost per page, whatever the
// size of the store), and durable job rows so that an export survives a restart. The store
// treats a job's request and progress as opaque JSON text written by the exporter.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ptwin/core/time.hpp"
#include "ptwin/store/fhir/search_query.hpp"

namespace ptwin::store::fhir {

/// Patient-level and Group-level export: the patient compartment (R5 CompartmentDefinition
/// "patient") of some or all patients, for one resource type.
struct CompartmentScope {
  /// The reference search parameters through which a resource of the type is in a Patient's
  /// compartment (the CompartmentDefinition's params). For a type other than Patient, empty
  /// means the type is not in the compartment, and nothing of it is exported. A Patient is in
  /// scope by its id, or through these params (Patient.link) to a patient in scope.
  std::vector<std::string> reference_params{};
  /// The patients in scope (FHIR ids); nullopt: every patient.
  std::optional<std::vector<std::string>> patient_ids{};
  friend bool operator==(const CompartmentScope&, const CompartmentScope&) = default;
};

/// One page of the live (not deleted) resources of `resource_type`, ordered by id, for export.
struct ExportScan {
  std::string resource_type{};
  /// Only resources with lastUpdated > since (Bulk Data `_since`).
  std::optional<time::Instant> since{};
  /// Only resources with lastUpdated <= until (the export's transactionTime).
  time::Instant until{};
  /// Resume after this id (the last id of the previous page); nullopt starts at the first.
  std::optional<std::string> after_id{};
  /// Patient- and Group-level export: only resources in the compartment of the patients in
  /// scope (a Patient by its id or a link; another type by an indexed reference through one of
  /// the compartment's parameters). nullopt: system level.
  std::optional<CompartmentScope> patient_compartment{};
  /// Bulk Data `_typeFilter`: the resource must match at least one of these searches (each a
  /// list of ANDed criteria on `resource_type`, as for ResourceStore::search). Empty: no filter.
  std::vector<std::vector<Criterion>> filters{};
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
