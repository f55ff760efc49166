// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/genomics/genomics_observations.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include <fmt/format.h>

namespace ptwin::ingest::genomics {
namespace {

using nlohmann::json;

constexpr std::string_view kLoinc = "http://loinc.org";
// Code systems as the Genomics Reporting IG names them.
constexpr std::string_view kHgnc = "http://www.genenames.org/geneId";
constexpr std::string_view kDbSnp = "http://www.ncbi.nlm.nih.gov/projects/SNP";
constexpr std::string_view kRefSeq = "http://www.ncbi.nlm.nih.gov/refseq";
constexpr std::string_view kHgvs = "http://varnomen.hgvs.org";
constexpr std::string_view kRxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
constexpr std::string_view kTbdCodes =
    "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs";

// LOINC codes as the HL7 Genomics Reporting IG (STU3, hl7.fhir.uv.genomics-reporting) binds them
// in its Variant, Genotype and TherapeuticImplication profiles and uses them in its examples;
// displays are the LOINC short names:
//   69548-6 Genetic variant assessment          48018-6 Gene studied [ID]
//   62374-4 Human reference sequence assembly   48013-7 Genomic reference sequence [ID]
//   92822-6 Genomic coordinate system [Type]    81254-5 Genomic allele start-end
//   69547-8 Genomic ref allele [ID]             69551-0 Genomic alt allele [ID]
//   53034-5 Allelic state                       81290-9 Genomic DNA change (gHGVS)
//   81252-9 Discrete genetic variant            84413-4 Genotype display name
//   51963-7 Medication assessed [ID]            53040-2 Genetic variation's effect on drug
//                                                       metabolism
// Answers: LA9633-4 Present, LA6706-1 Heterozygous, LA6705-3 Homozygous, LA30102-0 1-based
// character counting, LA14029-5 GRCh37, LA26806-2 GRCh38 (the IG's reference-genome value
// set). "therapeutic-implication" and "conclusion-string" are codes of the IG's own
// tbd-codes-cs code system.

json coding(std::string_view system, std::string_view code, std::string_view display = {}) {
  json result{{"system", system}, {"code", code}};
  if (!display.empty()) result["display"] = display;
  return result;
}

json codeable(std::string_view system, std::string_view code, std::string_view display = {}) {
  return json{{"coding", json::array({coding(system, code, display)})}};
}

json component(std::string_view code, std::string_view display, const char* value_key,
               json value) {
  return json{{"code", codeable(kLoinc, code, display)}, {value_key, std::move(value)}};
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

json base_observation(std::string id, json code, const ObservationContext& context) {
  return json{
      {"resourceType", "Observation"},
      {"id", std::move(id)},
      {"status", "final"},
      {"category",
       json::array({codeable("http://terminology.hl7.org/CodeSystem/observation-category",
                            "laboratory", "Laboratory"),
                    codeable("http://terminology.hl7.org/CodeSystem/v2-0074", "GE",
                            "Genetics")})},
      {"code", std::move(code)},
      {"subject", {{"reference", fmt::format("Patient/{}", context.patient_id)}}},
      {"issued", time::format_iso8601(context.issued)},
  };
}

json gene_studied(const CatalogueGene& gene) {
  return component("48018-6", "Gene studied [ID]", "valueCodeableConcept",
                   codeable(kHgnc, gene.hgnc_id, gene.symbol));
}

json variant_observation(const CatalogueGene& gene, const SiteCall& site,
                         const ObservationContext& context) {
  const auto& variant = *site.variant;
  const auto position = variant.position(context.build);
  const auto accession = refseq_accession(variant.chromosome, context.build);
  const bool is_37 = context.build == ReferenceBuild::GRCh37;
  auto observation =
      base_observation(fmt::format("{}-{}", context.patient_id, variant.rsid),
                       codeable(kLoinc, "69548-6", "Genetic variant assessment"), context);
  observation["valueCodeableConcept"] = codeable(kLoinc, "LA9633-4", "Present");
  observation["component"] = json::array({
      gene_studied(gene),
      component("62374-4", "Human reference sequence assembly version", "valueCodeableConcept",
                codeable(kLoinc, is_37 ? "LA14029-5" : "LA26806-2", is_37 ? "GRCh37" : "GRCh38")),
      component("48013-7", "Genomic reference sequence [ID]", "valueCodeableConcept",
                codeable(kRefSeq, accession)),
      component("92822-6", "Genomic coordinate system [Type]", "valueCodeableConcept",
                codeable(kLoinc, "LA30102-0", "1-based character counting")),
      component("81254-5", "Genomic allele start-end", "valueRange",
                json{{"low", {{"value", position}}}, {"high", {{"value", position}}}}),
      component("69547-8", "Genomic ref allele [ID]", "valueString",
                std::string(1, variant.reference)),
      component("69551-0", "Genomic alt allele [ID]", "valueString",
                std::string(1, variant.alternate)),
      component("53034-5", "Allelic state", "valueCodeableConcept",
                site.variant_count() == 2 ? codeable(kLoinc, "LA6705-3", "Homozygous")
                                          : codeable(kLoinc, "LA6706-1", "Heterozygous")),
      component("81290-9", "Genomic DNA change (gHGVS)", "valueCodeableConcept",
                codeable(kHgvs, fmt::format("{}:g.{}{}>{}", accession, position,
                                           variant.reference, variant.alternate))),
      component("81252-9", "Discrete genetic variant", "valueCodeableConcept",
                codeable(kDbSnp, variant.rsid)),
  });
  observation["note"] = json::array({json{
      {"text", fmt::format("{} {} {}{}; read from VCF line {}", gene.symbol, variant.gene_change,
                           variant.allele.empty() ? "" : "defining ",
                           variant.allele.empty() ? std::string()
                                                  : fmt::format("{}{}", gene.symbol, variant.allele),
                           site.line)}}});
  return observation;
}

std::string genotype_text(const GeneCall& call) {
  if (call.gene->model == GeneModel::SingleVariant) {
    return fmt::format("{} {} {}", call.gene->symbol, call.sites.front().variant->rsid,
                       call.diplotype);
  }
  return fmt::format("{} {}", call.gene->symbol, call.diplotype);
}

json genotype_observation(const GeneCall& call, const std::vector<std::string>& variant_ids,
                          const ObservationContext& context) {
  auto observation = base_observation(
      fmt::format("{}-{}-genotype", context.patient_id, lower(call.gene->symbol)),
      codeable(kLoinc, "84413-4", "Genotype display name"), context);
  observation["valueCodeableConcept"] = json{{"text", genotype_text(call)}};
  observation["component"] = json::array({gene_studied(*call.gene)});
  if (!variant_ids.empty()) {
    observation["derivedFrom"] = json::array();
    for (const auto& id : variant_ids) {
      observation["derivedFrom"].push_back({{"reference", fmt::format("Observation/{}", id)}});
    }
  }
  std::string assumed;
  for (const auto& site : call.sites) {
    if (!site.is_assumed_reference) continue;
    if (!assumed.empty()) assumed.append(", ");
    assumed.append(site.variant->rsid);
  }
  if (!assumed.empty()) {
    observation["note"] = json::array({json{
        {"text", fmt::format("{} absent from the VCF and assumed homozygous reference "
                             "(policy assume-reference)",
                             assumed)}}});
  }
  return observation;
}

json implication_observation(const GeneCall& call, const std::string& genotype_id,
                             const ObservationContext& context) {
  const auto& gene = *call.gene;
  const auto& row = *call.phenotype;
  auto observation = base_observation(
      fmt::format("{}-{}-{}", context.patient_id, lower(gene.symbol), lower(gene.drug)),
      codeable(kTbdCodes, "therapeutic-implication", "Therapeutic Implication"), context);
  observation["derivedFrom"] =
      json::array({{{"reference", fmt::format("Observation/{}", genotype_id)}}});
  auto components = json::array({component("51963-7", "Medication assessed [ID]",
                                            "valueCodeableConcept",
                                            codeable(kRxNorm, gene.rxnorm, gene.drug))});
  if (!row.metabolizer_answer.empty()) {
    components.push_back(component("53040-2", "Genetic variation's effect on drug metabolism",
                                   "valueCodeableConcept",
                                   codeable(kLoinc, row.metabolizer_answer, row.phenotype)));
  }
  components.push_back(json{
      {"code", codeable(kTbdCodes, "conclusion-string", "Conclusion string")},
      {"valueString", fmt::format("{} ({}): {} Source: {}, {}.", row.phenotype, genotype_text(call),
                                  row.implication, gene.guideline, gene.guideline_url)}});
  observation["component"] = std::move(components);
  return observation;
}

}  // namespace

std::vector<json> genomics_observations(std::span<const GeneCall> genes,
                                        const ObservationContext& context) {
  std::vector<json> observations;
  for (const auto& call : genes) {
    if (call.status != GeneCallStatus::Called) continue;
    std::vector<std::string> variant_ids;
    for (const auto& site : call.sites) {
      if (site.variant_count() == 0) continue;
      observations.push_back(variant_observation(*call.gene, site, context));
      variant_ids.push_back(observations.back()["id"].get<std::string>());
    }
    observations.push_back(genotype_observation(call, variant_ids, context));
    const auto genotype_id = observations.back()["id"].get<std::string>();
    observations.push_back(implication_observation(call, genotype_id, context));
  }
  return observations;
}

}  // namespace ptwin::ingest::genomics
