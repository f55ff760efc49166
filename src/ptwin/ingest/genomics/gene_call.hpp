// SPDX-License-Identifier: Apache-2.0
#pragma once
// From the usable calls at a gene's catalogue positions to its diplotype and CPIC phenotype.
// Nothing is guessed: two heterozygous variants whose phase is unknown give every diplotype
// they could be (Ambiguous), and a haplotype carrying variants that no catalogued allele
// combines, or a position without a usable call, leave the gene NotCalled with the reason.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ptwin/ingest/genomics/pgx_catalogue.hpp"
#include "ptwin/ingest/genomics/phenotype_table.hpp"

namespace ptwin::ingest::genomics {

/// The genotype read at one catalogue position.
struct SiteCall {
  const CatalogueVariant* variant = nullptr;
  /// Whether each of the two GT alleles, in GT order, is the catalogue's variant base.
  std::array<bool, 2> carries_variant{false, false};
  bool is_phased = false;                    // GT written with '|'
  std::optional<std::int32_t> phase_set;     // FORMAT/PS; absent: the default phase set
  std::int64_t line = 0;                     // record (line) number in the file
  /// True when the position was absent from the file and AbsentSitePolicy::AssumeReference
  /// filled it in.
  bool is_assumed_reference = false;

  [[nodiscard]] int variant_count() const {
    return static_cast<int>(carries_variant[0]) + static_cast<int>(carries_variant[1]);
  }
};

enum class GeneCallStatus { Called, Ambiguous, NotCalled };

[[nodiscard]] std::string_view to_string(GeneCallStatus status);

struct GeneCall {
  const CatalogueGene* gene = nullptr;
  GeneCallStatus status = GeneCallStatus::NotCalled;
  std::string diplotype;                 // Called: "*1/*2", or "C/T" for single-variant genes
  const PhenotypeRow* phenotype = nullptr;  // Called: its row
  std::vector<std::string> candidates;   // Ambiguous: every diplotype the calls allow
  std::string reason;                    // Ambiguous / NotCalled: why, naming the variants
  std::vector<SiteCall> sites;           // the calls it was made from, catalogue order
};

/// Calls `gene` from `sites` (one per catalogue variant of the gene, in any order). `problems`
/// lists, for each catalogue position without a usable call, why (e.g. "rs4244285: no-call
/// './.' at line 12"); any problem makes the gene NotCalled. Phased heterozygous calls resolve
/// the diplotype only when they share one phase set (VCF v4.3 §1.6.2: phased genotypes without
/// PS belong to one phase set).
[[nodiscard]] GeneCall call_gene(const CatalogueGene& gene, std::span<const SiteCall> sites,
                                 std::span<const std::string> problems);

}  // namespace ptwin::ingest::genomics
