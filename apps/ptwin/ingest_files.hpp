// SPDX-License-Identifier: Apache-2.0
#pragma once
// `ptwin ingest`: one importer per file format, all writing into one twin database and
// reporting the same conservation figures (records in = accepted + quarantined + skipped).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/fhir/bulk/ndjson_importer.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"
#include "ptwin/server/fhir/fhir_facade.hpp"
#include "ptwin/store/fhir/sqlite_resource_store.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace ptwin::app {

enum class FileFormat { Hl7v2, FhirJson, FhirXml, FhirNdjson, Vcf };

[[nodiscard]] std::string_view format_name(FileFormat format);
/// "auto" picks by extension, then by the first bytes; throws InputError naming --format or
/// the file when neither says.
[[nodiscard]] FileFormat choose_format(std::string_view option, const std::filesystem::path& file);

struct FileImportResult {
  std::string unit;  // what a record is: "messages", "resources", "variant records"
  std::int64_t records = 0;
  std::int64_t accepted = 0;
  std::int64_t quarantined = 0;
  std::int64_t skipped = 0;  // read and deliberately not kept (stated per format in docs)
  std::string detail;        // one line: what was stored
};

/// Bytes of the file handled so far, and the file's size.
using ImportProgress = std::function<void(std::int64_t done_bytes, std::int64_t total_bytes)>;

/// The FHIR side of a twin database: definitions, validator (with invariants, as
/// `ptwin fhir-serve`), the resource store in the same SQLite file, and the importer and facade
/// that write into it, quarantining into the database's quarantine table.
struct FhirServices {
  std::unique_ptr<ingest::fhir::definitions::Definitions> definitions;
  std::unique_ptr<ingest::fhir::validation::Validator> validator;
  std::unique_ptr<ingest::fhir::indexing::IndexExtractor> extractor;
  std::unique_ptr<store::fhir::SqliteResourceStore> resources;
  std::unique_ptr<server::fhir::FhirFacade> facade;
  std::unique_ptr<ingest::fhir::bulk::NdjsonImporter> importer;
  /// An importer into the same store whose refused lines go to `sink`.
  std::function<std::unique_ptr<ingest::fhir::bulk::NdjsonImporter>(
      ingest::fhir::bulk::LineQuarantine sink)>
      make_importer;
};

struct IngestContext {
  IngestContext(store::SqliteStore& target, const time::Clock& time_source,
                std::filesystem::path database_file,
                std::optional<std::filesystem::path> package_dir, std::string patient)
      : store(target),
        clock(time_source),
        database(std::move(database_file)),
        fhir_packages(std::move(package_dir)),
        patient_id(std::move(patient)) {}

  store::SqliteStore& store;  // samples, patients, quarantine
  const time::Clock& clock;
  std::filesystem::path database;
  std::optional<std::filesystem::path> fhir_packages;
  std::string patient_id;  // --patient: the patient of files that name none (VCF)
  /// Opened on first use: reading the R5 definitions is not free.
  FhirServices& fhir();

 private:
  std::unique_ptr<FhirServices> fhir_;
};

/// HL7 v2 (ER7 text, batch files, MLLP captures) through the same ingestor as the MLLP
/// listener; ADT messages' Patient and Encounter go to the FHIR resource store.
[[nodiscard]] FileImportResult import_hl7v2_file(const std::filesystem::path& file,
                                                 IngestContext& context,
                                                 const ImportProgress& progress);

/// FHIR JSON, XML (a resource or a Bundle) and NDJSON into the FHIR resource store.
[[nodiscard]] FileImportResult import_fhir_file(FileFormat format,
                                                const std::filesystem::path& file,
                                                IngestContext& context,
                                                const ImportProgress& progress);

/// VCF / BCF: pharmacogenomic calls of the patient (--patient) as FHIR genomics Observations.
[[nodiscard]] FileImportResult import_vcf_file(const std::filesystem::path& file,
                                               IngestContext& context,
                                               const ImportProgress& progress);

}  // namespace ptwin::app
