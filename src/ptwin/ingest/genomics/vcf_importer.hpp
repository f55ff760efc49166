// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reads a VCF or BCF with htslib and turns the sample's calls at the PGx catalogue positions
// into gene calls and FHIR R5 Observations (docs/genomics.md). Every record is accounted for:
//   records_read == pgx_records_mapped + records_outside_catalogue + records_quarantined
// A record is quarantined (raw bytes, "vcf:<file>:<line>", the reason) when it is malformed,
// or when it sits at a catalogue position but cannot be used: no-call, FILTER not PASS, GQ/DP
// below the thresholds or absent, a REF or allele the catalogue does not expect, a duplicate.
// Problems of the whole file (unreadable, bad header, unknown or contradictory build, sample
// not found) throw InputError before any record is read; a file that breaks off part-way
// throws after quarantining what was read before.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/genomics/gene_call.hpp"
#include "ptwin/ingest/genomics/import_settings.hpp"
#include "ptwin/ingest/genomics/reference_build.hpp"
#include "ptwin/store/store.hpp"

namespace ptwin::ingest::genomics {

struct VcfProgress {
  std::int64_t records_read = 0;
  std::int64_t bytes_read = 0;  // of the file as stored (compressed bytes for .vcf.gz/.bcf)
  std::int64_t file_bytes = 0;  // size of the file; 0 when unknown (a pipe)
};

/// Called on the importing thread every VcfImportSettings::progress_every_records records and
/// once at the end. May throw to abandon the import (the exception propagates).
using ProgressCallback = std::function<void(const VcfProgress&)>;

struct VcfImportCounts {
  std::int64_t records_read = 0;
  std::int64_t pgx_records_mapped = 0;         // used for a gene call
  std::int64_t records_outside_catalogue = 0;  // well-formed, not a catalogue position: skipped
  std::int64_t records_quarantined = 0;        // the sum of the six reasons below
  std::int64_t malformed = 0;
  std::int64_t no_calls = 0;           // GT missing, or with a missing allele ("./.", "0/.")
  std::int64_t filtered = 0;           // FILTER not PASS (or "." unless accepted)
  std::int64_t low_quality = 0;        // GQ or DP below the threshold, or absent
  std::int64_t unexpected_alleles = 0; // REF differs from the catalogue, other ALT called, haploid
  std::int64_t duplicates = 0;         // a second record for one catalogue position
  std::int64_t bytes_read = 0;
  friend bool operator==(const VcfImportCounts&, const VcfImportCounts&) = default;
};

struct VcfImportResult {
  VcfImportCounts counts;
  ReferenceBuild build = ReferenceBuild::GRCh38;
  std::string build_source;  // the header line that named it, or "configured"
  std::string sample;        // the sample column read
  std::vector<GeneCall> genes;  // one per catalogue gene, in catalogue order
  std::vector<nlohmann::json> observations;  // FHIR R5 (genomics_observations.hpp)
};

/// Imports `file`. Rejected records go to `store.quarantine()` stamped with `clock.now()`,
/// which also stamps Observation.issued. Throws InputError for settings (validate) and
/// whole-file problems; what the store throws propagates. Not thread-safe with other htslib
/// users in the process while it runs (htslib's log level is process-wide, see VcfFile).
[[nodiscard]] VcfImportResult import_vcf(const std::filesystem::path& file,
                                         const VcfImportSettings& settings, store::Store& store,
                                         const time::Clock& clock,
                                         const ProgressCallback& progress = {});

}  // namespace ptwin::ingest::genomics
