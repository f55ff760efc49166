// SPDX-License-Identifier: Apache-2.0
#pragma once
// What import_vcf needs to know besides the file, and the policies it applies to calls that
// are there but not good enough (docs/genomics.md#policies).

#include <cstdint>
#include <optional>
#include <string>

#include "ptwin/ingest/genomics/reference_build.hpp"

namespace ptwin::ingest::genomics {

/// What a catalogue position absent from the file means. Many VCFs list only the sites where
/// the sample differs from the reference, so absence may mean "reference" or "not covered";
/// the file cannot say which.
enum class AbsentSitePolicy {
  NotCalled,        // the gene is not called, naming the absent positions (default)
  AssumeReference,  // homozygous reference; the genotype Observation says so in a note
};

struct VcfImportSettings {
  /// FHIR Patient id the Observations are about ("synthetic-001" -> "Patient/synthetic-001"),
  /// at most 40 characters (the Observation ids derived from it must fit in 64).
  std::string patient_id;
  /// The sample column to read; required when the file has more than one.
  std::optional<std::string> sample;
  /// The reference build; without it, the header must name one. With it, header lines naming
  /// another build are an error.
  std::optional<ReferenceBuild> assembly;
  /// Minimum FORMAT/GQ (Phred) and FORMAT/DP (reads) of a call at a catalogue position;
  /// nullopt: not checked. A call below, or without the field, is not used (quarantined).
  std::optional<std::int32_t> min_genotype_quality = 20;
  std::optional<std::int32_t> min_read_depth = 10;
  /// FILTER must be PASS; with this set, "." (no filters applied) is accepted too.
  bool accept_unfiltered = false;
  AbsentSitePolicy absent_sites = AbsentSitePolicy::NotCalled;
  /// The progress callback is called after every this many records (and at the end).
  std::int64_t progress_every_records = 10000;
  /// Prefix of the quarantine source, followed by "<file name>:<line>".
  std::string source_prefix = "vcf:";
};

/// Throws InputError naming the field when a setting cannot work (empty or non-FHIR-id
/// patient_id, negative thresholds, progress interval < 1).
void validate(const VcfImportSettings& settings);

}  // namespace ptwin::ingest::genomics
