// SPDX-License-Identifier: Apache-2.0
// Every Observation the genomics import emits is a valid FHIR R5 resource for ptwin's own
// validator (base R5 definitions, .cache/fhir), carries the Genomics Reporting IG codes, and
// its derivedFrom links resolve to the other emitted resources.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "genomics_test_support.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"
#include "ptwin/ingest/genomics/vcf_importer.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace ptwin::ingest::genomics {
namespace {

using nlohmann::json;

const fhir::definitions::Definitions& core() {
  static const auto definitions =
      fhir::definitions::Definitions::open(std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  return *definitions;
}

std::string describe(const fhir::validation::ValidationResult& result) {
  std::string text;
  for (const auto& issue : result.issues) {
    text += fmt::format("{} {}: {}\n", fhir::validation::to_code(issue.severity), issue.expression,
                        issue.diagnostics);
  }
  return text;
}

const json* component(const json& observation, std::string_view code) {
  if (!observation.contains("component")) return nullptr;
  for (const auto& entry : observation.at("component")) {
    if (entry["code"]["coding"][0]["code"] == code) return &entry;
  }
  return nullptr;
}

class GenomicsFhirTest : public ::testing::TestWithParam<ReferenceBuild> {
 protected:
  test_support::TempDir dir_;
  store::SqliteStore store_{":memory:"};
  time::ManualClock clock_{time::parse_iso8601("2026-11-20T09:00:00Z")};
};

TEST_P(GenomicsFhirTest, EveryObservationIsValidR5AndLinked) {
  const auto build = GetParam();
  const auto text = test_support::single_sample_vcf(
      build, {{"rs4244285", "0/1"}, {"rs1057910", "0/1"}, {"rs9923231", "1/1"},
              {"rs4149056", "0/1"}});
  VcfImportSettings settings;
  settings.patient_id = "synthetic-001";
  const auto result = import_vcf(dir_.write("all.vcf", text), settings, store_, clock_);
  // 4 carried variants, 4 genotypes, 4 implications.
  ASSERT_EQ(result.observations.size(), 12U);
  const fhir::validation::Validator validator(core());
  std::map<std::string, const json*> by_id;
  for (const auto& observation : result.observations) {
    const auto id = observation["id"].get<std::string>();
    SCOPED_TRACE(id);
    const auto validation = validator.validate(observation);
    EXPECT_TRUE(validation.is_valid()) << describe(validation) << observation.dump(2);
    EXPECT_EQ(observation["subject"]["reference"], "Patient/synthetic-001");
    EXPECT_EQ(observation["issued"], "2026-11-20T09:00:00Z");
    EXPECT_TRUE(by_id.emplace(id, &observation).second) << "duplicate id";
  }
  for (const auto& [id, observation] : by_id) {
    for (const auto& link : observation->value("derivedFrom", json::array())) {
      const auto target = link["reference"].get<std::string>().substr(12);  // "Observation/"
      EXPECT_EQ(by_id.count(target), 1U) << id << " -> " << target;
    }
  }
  const auto& variant = *by_id.at("synthetic-001-rs4244285");
  EXPECT_EQ(variant["code"]["coding"][0]["code"], "69548-6");
  EXPECT_EQ((*component(variant, "48018-6"))["valueCodeableConcept"]["coding"][0]["code"],
            "HGNC:2621");
  EXPECT_EQ((*component(variant, "53034-5"))["valueCodeableConcept"]["coding"][0]["code"],
            "LA6706-1");  // heterozygous
  EXPECT_EQ((*component(variant, "81252-9"))["valueCodeableConcept"]["coding"][0]["code"],
            "rs4244285");
  const auto position = test_support::variant("rs4244285").position(build);
  EXPECT_EQ((*component(variant, "81254-5"))["valueRange"]["low"]["value"], position);
  EXPECT_EQ((*component(variant, "81290-9"))["valueCodeableConcept"]["coding"][0]["code"],
            fmt::format("{}:g.{}G>A", build == ReferenceBuild::GRCh37 ? "NC_000010.10"
                                                                      : "NC_000010.11",
                        position));
  EXPECT_EQ((*component(*by_id.at("synthetic-001-rs9923231"), "53034-5"))
                ["valueCodeableConcept"]["coding"][0]["code"],
            "LA6705-3");  // homozygous

  const auto& genotype = *by_id.at("synthetic-001-cyp2c19-genotype");
  EXPECT_EQ(genotype["code"]["coding"][0]["code"], "84413-4");
  EXPECT_EQ(genotype["valueCodeableConcept"]["text"], "CYP2C19 *1/*2");
  EXPECT_EQ(genotype["derivedFrom"][0]["reference"], "Observation/synthetic-001-rs4244285");

  const auto& implication = *by_id.at("synthetic-001-cyp2c19-clopidogrel");
  EXPECT_EQ(implication["code"]["coding"][0]["code"], "therapeutic-implication");
  EXPECT_EQ(implication["derivedFrom"][0]["reference"],
            "Observation/synthetic-001-cyp2c19-genotype");
  EXPECT_EQ((*component(implication, "51963-7"))["valueCodeableConcept"]["coding"][0]["code"],
            "32968");  // RxNorm clopidogrel
  EXPECT_EQ((*component(implication, "53040-2"))["valueCodeableConcept"]["coding"][0]["code"],
            "LA10317-8");  // intermediate metabolizer
  EXPECT_EQ(by_id.at("synthetic-001-slco1b1-simvastatin")
                ->at("component")[1]["valueString"]
                .get<std::string>()
                .substr(0, 18),
            "Decreased function");
  EXPECT_EQ(by_id.at("synthetic-001-cyp2c9-genotype")->at("valueCodeableConcept")["text"],
            "CYP2C9 *1/*3");
  EXPECT_EQ(by_id.at("synthetic-001-vkorc1-genotype")->at("valueCodeableConcept")["text"],
            "VKORC1 rs9923231 T/T");
}

INSTANTIATE_TEST_SUITE_P(BothBuilds, GenomicsFhirTest,
                         ::testing::Values(ReferenceBuild::GRCh37, ReferenceBuild::GRCh38),
                         [](const auto& build) { return std::string(to_string(build.param)); });

}  // namespace
}  // namespace ptwin::ingest::genomics
