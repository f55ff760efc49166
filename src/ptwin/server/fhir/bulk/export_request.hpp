// SPDX-License-Identifier: Apache-2.0
#pragma once
// The kick-off request of a Bulk Data $export (FHIR Bulk Data Access IG v2, "Bulk Data
// Kick-off Request"): its level and the parameters this server supports, parsed and checked
// once, and its JSON form as stored in the job row.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/core/time.hpp"

namespace ptwin::server::fhir::bulk {

enum class ExportLevel {
  System,   // [base]/$export: every resource of the types asked for
  Patient,  // [base]/Patient/$export: the Patient compartment of every (or the listed) patient
  Group,    // [base]/Group/[id]/$export: the Patient compartment of the group's patients
};

/// One `_typeFilter` value: a FHIR search `Type?query` on one exported type.
struct TypeFilter {
  std::string type;
  std::string query;  // the part after '?', as given (percent-encoded)
  friend bool operator==(const TypeFilter&, const TypeFilter&) = default;
};

struct ExportRequest {
  ExportLevel level = ExportLevel::System;
  std::vector<std::string> types;     // the types exported, in order; never empty once parsed
  std::optional<time::Instant> since; // _since: lastUpdated > since
  std::optional<time::Instant> until; // _until: lastUpdated <= until (and <= transactionTime)
  std::string request_url;            // the kick-off URL as received, for the manifest
  std::vector<TypeFilter> type_filters;  // several for one type are ORed
  /// `_elements` selections, "[Type.]name" (root elements only; element_subset.hpp), in order.
  std::vector<std::string> elements;
  /// The `patient` parameter's ids (Patient and Group level), in order, once each.
  std::optional<std::vector<std::string>> patients;
  std::string group_id;               // Group level: the Group's id
  /// Group level: the ids of the group's Patient members (within `patients` if given), fixed
  /// at kick-off so that a resumed job exports the same patients.
  std::vector<std::string> group_patients;
  std::string base_url;               // the FHIR base at kick-off (local references in filters)
  friend bool operator==(const ExportRequest&, const ExportRequest&) = default;
};

/// The _outputFormat values accepted (IG: application/fhir+ndjson and its abbreviations).
[[nodiscard]] bool is_ndjson_output_format(std::string_view value);

/// Parses the parameters of a kick-off (from the query of a GET or the Parameters body of a
/// POST, as name/value pairs; `patient` values are references "Patient/<id>"). `served_types`
/// (sorted) are the types _type may name and the default when _type is absent. Throws
/// FhirError(400) naming the parameter and value for an unsupported parameter, an
/// _outputFormat other than NDJSON, a _type this server does not serve, a _since that is not a
/// FHIR instant (with a time zone), a _typeFilter that is not `Type?query` or names a type not
/// exported, or a `patient` that is not a Patient reference (or is given at system level).
/// The filters' search parameters are checked by the caller (parse_type_filter).
[[nodiscard]] ExportRequest parse_export_request(
    ExportLevel level, const std::vector<std::pair<std::string, std::string>>& params,
    const std::vector<std::string>& served_types, std::string request_url);

/// The name/value pairs of a POST kick-off's Parameters body (IG "Bulk Data Kick-off Request",
/// POST): each parameter's value[x] as text (valueString, valueInstant, valueCode, valueUri,
/// valueBoolean; valueReference.reference). Throws FhirError(400) naming the element when the
/// body is not a Parameters resource or a parameter has no name or no supported value.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> parameters_body(
    std::string_view body);

[[nodiscard]] nlohmann::json to_json(const ExportRequest& request);
/// Throws Error(Internal) for JSON not written by to_json (a damaged job row).
[[nodiscard]] ExportRequest export_request_from_json(const nlohmann::json& json);

}  // namespace ptwin::server::fhir::bulk
