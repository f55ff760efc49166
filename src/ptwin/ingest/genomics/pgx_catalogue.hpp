// SPDX-License-Identifier: Apache-2.0
#pragma once
// The pharmacogenomic (PGx) variants ptwin reads from a VCF: those of CPIC guidelines for
// cardiovascular drugs (docs/genomics.md#catalogue). Kept as data in pgx_catalogue.cpp, each
// entry with its source; adding a variant is adding a row there (and its phenotype rows in
// phenotype_tables.cpp).

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "ptwin/ingest/genomics/reference_build.hpp"

namespace ptwin::ingest::genomics {

/// How a gene's calls become a result: star-allele diplotypes (each variant defines one allele;
/// *1 carries none), or the genotype of one variant (the guideline uses the variant itself).
enum class GeneModel { StarAlleles, SingleVariant };

struct CatalogueGene {
  std::string_view symbol;       // HGNC symbol, e.g. "CYP2C19"
  std::string_view hgnc_id;      // "HGNC:2621"
  GeneModel model;
  std::string_view drug;         // the drug whose guideline uses the gene, e.g. "clopidogrel"
  std::string_view rxnorm;       // RxNorm ingredient RxCUI of the drug
  std::string_view guideline;    // citation of the CPIC guideline
  std::string_view guideline_url;
};

struct CatalogueVariant {
  std::string_view gene;         // CatalogueGene::symbol
  std::string_view rsid;         // dbSNP id
  std::string_view allele;       // star allele it defines ("*2"); empty for SingleVariant genes
  std::string_view chromosome;   // "10", without "chr"
  std::int64_t position_grch37;  // 1-based, as in VCF POS
  std::int64_t position_grch38;
  char reference;                // plus-strand reference base in both builds
  char alternate;                // plus-strand variant base
  std::string_view gene_change;  // legacy/gene-oriented name, e.g. "c.681G>A"

  [[nodiscard]] std::int64_t position(ReferenceBuild build) const {
    return build == ReferenceBuild::GRCh37 ? position_grch37 : position_grch38;
  }
};

[[nodiscard]] std::span<const CatalogueGene> catalogue_genes();
[[nodiscard]] std::span<const CatalogueVariant> catalogue_variants();

/// The gene with this symbol; nullptr when it is not in the catalogue.
[[nodiscard]] const CatalogueGene* find_gene(std::string_view symbol);

/// The variant at `chromosome` ("10" or "chr10") and 1-based `position` in `build`; nullptr
/// when none.
[[nodiscard]] const CatalogueVariant* find_variant(std::string_view chromosome,
                                                   std::int64_t position, ReferenceBuild build);

/// The RefSeq accession of `chromosome` in `build` (NC_000010.10 is chr10 of GRCh37,
/// NC_000010.11 of GRCh38), for genomic HGVS. Empty for a chromosome the catalogue does not use.
[[nodiscard]] std::string_view refseq_accession(std::string_view chromosome, ReferenceBuild build);

}  // namespace ptwin::ingest::genomics
