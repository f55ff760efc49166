// SPDX-License-Identifier: Apache-2.0
#pragma once
// Where `ptwin demo` gets its patient. By default the shipped FHIR R5 bundle is loaded into an
// in-process FHIR facade that plays the hospital's EHR (SQLite, 127.0.0.1, any free port);
// with --ehr the patient lives on an external FHIR server. Either way the twin pulls the
// patient's context over HTTP with the FHIR client, as it would from a hospital.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/ingest/fhir/client/fhir_client.hpp"
#include "ptwin/ingest/fhir/vital_signs_reader.hpp"
#include "ptwin/server/fhir/fhir_facade.hpp"

namespace ptwin::app {

/// An entry of the shipped bundle that the EHR refused, with the EHR's reason.
struct RefusedEntry {
  std::string what;    // "Observation/obs-5"
  std::string status;  // HTTP status of the batch entry, e.g. "422"
  std::string reason;  // "error: ... at Observation.effectiveDateTime"
};

struct EhrLoad {
  std::size_t accepted = 0;
  std::vector<RefusedEntry> refused;
};

/// A FHIR R5 facade over a SQLite file, served on 127.0.0.1 for as long as the object lives.
class InProcessEhr {
 public:
  /// Starts from an empty `database` (an existing file is replaced). Refused bodies go to
  /// `quarantine`. The R5 definitions come from `fhir_packages` (see fhir_package_dir()).
  InProcessEhr(const std::filesystem::path& database, server::fhir::QuarantineSink quarantine,
               const std::optional<std::filesystem::path>& fhir_packages);
  ~InProcessEhr();
  InProcessEhr(const InProcessEhr&) = delete;
  InProcessEhr& operator=(const InProcessEhr&) = delete;

  [[nodiscard]] const std::string& base_url() const;

  /// Sends the entries of a collection Bundle as one batch (PUT for resources with an id, POST
  /// otherwise) through `client`; each entry is accepted or refused on its own.
  EhrLoad load(ingest::fhir::FhirClient& client, const nlohmann::json& collection) const;

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

/// The id of the one Patient in a Bundle; InputError naming `source` otherwise.
[[nodiscard]] std::string patient_id_of(const nlohmann::json& bundle, std::string_view source);

/// The patient's Observations, pulled from the server `client` talks to (paged to the end), read
/// into samples; entries that break a rule come back rejected, with `source` in their names.
[[nodiscard]] ingest::fhir::PatientBundle pull_patient(ingest::fhir::FhirClient& client,
                                                       std::string_view patient_id);

}  // namespace ptwin::app
