// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/genomics/gene_call.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>

#include <fmt/format.h>

namespace ptwin::ingest::genomics {
namespace {

// A haplotype as the set of catalogue variants (indices into the gene's sites) it carries.
using Haplotype = std::uint32_t;

// *1 carries none of the gene's variants; a haplotype with exactly one carries the allele that
// variant defines; more than one is no allele of the catalogue.
std::optional<std::string> allele_name(Haplotype haplotype, const std::vector<SiteCall>& sites) {
  if (haplotype == 0) return std::string("*1");
  if ((haplotype & (haplotype - 1)) != 0) return std::nullopt;
  for (std::size_t i = 0; i < sites.size(); ++i) {
    if (haplotype == (Haplotype{1} << i)) return std::string(sites[i].variant->allele);
  }
  return std::nullopt;
}

// Sort key of an allele: *1 first, then catalogue order; unknown haplotypes last.
std::size_t allele_rank(Haplotype haplotype) {
  if (haplotype == 0) return 0;
  if ((haplotype & (haplotype - 1)) != 0) return 64;
  std::size_t index = 0;
  while ((haplotype >> index) != 1) ++index;
  return index + 1;
}

std::string haplotype_label(Haplotype haplotype, const std::vector<SiteCall>& sites) {
  if (const auto name = allele_name(haplotype, sites)) return *name;
  std::string label = "[";
  for (std::size_t i = 0; i < sites.size(); ++i) {
    if ((haplotype & (Haplotype{1} << i)) == 0) continue;
    if (label.size() > 1) label.push_back('+');
    label.append(sites[i].variant->allele);
  }
  label.push_back(']');
  return label;
}

std::string diplotype_label(Haplotype first, Haplotype second, const std::vector<SiteCall>& sites) {
  if (allele_rank(second) < allele_rank(first)) std::swap(first, second);
  return fmt::format("{}/{}", haplotype_label(first, sites), haplotype_label(second, sites));
}

std::string rsids_of(Haplotype haplotype, const std::vector<SiteCall>& sites) {
  std::string text;
  for (std::size_t i = 0; i < sites.size(); ++i) {
    if ((haplotype & (Haplotype{1} << i)) == 0) continue;
    if (!text.empty()) text.append(" and ");
    text.append(fmt::format("{} ({})", sites[i].variant->rsid, sites[i].variant->allele));
  }
  return text;
}

bool share_one_phase_set(const std::vector<SiteCall>& sites, const std::vector<std::size_t>& het) {
  for (const auto index : het) {
    if (!sites[index].is_phased || sites[index].phase_set != sites[het.front()].phase_set) {
      return false;
    }
  }
  return true;
}

void set_called(GeneCall& call, std::string diplotype) {
  call.phenotype = find_phenotype(call.gene->symbol, diplotype);
  if (call.phenotype == nullptr) {
    call.status = GeneCallStatus::NotCalled;
    call.reason = fmt::format("{} {} has no CPIC phenotype row", call.gene->symbol, diplotype);
    return;
  }
  call.status = GeneCallStatus::Called;
  call.diplotype = std::move(diplotype);
}

void call_star_alleles(GeneCall& call) {
  const auto& sites = call.sites;
  Haplotype both = 0;
  std::vector<std::size_t> het;
  for (std::size_t i = 0; i < sites.size(); ++i) {
    if (sites[i].variant_count() == 2) both |= Haplotype{1} << i;
    if (sites[i].variant_count() == 1) het.push_back(i);
  }
  // Assignments of heterozygous variants to haplotypes: fixed by the phase when known,
  // otherwise every split (the first variant on the first haplotype, by symmetry).
  std::vector<std::pair<Haplotype, Haplotype>> assignments;
  if (het.size() <= 1 || share_one_phase_set(sites, het)) {
    Haplotype first = both;
    Haplotype second = both;
    for (const auto index : het) {
      (sites[index].carries_variant[0] ? first : second) |= Haplotype{1} << index;
    }
    assignments.emplace_back(first, second);
  } else {
    for (std::uint32_t mask = 0; mask < (1U << (het.size() - 1)); ++mask) {
      Haplotype first = both | (Haplotype{1} << het.front());
      Haplotype second = both;
      for (std::size_t k = 1; k < het.size(); ++k) {
        ((mask >> (k - 1)) & 1U ? first : second) |= Haplotype{1} << het[k];
      }
      assignments.emplace_back(first, second);
    }
  }
  if (assignments.size() == 1) {
    const auto [first, second] = assignments.front();
    for (const auto haplotype : {first, second}) {
      if (!allele_name(haplotype, sites)) {
        call.status = GeneCallStatus::NotCalled;
        call.reason = fmt::format("one haplotype carries {} together, which no catalogued {} "
                                  "allele defines",
                                  rsids_of(haplotype, sites), call.gene->symbol);
        return;
      }
    }
    set_called(call, diplotype_label(first, second, sites));
    return;
  }
  std::set<std::string> labels;  // sorted, so that the list does not depend on file order
  for (const auto& [first, second] : assignments) {
    labels.insert(diplotype_label(first, second, sites));
  }
  call.candidates.assign(labels.begin(), labels.end());
  call.status = GeneCallStatus::Ambiguous;
  call.reason = fmt::format("{} heterozygous variants ({}) without a common phase: the "
                            "diplotype could be {}",
                            het.size(), rsids_of([&] {
                              Haplotype all = 0;
                              for (const auto index : het) all |= Haplotype{1} << index;
                              return all;
                            }(), sites),
                            fmt::join(call.candidates, " or "));
}

void call_single_variant(GeneCall& call) {
  const auto& site = call.sites.front();
  const char ref = site.variant->reference;
  const char alt = site.variant->alternate;
  const int count = site.variant_count();
  set_called(call, count == 0 ? fmt::format("{}/{}", ref, ref)
                   : count == 1 ? fmt::format("{}/{}", ref, alt)
                                : fmt::format("{}/{}", alt, alt));
}

}  // namespace

std::string_view to_string(GeneCallStatus status) {
  switch (status) {
    case GeneCallStatus::Called: return "called";
    case GeneCallStatus::Ambiguous: return "ambiguous";
    case GeneCallStatus::NotCalled: return "not-called";
  }
  return "not-called";
}

GeneCall call_gene(const CatalogueGene& gene, std::span<const SiteCall> sites,
                   std::span<const std::string> problems) {
  GeneCall call;
  call.gene = &gene;
  // Catalogue order, so that allele names and diplotypes come out the same whatever the file
  // order.
  for (const auto& variant : catalogue_variants()) {
    if (variant.gene != gene.symbol) continue;
    const auto found = std::find_if(sites.begin(), sites.end(),
                                    [&](const SiteCall& site) { return site.variant == &variant; });
    if (found != sites.end()) call.sites.push_back(*found);
  }
  if (!problems.empty()) {
    call.status = GeneCallStatus::NotCalled;
    call.reason = fmt::format("{}", fmt::join(problems, "; "));
    return call;
  }
  if (call.sites.empty()) {
    call.reason = "no catalogue position of the gene was read";
    return call;
  }
  if (gene.model == GeneModel::SingleVariant) {
    call_single_variant(call);
  } else {
    call_star_alleles(call);
  }
  return call;
}

}  // namespace ptwin::ingest::genomics
