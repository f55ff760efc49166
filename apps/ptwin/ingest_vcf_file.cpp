// SPDX-License-Identifier: Apache-2.0
// VCF / BCF files for `ptwin ingest`: the genomics importer reads the calls at the PGx
// catalogue positions (docs/genomics.md); the FHIR Observations it makes are validated and
// stored in the FHIR resource store like any other resource.

#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ingest_files.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/genomics/vcf_importer.hpp"

namespace ptwin::app {
namespace {

// "CYP2C19 *1/*2 (Intermediate metabolizer)", "SLCO1B1 not called: <why>".
std::string describe(const ingest::genomics::GeneCall& call) {
  const auto symbol = call.gene == nullptr ? std::string_view("?") : call.gene->symbol;
  switch (call.status) {
    case ingest::genomics::GeneCallStatus::Called:
      return fmt::format("{} {} ({})", symbol, call.diplotype,
                         call.phenotype == nullptr ? "no phenotype" : call.phenotype->phenotype);
    case ingest::genomics::GeneCallStatus::Ambiguous:
      return fmt::format("{} ambiguous: {}", symbol, fmt::join(call.candidates, " or "));
    case ingest::genomics::GeneCallStatus::NotCalled: break;
  }
  return fmt::format("{} not called", symbol);
}

}  // namespace

FileImportResult import_vcf_file(const std::filesystem::path& file, IngestContext& context,
                                 const ImportProgress& progress) {
  if (context.patient_id.empty()) {
    throw InputError(ErrorCode::MissingField, "--patient", "",
                     fmt::format("is needed for {}: a VCF does not say whose genome it is",
                                 file.filename().string()));
  }
  ingest::genomics::VcfImportSettings settings;
  settings.patient_id = context.patient_id;
  const auto imported = ingest::genomics::import_vcf(
      file, settings, context.store, context.clock,
      [&](const ingest::genomics::VcfProgress& at) {
        progress(at.bytes_read, at.file_bytes > 0 ? at.file_bytes : at.bytes_read);
      });
  // The Observations through the validator into the resource store. A refusal here is a
  // mapping bug, but it is still kept with its reason rather than lost.
  std::ostringstream lines;
  for (const auto& observation : imported.observations) lines << observation.dump() << '\n';
  std::istringstream input(lines.str());
  const auto stored = context.fhir().importer->import_stream(
      input, fmt::format("{} observations", file.filename().string()),
      static_cast<std::uint64_t>(lines.str().size()), std::string("Observation"));
  const auto& counts = imported.counts;
  FileImportResult result;
  result.unit = "variant records";
  result.records = counts.records_read;
  result.accepted = counts.pgx_records_mapped;
  result.quarantined = counts.records_quarantined;
  result.skipped = counts.records_outside_catalogue;
  std::string genes;
  for (const auto& gene : imported.genes) {
    genes += fmt::format("{}{}", genes.empty() ? "" : "; ", describe(gene));
  }
  result.detail = fmt::format("sample {}, {} ({}); {} Observations stored, {} refused; {}",
                              imported.sample, to_string(imported.build), imported.build_source,
                              stored.accepted, stored.quarantined(), genes);
  return result;
}

}  // namespace ptwin::app
