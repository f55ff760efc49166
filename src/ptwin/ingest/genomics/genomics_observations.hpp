// SPDX-License-Identifier: Apache-2.0
#pragma once
// FHIR R5 Observations for gene calls, following the HL7 Genomics Reporting IG (STU3) patterns
// (docs/genomics.md#fhir): a variant Observation (LOINC 69548-6) per carried catalogue
// variant, a genotype Observation (84413-4) per called gene, derived from its variants, and a
// therapeutic-implication Observation per called gene and drug, derived from the genotype.
// Resources are checked against the base R5 definitions; IG profiles are not claimed in
// meta.profile because ptwin does not validate against them.

#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/core/time.hpp"
#include "ptwin/ingest/genomics/gene_call.hpp"
#include "ptwin/ingest/genomics/reference_build.hpp"

namespace ptwin::ingest::genomics {

struct ObservationContext {
  std::string patient_id;  // FHIR id; subject is Patient/<patient_id>
  ReferenceBuild build = ReferenceBuild::GRCh38;
  time::Instant issued{};  // when the result was made available (Observation.issued)
};

/// Ids are "<patient_id>-<rsid>", "<patient_id>-<gene>-genotype" and
/// "<patient_id>-<gene>-<drug>" (lower case), so that a re-import updates the same resources.
/// Genes not Called produce nothing (their GeneCall says why).
[[nodiscard]] std::vector<nlohmann::json> genomics_observations(std::span<const GeneCall> genes,
                                                                const ObservationContext& context);

}  // namespace ptwin::ingest::genomics
