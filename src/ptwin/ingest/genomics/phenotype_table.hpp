// SPDX-License-Identifier: Apache-2.0
#pragma once
// Diplotype (or genotype) -> phenotype -> drug implication, one row per combination the
// catalogue can call, transcribed from the CPIC guidelines cited in phenotype_table.cpp.

#include <span>
#include <string_view>

namespace ptwin::ingest::genomics {

struct PhenotypeRow {
  std::string_view gene;       // "CYP2C19"
  std::string_view diplotype;  // "*1/*2"; for single-variant genes the plus-strand genotype "C/T"
  std::string_view phenotype;  // CPIC term, e.g. "Intermediate metabolizer"
  /// LOINC answer for the phenotype in LL3856-3 (used by the Genomics Reporting IG for
  /// "Genetic variation's effect on drug metabolism", 53040-2); empty where the phenotype is
  /// not a metabolizer status (transporter function, drug sensitivity).
  std::string_view metabolizer_answer;
  std::string_view implication;  // what the guideline says it means for the drug
};

[[nodiscard]] std::span<const PhenotypeRow> phenotype_rows();

/// The row of `gene` and `diplotype`; nullptr when there is none.
[[nodiscard]] const PhenotypeRow* find_phenotype(std::string_view gene, std::string_view diplotype);

}  // namespace ptwin::ingest::genomics
