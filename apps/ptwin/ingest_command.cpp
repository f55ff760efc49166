// SPDX-License-Identifier: Apache-2.0
// `ptwin ingest FILE...`: imports files into a twin database with a progress bar per file and a
// summary of what was accepted and what was quarantined (docs/ingest.md#ptwin-ingest). A file
// that cannot be read stops the run with an error naming it; bad records inside a file are
// quarantined with their bytes and reason and counted, never dropped.

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "ingest_files.hpp"
#include "progress_bar.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/validation/fhirpath_invariants.hpp"
#include "read_file.hpp"

namespace ptwin::app {
namespace {

struct IngestOptions {
  std::vector<std::string> files;
  std::string database = "ptwin.db";
  std::string format = "auto";
  std::string patient_id;
  std::string fhir_packages;
};

std::string with_extension_lower(const std::filesystem::path& file) {
  auto name = file.filename().string();
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

FileImportResult import_file(FileFormat format, const std::filesystem::path& file,
                             IngestContext& context, const ImportProgress& progress) {
  switch (format) {
    case FileFormat::Hl7v2: return import_hl7v2_file(file, context, progress);
    case FileFormat::FhirJson:
    case FileFormat::FhirXml:
    case FileFormat::FhirNdjson: return import_fhir_file(format, file, context, progress);
    case FileFormat::Vcf: return import_vcf_file(file, context, progress);
  }
  throw Error(ErrorCode::Internal, "unhandled file format");
}

void run_ingest(const IngestOptions& o) {
  time::SystemClock clock;
  store::SqliteStore store(o.database);
  IngestContext context{store, clock, o.database, fhir_package_dir(o.fhir_packages),
                        o.patient_id};
  const auto quarantined_before = store.count_quarantined();
  struct Row {
    std::string file;
    std::string format;
    FileImportResult result;
  };
  std::vector<Row> rows;
  for (const auto& name : o.files) {
    const std::filesystem::path file(name);
    const auto format = choose_format(o.format, file);
    ProgressBar bar(file.filename().string().substr(0, 16));
    const auto result = import_file(format, file, context, [&](std::int64_t done, std::int64_t total) {
      bar.update(done, total, "bytes");
    });
    bar.finish(fmt::format("{} {}: {} accepted, {} quarantined, {} skipped", result.records,
                           result.unit, result.accepted, result.quarantined, result.skipped));
    rows.push_back({file.string(), std::string(format_name(format)), result});
  }
  fmt::print("{:<32} {:<8} {:>10} {:>10} {:>12} {:>8}  {}\n", "file", "format", "records",
             "accepted", "quarantined", "skipped", "unit");
  for (const auto& row : rows) {
    fmt::print("{:<32} {:<8} {:>10} {:>10} {:>12} {:>8}  {}\n", row.file, row.format,
               row.result.records, row.result.accepted, row.result.quarantined,
               row.result.skipped, row.result.unit);
    if (!row.result.detail.empty()) fmt::print("  {}\n", row.result.detail);
  }
  fmt::print("database {}: {} entries added to the quarantine (reasons and raw bytes in its "
             "quarantine table)\n",
             o.database, store.count_quarantined() - quarantined_before);
}

}  // namespace

FhirServices& IngestContext::fhir() {
  if (fhir_) return *fhir_;
  auto services = std::make_unique<FhirServices>();
  services->definitions = ingest::fhir::definitions::Definitions::open(fhir_packages);
  // As `ptwin fhir-serve`: invariants (FHIRPath constraints) are checked too.
  ingest::fhir::validation::ValidatorOptions options;
  options.invariant_evaluator =
      ingest::fhir::validation::make_fhirpath_invariant_evaluator(*services->definitions);
  services->validator = std::make_unique<ingest::fhir::validation::Validator>(
      *services->definitions, std::move(options));
  services->extractor =
      std::make_unique<ingest::fhir::indexing::IndexExtractor>(*services->definitions);
  services->resources = std::make_unique<store::fhir::SqliteResourceStore>(database, clock);
  server::fhir::FhirFacadeSettings settings;
  settings.base_path = "/fhir";
  settings.quarantine = [this](const server::fhir::QuarantinedBody& refused) {
    (void)store.quarantine({fmt::format("ingest: {} (FHIR facade)", refused.resource_type),
                            refused.outcome.dump(), refused.body, clock.now()});
  };
  services->facade = std::make_unique<server::fhir::FhirFacade>(
      *services->resources, *services->definitions, *services->validator, settings);
  auto* raw = services.get();
  services->make_importer = [raw](ingest::fhir::bulk::LineQuarantine sink) {
    return std::make_unique<ingest::fhir::bulk::NdjsonImporter>(
        *raw->resources, *raw->validator, *raw->extractor, std::move(sink),
        ingest::fhir::bulk::NdjsonImportSettings{});
  };
  services->importer = services->make_importer(
      [this](const store::QuarantineEntry& refused) { (void)store.quarantine(refused); });
  fhir_ = std::move(services);
  return *fhir_;
}

std::string_view format_name(FileFormat format) {
  switch (format) {
    case FileFormat::Hl7v2: return "hl7v2";
    case FileFormat::FhirJson: return "fhir";
    case FileFormat::FhirXml: return "fhir-xml";
    case FileFormat::FhirNdjson: return "ndjson";
    case FileFormat::Vcf: return "vcf";
  }
  return "?";
}

FileFormat choose_format(std::string_view option, const std::filesystem::path& file) {
  static constexpr std::pair<std::string_view, FileFormat> kNames[] = {
      {"hl7v2", FileFormat::Hl7v2},     {"fhir", FileFormat::FhirJson},
      {"fhir-xml", FileFormat::FhirXml}, {"ndjson", FileFormat::FhirNdjson},
      {"vcf", FileFormat::Vcf}};
  for (const auto& [name, format] : kNames) {
    if (option == name) return format;
  }
  if (option != "auto") {
    throw InputError(ErrorCode::BadInput, "--format", std::string(option),
                     "must be auto, hl7v2, fhir, fhir-xml, ndjson or vcf");
  }
  const auto name = with_extension_lower(file);
  static constexpr std::pair<std::string_view, FileFormat> kExtensions[] = {
      {".hl7", FileFormat::Hl7v2},      {".er7", FileFormat::Hl7v2},
      {".mllp", FileFormat::Hl7v2},     {".hl7v2", FileFormat::Hl7v2},
      {".ndjson", FileFormat::FhirNdjson}, {".json", FileFormat::FhirJson},
      {".xml", FileFormat::FhirXml},    {".vcf", FileFormat::Vcf},
      {".vcf.gz", FileFormat::Vcf},     {".vcf.bgz", FileFormat::Vcf},
      {".bcf", FileFormat::Vcf}};
  for (const auto& [extension, format] : kExtensions) {
    if (name.ends_with(extension)) return format;
  }
  // By content: an HL7 v2 message, batch or MLLP capture starts with MSH, FHS, BHS or 0x0B; a
  // VCF with ##fileformat=VCF; FHIR XML with '<', JSON with '{' (NDJSON: several lines of it).
  const auto bytes = read_file_head(file, 4096);
  const auto first = bytes.find_first_not_of(" \t\r\n");
  if (first != std::string::npos) {
    const auto head = std::string_view(bytes).substr(first);
    if (head.starts_with("MSH") || head.starts_with("FHS") || head.starts_with("BHS") ||
        head.starts_with('\x0b')) {
      return FileFormat::Hl7v2;
    }
    if (head.starts_with("##fileformat=VCF")) return FileFormat::Vcf;
    if (head.starts_with('<')) return FileFormat::FhirXml;
    if (head.starts_with('{')) {
      // NDJSON: the first line is a whole object ending in '}' and another line follows.
      const auto newline = head.find('\n');
      if (newline == std::string_view::npos) return FileFormat::FhirJson;
      const auto line = head.substr(0, newline);
      const auto last = line.find_last_not_of(" \t\r");
      const bool is_whole_line = last != std::string_view::npos && line[last] == '}';
      const bool has_next = head.find_first_not_of(" \t\r\n", newline) != std::string_view::npos;
      return is_whole_line && has_next ? FileFormat::FhirNdjson : FileFormat::FhirJson;
    }
  }
  throw InputError(ErrorCode::BadInput, fmt::format("{}", file.string()), "",
                   "is of no format ptwin ingest reads (by extension or first bytes); name it "
                   "with --format");
}

Command register_ingest(CLI::App& app) {
  auto options = std::make_shared<IngestOptions>();
  auto* sub = app.add_subcommand(
      "ingest",
      "Import files into a twin database: HL7 v2 (ER7 text, batch files, MLLP captures), FHIR "
      "R5 JSON or XML (a resource or a Bundle; transaction and batch Bundles run as such), FHIR "
      "NDJSON (e.g. a Bulk Data export), VCF/BCF (pharmacogenomic calls as FHIR Observations, "
      "with --patient). Shows a progress bar per file and a summary of records accepted, "
      "quarantined (kept raw with the reason in the database's quarantine table) and skipped.");
  sub->add_option("files", options->files, "files to import")->required()->check(CLI::ExistingFile);
  sub->add_option("--db", options->database, "SQLite file of the twin")->capture_default_str();
  sub->add_option("--format", options->format,
                  "auto (by extension, then content), hl7v2, fhir, fhir-xml, ndjson or vcf")
      ->capture_default_str();
  sub->add_option("--patient", options->patient_id,
                  "the patient id of files that name none (VCF)");
  sub->add_option("--fhir-packages", options->fhir_packages,
                  "folder holding hl7.fhir.r5.core (default: $PTWIN_FHIR_PACKAGE_DIR)");
  return {sub, [options] { run_ingest(*options); }};
}

}  // namespace ptwin::app
