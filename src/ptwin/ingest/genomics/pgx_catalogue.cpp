// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/genomics/pgx_catalogue.hpp"

#include <algorithm>
#include <array>

namespace ptwin::ingest::genomics {
namespace {

// Genes, with HGNC ids (genenames.org) and RxNorm ingredient RxCUIs of the drug.
constexpr std::array kGenes{
    // Lee CR et al. CPIC guideline for CYP2C19 genotype and clopidogrel therapy: 2022 update.
    // Clin Pharmacol Ther 2022;112(5):959-967. doi:10.1002/cpt.2526
    CatalogueGene{"CYP2C19", "HGNC:2621", GeneModel::StarAlleles, "clopidogrel", "32968",
                  "CPIC clopidogrel/CYP2C19 2022 (doi:10.1002/cpt.2526)",
                  "https://cpicpgx.org/guidelines/guideline-for-clopidogrel-and-cyp2c19/"},
    // Johnson JA et al. CPIC guideline for pharmacogenetics-guided warfarin dosing: 2017 update.
    // Clin Pharmacol Ther 2017;102(3):397-404. doi:10.1002/cpt.668
    CatalogueGene{"CYP2C9", "HGNC:2623", GeneModel::StarAlleles, "warfarin", "11289",
                  "CPIC warfarin 2017 (doi:10.1002/cpt.668)",
                  "https://cpicpgx.org/guidelines/guideline-for-warfarin-and-cyp2c9-and-vkorc1/"},
    CatalogueGene{"VKORC1", "HGNC:23663", GeneModel::SingleVariant, "warfarin", "11289",
                  "CPIC warfarin 2017 (doi:10.1002/cpt.668)",
                  "https://cpicpgx.org/guidelines/guideline-for-warfarin-and-cyp2c9-and-vkorc1/"},
    // Cooper-DeHoff RM et al. CPIC guideline for SLCO1B1, ABCG2 and CYP2C9 genotypes and
    // statin-associated musculoskeletal symptoms. Clin Pharmacol Ther 2022;111(5):1007-1021.
    // doi:10.1002/cpt.2557. Simvastatin is the statin whose recommendation depends most on it.
    CatalogueGene{"SLCO1B1", "HGNC:10959", GeneModel::SingleVariant, "simvastatin", "36567",
                  "CPIC statins 2022 (doi:10.1002/cpt.2557)",
                  "https://cpicpgx.org/guidelines/cpic-guideline-for-statins/"},
};

// Positions: dbSNP (GRCh37.p13 and GRCh38.p14 placements), 1-based; bases on the plus strand.
// The GRCh37-GRCh38 offset is the same for every chr10 entry (1,759,757 bp), as it must be
// within one aligned block. Allele definitions: PharmVar (CYP2C19, CYP2C9); the guideline for
// VKORC1 -1639G>A and SLCO1B1 c.521T>C.
constexpr std::array kVariants{
    // CYP2C19*2: c.681G>A, splicing defect, no function.
    CatalogueVariant{"CYP2C19", "rs4244285", "*2", "10", 96541616, 94781859, 'G', 'A',
                     "c.681G>A"},
    // CYP2C19*3: c.636G>A, p.Trp212Ter, no function.
    CatalogueVariant{"CYP2C19", "rs4986893", "*3", "10", 96540410, 94780653, 'G', 'A',
                     "c.636G>A"},
    // CYP2C19*17: c.-806C>T, promoter, increased function.
    CatalogueVariant{"CYP2C19", "rs12248560", "*17", "10", 96521657, 94761900, 'C', 'T',
                     "c.-806C>T"},
    // CYP2C9*2: c.430C>T, p.Arg144Cys, decreased function.
    CatalogueVariant{"CYP2C9", "rs1799853", "*2", "10", 96702047, 94942290, 'C', 'T', "c.430C>T"},
    // CYP2C9*3: c.1075A>C, p.Ile359Leu, no function.
    CatalogueVariant{"CYP2C9", "rs1057910", "*3", "10", 96741053, 94981296, 'A', 'C',
                     "c.1075A>C"},
    // VKORC1 c.-1639G>A (gene on the minus strand: C>T on the plus strand).
    CatalogueVariant{"VKORC1", "rs9923231", "", "16", 31107689, 31096368, 'C', 'T',
                     "c.-1639G>A"},
    // SLCO1B1 c.521T>C, p.Val174Ala (defines *5, also on *15 and others).
    CatalogueVariant{"SLCO1B1", "rs4149056", "", "12", 21331549, 21178615, 'T', 'C',
                     "c.521T>C"},
};

struct RefSeqChromosome {
  std::string_view chromosome;
  std::string_view grch37;
  std::string_view grch38;
};

// NCBI RefSeq chromosome accessions of the two assemblies.
constexpr std::array kRefSeq{
    RefSeqChromosome{"10", "NC_000010.10", "NC_000010.11"},
    RefSeqChromosome{"12", "NC_000012.11", "NC_000012.12"},
    RefSeqChromosome{"16", "NC_000016.9", "NC_000016.10"},
};

std::string_view without_chr(std::string_view chromosome) {
  if (chromosome.substr(0, 3) == "chr") chromosome.remove_prefix(3);
  return chromosome;
}

}  // namespace

std::span<const CatalogueGene> catalogue_genes() { return kGenes; }
std::span<const CatalogueVariant> catalogue_variants() { return kVariants; }

const CatalogueGene* find_gene(std::string_view symbol) {
  const auto* found = std::find_if(kGenes.begin(), kGenes.end(),
                                   [&](const auto& gene) { return gene.symbol == symbol; });
  return found == kGenes.end() ? nullptr : &*found;
}

const CatalogueVariant* find_variant(std::string_view chromosome, std::int64_t position,
                                     ReferenceBuild build) {
  const auto name = without_chr(chromosome);
  for (const auto& variant : kVariants) {
    if (variant.position(build) == position && variant.chromosome == name) return &variant;
  }
  return nullptr;
}

std::string_view refseq_accession(std::string_view chromosome, ReferenceBuild build) {
  const auto name = without_chr(chromosome);
  for (const auto& entry : kRefSeq) {
    if (entry.chromosome == name) {
      return build == ReferenceBuild::GRCh37 ? entry.grch37 : entry.grch38;
    }
  }
  return {};
}

}  // namespace ptwin::ingest::genomics
