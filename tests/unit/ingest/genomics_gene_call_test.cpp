// SPDX-License-Identifier: Apache-2.0
// The PGx catalogue's internal consistency, and gene calls: every CPIC diplotype/phenotype row
// is reached from the genotypes that make its diplotype, CPIC's phenotype assignments for the
// alleles of the catalogue hold, and what cannot be called without guessing is not.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ptwin/ingest/genomics/gene_call.hpp"
#include "ptwin/ingest/genomics/pgx_catalogue.hpp"
#include "ptwin/ingest/genomics/phenotype_table.hpp"

namespace ptwin::ingest::genomics {
namespace {

std::vector<const CatalogueVariant*> variants_of(std::string_view gene) {
  std::vector<const CatalogueVariant*> result;
  for (const auto& variant : catalogue_variants()) {
    if (variant.gene == gene) result.push_back(&variant);
  }
  return result;
}

const CatalogueVariant* by_rsid(std::string_view rsid) {
  for (const auto& variant : catalogue_variants()) {
    if (variant.rsid == rsid) return &variant;
  }
  return nullptr;
}

SiteCall site(std::string_view rsid, bool first, bool second, bool is_phased = false,
              std::optional<std::int32_t> phase_set = std::nullopt) {
  SiteCall call;
  call.variant = by_rsid(rsid);
  call.carries_variant = {first, second};
  call.is_phased = is_phased;
  call.phase_set = phase_set;
  return call;
}

// The phased site calls that make `diplotype` ("*2/*17", or "C/T" for a single-variant gene).
std::vector<SiteCall> sites_for(const CatalogueGene& gene, std::string_view diplotype) {
  const auto slash = diplotype.find('/');
  const auto first = diplotype.substr(0, slash);
  const auto second = diplotype.substr(slash + 1);
  std::vector<SiteCall> sites;
  for (const auto* variant : variants_of(gene.symbol)) {
    SiteCall call;
    call.variant = variant;
    call.is_phased = true;
    if (gene.model == GeneModel::StarAlleles) {
      call.carries_variant = {first == variant->allele, second == variant->allele};
    } else {
      call.carries_variant = {first[0] == variant->alternate, second[0] == variant->alternate};
    }
    sites.push_back(call);
  }
  return sites;
}

TEST(PgxCatalogue, Grch37ToGrch38OffsetIsTheSameForEveryVariantOfAChromosome) {
  // Within one aligned block the two builds differ by a constant; a typo in one position
  // breaks it.
  std::map<std::string_view, std::int64_t> offsets;
  for (const auto& variant : catalogue_variants()) {
    const auto offset = variant.position_grch37 - variant.position_grch38;
    const auto [entry, is_new] = offsets.emplace(variant.chromosome, offset);
    EXPECT_EQ(entry->second, offset) << variant.rsid;
  }
  EXPECT_EQ(offsets.at("10"), 1759757);
}

TEST(PgxCatalogue, EveryVariantHasItsGeneAndAccessionAndIsFoundWithOrWithoutChr) {
  for (const auto& variant : catalogue_variants()) {
    SCOPED_TRACE(std::string(variant.rsid));
    ASSERT_NE(find_gene(variant.gene), nullptr);
    EXPECT_EQ(find_gene(variant.gene)->model == GeneModel::StarAlleles, !variant.allele.empty());
    for (const auto build : {ReferenceBuild::GRCh37, ReferenceBuild::GRCh38}) {
      EXPECT_FALSE(refseq_accession(variant.chromosome, build).empty());
      EXPECT_EQ(find_variant(variant.chromosome, variant.position(build), build), &variant);
      EXPECT_EQ(find_variant("chr" + std::string(variant.chromosome), variant.position(build),
                             build),
                &variant);
    }
    // The other build's position is not taken for this one.
    EXPECT_EQ(find_variant(variant.chromosome, variant.position_grch37, ReferenceBuild::GRCh38),
              nullptr);
  }
  EXPECT_EQ(refseq_accession("chr10", ReferenceBuild::GRCh38), "NC_000010.11");
  EXPECT_EQ(refseq_accession("10", ReferenceBuild::GRCh37), "NC_000010.10");
}

TEST(GeneCall, EveryPhenotypeRowIsCalledFromTheGenotypesOfItsDiplotype) {
  std::map<std::string_view, int> rows_per_gene;
  for (const auto& row : phenotype_rows()) {
    SCOPED_TRACE(fmt::format("{} {}", row.gene, row.diplotype));
    const auto* gene = find_gene(row.gene);
    ASSERT_NE(gene, nullptr);
    const auto sites = sites_for(*gene, row.diplotype);
    const auto call = call_gene(*gene, sites, {});
    ASSERT_EQ(call.status, GeneCallStatus::Called) << call.reason;
    EXPECT_EQ(call.diplotype, row.diplotype);
    EXPECT_EQ(call.phenotype, &row);
    ++rows_per_gene[row.gene];
  }
  // Every unordered pair of the catalogue's alleles has a row: n(n+1)/2 for n alleles
  // (*1 plus one per variant), 3 genotypes for a single-variant gene.
  for (const auto& gene : catalogue_genes()) {
    const auto n = static_cast<int>(variants_of(gene.symbol).size()) + 1;
    EXPECT_EQ(rows_per_gene[gene.symbol],
              gene.model == GeneModel::StarAlleles ? n * (n + 1) / 2 : 3)
        << gene.symbol;
  }
}

TEST(GeneCall, CpicPhenotypesOfTheCatalogueAlleles) {
  // CPIC clopidogrel 2022 (CYP2C19), CPIC CYP2C9 activity scores (warfarin 2017), CPIC
  // statins 2022 (SLCO1B1 rs4149056).
  const std::map<std::pair<std::string, std::string>, std::string> expected{
      {{"CYP2C19", "*1/*1"}, "Normal metabolizer"},
      {{"CYP2C19", "*1/*2"}, "Intermediate metabolizer"},
      {{"CYP2C19", "*2/*17"}, "Intermediate metabolizer"},
      {{"CYP2C19", "*2/*3"}, "Poor metabolizer"},
      {{"CYP2C19", "*1/*17"}, "Rapid metabolizer"},
      {{"CYP2C19", "*17/*17"}, "Ultrarapid metabolizer"},
      {{"CYP2C9", "*1/*3"}, "Intermediate metabolizer"},
      {{"CYP2C9", "*2/*2"}, "Intermediate metabolizer"},
      {{"CYP2C9", "*2/*3"}, "Poor metabolizer"},
      {{"SLCO1B1", "T/C"}, "Decreased function"},
      {{"SLCO1B1", "C/C"}, "Poor function"},
  };
  for (const auto& [key, phenotype] : expected) {
    const auto* row = find_phenotype(key.first, key.second);
    ASSERT_NE(row, nullptr) << key.first << " " << key.second;
    EXPECT_EQ(row->phenotype, phenotype) << key.first << " " << key.second;
  }
}

TEST(GeneCall, UnphasedHeterozygousStarAllelesAreAmbiguousNotGuessed) {
  const auto& gene = *find_gene("CYP2C19");
  const std::vector<SiteCall> sites{site("rs4244285", true, false), site("rs4986893", false, false),
                                    site("rs12248560", false, true)};
  const auto call = call_gene(gene, sites, {});
  EXPECT_EQ(call.status, GeneCallStatus::Ambiguous);
  EXPECT_EQ(call.phenotype, nullptr);
  EXPECT_EQ(call.candidates, (std::vector<std::string>{"*1/[*2+*17]", "*2/*17"}));
  EXPECT_NE(call.reason.find("rs4244285"), std::string::npos) << call.reason;
  EXPECT_NE(call.reason.find("rs12248560"), std::string::npos) << call.reason;
}

TEST(GeneCall, PhasedInDifferentPhaseSetsIsStillAmbiguous) {
  const auto& gene = *find_gene("CYP2C9");
  const std::vector<SiteCall> sites{site("rs1799853", true, false, true, 100),
                                    site("rs1057910", false, true, true, 200)};
  EXPECT_EQ(call_gene(gene, sites, {}).status, GeneCallStatus::Ambiguous);
}

TEST(GeneCall, PhasedInTransIsCalledAndInCisIsNotACataloguedAllele) {
  const auto& gene = *find_gene("CYP2C9");
  const auto trans = call_gene(
      gene, std::vector{site("rs1799853", true, false, true), site("rs1057910", false, true, true)},
      {});
  ASSERT_EQ(trans.status, GeneCallStatus::Called) << trans.reason;
  EXPECT_EQ(trans.diplotype, "*2/*3");
  const auto cis = call_gene(
      gene, std::vector{site("rs1799853", true, false, true), site("rs1057910", true, false, true)},
      {});
  EXPECT_EQ(cis.status, GeneCallStatus::NotCalled);
  EXPECT_NE(cis.reason.find("rs1799853 (*2) and rs1057910 (*3)"), std::string::npos) << cis.reason;
}

TEST(GeneCall, HomozygousWithAnotherHeterozygousVariantIsNotCalled) {
  const auto& gene = *find_gene("CYP2C19");
  const auto call = call_gene(gene,
                              std::vector{site("rs4244285", true, true), site("rs4986893", false, false),
                                          site("rs12248560", true, false)},
                              {});
  EXPECT_EQ(call.status, GeneCallStatus::NotCalled);
  EXPECT_NE(call.reason.find("no catalogued CYP2C19 allele"), std::string::npos) << call.reason;
}

TEST(GeneCall, APositionWithoutAUsableCallLeavesTheGeneNotCalledWithTheReason) {
  const auto& gene = *find_gene("CYP2C19");
  const std::vector<std::string> problems{"rs4986893: no-call './.' at line 12"};
  const auto call = call_gene(
      gene, std::vector{site("rs4244285", true, false), site("rs12248560", false, false)}, problems);
  EXPECT_EQ(call.status, GeneCallStatus::NotCalled);
  EXPECT_EQ(call.reason, problems.front());
}

}  // namespace
}  // namespace ptwin::ingest::genomics
