// SPDX-License-Identifier: Apache-2.0
// import_vcf on files written by the tests (plain, BGZF and BCF through htslib) with the
// quarantine in an in-memory SQLite store: formats, builds, chromosome names, samples,
// unusable calls, conservation of records, progress, and the shipped synthetic patient's VCF.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <htslib/hts_log.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "genomics_test_support.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/genomics/vcf_importer.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace ptwin::ingest::genomics {
namespace {

using test_support::catalogue_record;
using test_support::other_record;
using test_support::single_sample_vcf;
using test_support::TempDir;
using test_support::vcf_header;

class VcfImportTest : public ::testing::Test {
 protected:
  VcfImportResult import(const std::filesystem::path& file, VcfImportSettings settings = {}) {
    if (settings.patient_id.empty()) settings.patient_id = "p1";
    quarantined_before_ = store_.count_quarantined();
    return import_vcf(file, settings, store_, clock_);
  }
  static const GeneCall& gene(const VcfImportResult& result, std::string_view symbol) {
    for (const auto& call : result.genes) {
      if (call.gene->symbol == symbol) return call;
    }
    throw std::runtime_error("no gene " + std::string(symbol));
  }
  void expect_conservation(const VcfImportResult& result) const {
    const auto& c = result.counts;
    EXPECT_EQ(c.records_read, c.pgx_records_mapped + c.records_outside_catalogue +
                                  c.records_quarantined);
    EXPECT_EQ(c.records_quarantined, c.malformed + c.no_calls + c.filtered + c.low_quality +
                                         c.unexpected_alleles + c.duplicates);
    EXPECT_EQ(store_.count_quarantined() - quarantined_before_, c.records_quarantined);
  }
  // Lines of `text` by 1-based number (the quarantine must hold them byte for byte).
  static std::string line(const std::string& text, std::int64_t number) {
    std::istringstream lines(text);
    std::string current;
    for (std::int64_t i = 0; i < number; ++i) std::getline(lines, current);
    return current;
  }
  static std::int64_t line_of(const std::string& text, std::string_view needle) {
    std::istringstream lines(text);
    std::string current;
    for (std::int64_t number = 1; std::getline(lines, current); ++number) {
      if (current.find(needle) != std::string::npos) return number;
    }
    return 0;
  }

  TempDir dir_;
  std::int64_t quarantined_before_ = 0;
  store::SqliteStore store_{":memory:"};
  time::ManualClock clock_{time::parse_iso8601("2026-11-20T09:00:00Z")};
};

TEST_F(VcfImportTest, PlainBgzippedAndBcfFilesGiveTheSameCalls) {
  const auto text = single_sample_vcf(ReferenceBuild::GRCh38, {{"rs4244285", "0/1"}});
  std::vector<VcfImportResult> results;
  results.push_back(import(dir_.write("p.vcf", text)));
  results.push_back(import(dir_.write_bgzf("p.vcf.gz", text)));
  results.push_back(import(dir_.write_bcf("p.bcf", text)));
  for (const auto& result : results) {
    const auto& cyp2c19 = gene(result, "CYP2C19");
    ASSERT_EQ(cyp2c19.status, GeneCallStatus::Called) << cyp2c19.reason;
    EXPECT_EQ(cyp2c19.diplotype, "*1/*2");
    EXPECT_EQ(cyp2c19.phenotype->phenotype, "Intermediate metabolizer");
    EXPECT_EQ(gene(result, "CYP2C9").diplotype, "*1/*1");
    EXPECT_EQ(gene(result, "SLCO1B1").diplotype, "T/T");
    EXPECT_EQ(result.counts.records_read, 10);
    EXPECT_EQ(result.counts.pgx_records_mapped, 7);
    EXPECT_EQ(result.counts.records_outside_catalogue, 3);
    EXPECT_EQ(result.build, ReferenceBuild::GRCh38);
    EXPECT_EQ(result.build_source, "##reference=GRCh38");
    EXPECT_EQ(result.observations.size(), results.front().observations.size());
    expect_conservation(result);
  }
}

TEST_F(VcfImportTest, UnusableCallsAreQuarantinedWithBytesSourceAndReasonAndCounted) {
  std::string text = vcf_header(ReferenceBuild::GRCh38, {"S1"});
  text += other_record(1000, {"0/1:99:30"});
  text += "chr1\tabc\t.\tA\tG\t50\tPASS\tAC=1\tGT:GQ:DP\t0/1:99:30\n";  // malformed POS
  text += catalogue_record(ReferenceBuild::GRCh38, "rs4244285", {"0/1:99:30"});
  text += catalogue_record(ReferenceBuild::GRCh38, "rs4986893", {"./.:99:30"});       // no-call
  text += catalogue_record(ReferenceBuild::GRCh38, "rs12248560", {"0/0:99:30"}, "LowQual");
  text += catalogue_record(ReferenceBuild::GRCh38, "rs1799853", {"0/1:5:30"});        // low GQ
  text += catalogue_record(ReferenceBuild::GRCh38, "rs1057910", {"0/0:99:3"});        // low DP
  text += catalogue_record(ReferenceBuild::GRCh38, "rs9923231", {"0/1:99:30"});
  text += catalogue_record(ReferenceBuild::GRCh38, "rs4149056", {"1/1:99:30"});
  text += catalogue_record(ReferenceBuild::GRCh38, "rs4149056", {"0/1:99:30"});      // duplicate
  const auto file = dir_.write("mixed.vcf", text);
  const auto result = import(file);
  expect_conservation(result);
  const auto& c = result.counts;
  EXPECT_EQ(c.records_read, 10);
  EXPECT_EQ(c.records_outside_catalogue, 1);
  EXPECT_EQ(c.pgx_records_mapped, 3);
  EXPECT_EQ(c.malformed, 1);
  EXPECT_EQ(c.no_calls, 1);
  EXPECT_EQ(c.filtered, 1);
  EXPECT_EQ(c.low_quality, 2);
  EXPECT_EQ(c.duplicates, 1);

  const auto entries = store_.quarantined(std::string_view("vcf:"));
  ASSERT_EQ(entries.size(), 6U);
  const std::vector<std::pair<std::string, std::string>> expected{
      {"\tabc\t", "POS: 'abc'"},
      {"rs4986893", "GT: './.' is a no-call"},
      {"rs12248560", "FILTER: 'LowQual' is not PASS"},
      {"rs1799853", "FORMAT/GQ: '5' is below min_genotype_quality 20"},
      {"rs1057910", "FORMAT/DP: '3' is below min_read_depth 10"},
      {"1/1:99:30\n", ""}};
  for (std::size_t i = 0; i + 1 < expected.size(); ++i) {
    const auto& entry = entries[i].entry;
    const auto number = line_of(text, expected[i].first);
    EXPECT_EQ(entry.source, fmt::format("vcf:mixed.vcf:{}", number));
    EXPECT_EQ(entry.raw_bytes, line(text, number));
    EXPECT_NE(entry.reason.find(expected[i].second), std::string::npos) << entry.reason;
    EXPECT_EQ(entry.received_at, clock_.now());
  }
  const auto duplicate_line = static_cast<std::int64_t>(std::count(text.begin(), text.end(), '\n'));
  EXPECT_EQ(entries.back().entry.source, fmt::format("vcf:mixed.vcf:{}", duplicate_line));
  EXPECT_NE(entries.back().entry.reason.find("second record for rs4149056"), std::string::npos)
      << entries.back().entry.reason;

  EXPECT_EQ(gene(result, "CYP2C19").status, GeneCallStatus::NotCalled);
  EXPECT_NE(gene(result, "CYP2C19").reason.find("rs4986893"), std::string::npos);
  EXPECT_EQ(gene(result, "CYP2C9").status, GeneCallStatus::NotCalled);
  EXPECT_EQ(gene(result, "VKORC1").diplotype, "C/T");
  // The first of two records is not preferred: the gene is not called.
  EXPECT_EQ(gene(result, "SLCO1B1").status, GeneCallStatus::NotCalled);
}

TEST_F(VcfImportTest, Grch37FilesAreReadAtGrch37PositionsAndChrPrefixIsOptional) {
  std::string text = vcf_header(ReferenceBuild::GRCh37, {"S1"}, false);
  for (const auto& entry : catalogue_variants()) {
    const auto gt = entry.rsid == "rs1057910" ? "0/1" : "0/0";
    text += catalogue_record(ReferenceBuild::GRCh37, entry.rsid, {std::string(gt) + ":99:30"},
                             "PASS", "GT:GQ:DP", false);
  }
  const auto result = import(dir_.write("b37.vcf", text));
  EXPECT_EQ(result.build, ReferenceBuild::GRCh37);
  EXPECT_EQ(gene(result, "CYP2C9").diplotype, "*1/*3");
  EXPECT_EQ(result.counts.pgx_records_mapped, 7);
}

TEST_F(VcfImportTest, ABuildThatContradictsTheHeaderIsAnErrorNamingTheLine) {
  const auto file = dir_.write("b37.vcf", single_sample_vcf(ReferenceBuild::GRCh37, {}));
  VcfImportSettings settings;
  settings.patient_id = "p1";
  settings.assembly = ReferenceBuild::GRCh38;
  try {
    (void)import(file, settings);
    FAIL() << "accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.code(), ErrorCode::BadInput);
    EXPECT_NE(std::string(error.what()).find("'##reference=GRCh37' names GRCh37 but GRCh38 is "
                                             "configured"),
              std::string::npos)
        << error.what();
  }
  // ##reference says GRCh38, the chr10 contig length is GRCh37's.
  auto text = single_sample_vcf(ReferenceBuild::GRCh38, {});
  text.replace(text.find("133797422"), 9, "135534747");
  try {
    (void)import(dir_.write("mixed-build.vcf", text));
    FAIL() << "accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("##contig=<ID=chr10,length=135534747>"),
              std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("##reference=GRCh38"), std::string::npos);
  }
  EXPECT_EQ(store_.count_quarantined(), 0);
}

TEST_F(VcfImportTest, HtslibWritesNothingToStderrAndItsLogLevelIsRestored) {
  // vcf_parse warns on stderr about an undefined FORMAT tag and an undeclared contig.
  std::string text = vcf_header(ReferenceBuild::GRCh38, {"S1"});
  text += "chr1\t1000\t.\tA\tG\t50\tPASS\t.\tGT:XX\t0/1:7\n";
  text += catalogue_record(ReferenceBuild::GRCh38, "rs4244285", {"0/1:99:30"});
  const auto file = dir_.write("noisy.vcf", text);
  const auto captured = dir_.path() / "stderr.txt";
  const auto level = hts_get_log_level();
  std::fflush(stderr);
  const int saved = dup(STDERR_FILENO);
  const int sink = open(captured.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(sink, 0);
  dup2(sink, STDERR_FILENO);
  const auto result = import(file);
  std::fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(sink);
  close(saved);
  EXPECT_EQ(result.counts.malformed, 1);
  std::ifstream stream(captured);
  const std::string written((std::istreambuf_iterator<char>(stream)),
                            std::istreambuf_iterator<char>());
  EXPECT_EQ(written, "");
  EXPECT_EQ(hts_get_log_level(), level);
}

TEST_F(VcfImportTest, PhaseFromGtAndPsResolvesTwoHeterozygousVariants) {
  const auto file_with = [&](const std::string& star2, const std::string& star17) {
    std::string text = vcf_header(ReferenceBuild::GRCh38, {"S1"});
    text += catalogue_record(ReferenceBuild::GRCh38, "rs12248560", {star17}, "PASS", "GT:GQ:DP:PS");
    text += catalogue_record(ReferenceBuild::GRCh38, "rs4986893", {"0|0:99:30:100"}, "PASS",
                             "GT:GQ:DP:PS");
    text += catalogue_record(ReferenceBuild::GRCh38, "rs4244285", {star2}, "PASS", "GT:GQ:DP:PS");
    return dir_.write("phased.vcf", text);
  };
  VcfImportSettings settings;
  settings.patient_id = "p1";
  settings.absent_sites = AbsentSitePolicy::AssumeReference;
  const auto trans = import(file_with("1|0:99:30:100", "0|1:99:30:100"), settings);
  EXPECT_EQ(gene(trans, "CYP2C19").diplotype, "*2/*17");
  EXPECT_EQ(gene(trans, "CYP2C19").phenotype->phenotype, "Intermediate metabolizer");
  const auto cis = import(file_with("1|0:99:30:100", "1|0:99:30:100"), settings);
  EXPECT_EQ(gene(cis, "CYP2C19").status, GeneCallStatus::NotCalled);
  const auto other_set = import(file_with("1|0:99:30:100", "0|1:99:30:200"), settings);
  EXPECT_EQ(gene(other_set, "CYP2C19").status, GeneCallStatus::Ambiguous);
  const auto unphased = import(file_with("1/0:99:30:.", "0/1:99:30:."), settings);
  EXPECT_EQ(gene(unphased, "CYP2C19").status, GeneCallStatus::Ambiguous);
  EXPECT_EQ(gene(unphased, "CYP2C19").candidates,
            (std::vector<std::string>{"*1/[*2+*17]", "*2/*17"}));
}

TEST_F(VcfImportTest, AMissingFileIsAnIoErrorNamingIt) {
  try {
    (void)import(dir_.path() / "absent.vcf");
    FAIL() << "accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.code(), ErrorCode::Io);
    EXPECT_NE(std::string(error.what()).find("absent.vcf"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("cannot be opened"), std::string::npos);
  }
}

TEST_F(VcfImportTest, AHeaderWithoutABuildNeedsAConfiguredOne) {
  std::string text = "##fileformat=VCFv4.2\n"
                     "##INFO=<ID=AC,Number=A,Type=Integer,Description=\"Allele count\">\n"
                     "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
                     "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n";
  text += catalogue_record(ReferenceBuild::GRCh38, "rs4244285", {"1/1"}, "PASS", "GT");
  const auto file = dir_.write("nobuild.vcf", text);
  try {
    (void)import(file);
    FAIL() << "accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.code(), ErrorCode::MissingField);
    EXPECT_NE(std::string(error.what()).find("names no reference build"), std::string::npos);
  }
  VcfImportSettings settings;
  settings.patient_id = "p1";
  settings.assembly = ReferenceBuild::GRCh38;
  settings.min_genotype_quality = std::nullopt;
  settings.min_read_depth = std::nullopt;
  settings.absent_sites = AbsentSitePolicy::AssumeReference;
  const auto result = import(file, settings);
  EXPECT_EQ(result.build_source, "configured");
  const auto& cyp2c19 = gene(result, "CYP2C19");
  ASSERT_EQ(cyp2c19.status, GeneCallStatus::Called) << cyp2c19.reason;
  EXPECT_EQ(cyp2c19.diplotype, "*2/*2");
  EXPECT_EQ(cyp2c19.phenotype->phenotype, "Poor metabolizer");
}

TEST_F(VcfImportTest, AMultiSampleFileNeedsANamedSampleAndReadsOnlyThatOne) {
  std::string text = vcf_header(ReferenceBuild::GRCh38, {"NA1", "NA2", "NA3"});
  for (const auto& entry : catalogue_variants()) {
    const bool is_star2 = entry.rsid == "rs4244285";
    text += catalogue_record(ReferenceBuild::GRCh38, entry.rsid,
                             {"0/0:99:30", is_star2 ? "1/1:99:30" : "0/0:99:30", "./.:0:0"});
  }
  const auto file = dir_.write("trio.vcf", text);
  try {
    (void)import(file);
    FAIL() << "accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("the file has 3 samples (NA1, NA2, NA3)"),
              std::string::npos)
        << error.what();
  }
  VcfImportSettings settings;
  settings.patient_id = "p1";
  settings.sample = "NA9";
  try {
    (void)import(file, settings);
    FAIL() << "accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.code(), ErrorCode::NotFound);
    EXPECT_NE(std::string(error.what()).find("'NA9' is not a sample of the file; it has 3 "
                                             "(NA1, NA2, NA3)"),
              std::string::npos)
        << error.what();
  }
  settings.sample = "NA2";
  const auto second = import(file, settings);
  EXPECT_EQ(second.sample, "NA2");
  EXPECT_EQ(gene(second, "CYP2C19").diplotype, "*2/*2");
  settings.sample = "NA3";
  const auto third = import(file, settings);
  EXPECT_EQ(third.counts.no_calls, 7);
  expect_conservation(third);
  for (const auto& call : third.genes) EXPECT_EQ(call.status, GeneCallStatus::NotCalled);
  EXPECT_TRUE(third.observations.empty());
}

TEST_F(VcfImportTest, AbsentPositionsLeaveTheGeneUncalledUnlessReferenceIsAssumed) {
  std::string text = vcf_header(ReferenceBuild::GRCh38, {"S1"});
  text += catalogue_record(ReferenceBuild::GRCh38, "rs4244285", {"0/1:99:30"});
  const auto file = dir_.write("variants-only.vcf", text);
  const auto strict = import(file);
  EXPECT_EQ(gene(strict, "CYP2C19").status, GeneCallStatus::NotCalled);
  EXPECT_NE(gene(strict, "CYP2C19").reason.find("rs4986893 (10:94780653) is absent"),
            std::string::npos)
      << gene(strict, "CYP2C19").reason;
  EXPECT_TRUE(strict.observations.empty());
  VcfImportSettings settings;
  settings.patient_id = "p1";
  settings.absent_sites = AbsentSitePolicy::AssumeReference;
  const auto assumed = import(file, settings);
  EXPECT_EQ(gene(assumed, "CYP2C19").diplotype, "*1/*2");
  const auto genotype = std::find_if(assumed.observations.begin(), assumed.observations.end(),
                                     [](const auto& o) { return o["id"] == "p1-cyp2c19-genotype"; });
  ASSERT_NE(genotype, assumed.observations.end());
  EXPECT_NE(genotype->at("note")[0]["text"].get<std::string>().find(
                "rs4986893, rs12248560 absent from the VCF and assumed homozygous reference"),
            std::string::npos);
}

TEST_F(VcfImportTest, QualityThresholdsAndUnfilteredRecordsFollowTheSettings) {
  std::string text = vcf_header(ReferenceBuild::GRCh38, {"S1"});
  text += catalogue_record(ReferenceBuild::GRCh38, "rs4149056", {"0/1:15:12"});
  text += catalogue_record(ReferenceBuild::GRCh38, "rs9923231", {"0/1:99:30"}, ".");
  text += catalogue_record(ReferenceBuild::GRCh38, "rs1799853", {"0/1"}, "PASS", "GT");
  const auto file = dir_.write("thresholds.vcf", text);
  const auto strict = import(file);
  EXPECT_EQ(strict.counts.low_quality, 2);  // GQ 15 < 20; GQ absent
  EXPECT_EQ(strict.counts.filtered, 1);     // "." not accepted by default
  VcfImportSettings lenient;
  lenient.patient_id = "p1";
  lenient.min_genotype_quality = 10;
  lenient.min_read_depth = std::nullopt;
  lenient.accept_unfiltered = true;
  lenient.absent_sites = AbsentSitePolicy::AssumeReference;
  const auto result = import(file, lenient);
  EXPECT_EQ(result.counts.pgx_records_mapped, 2);
  EXPECT_EQ(result.counts.low_quality, 1);  // GQ still required (absent on rs1799853)
  EXPECT_EQ(gene(result, "SLCO1B1").diplotype, "T/C");
  EXPECT_EQ(gene(result, "VKORC1").diplotype, "C/T");
  expect_conservation(result);
}

TEST_F(VcfImportTest, ProgressReportsRecordsAndBytesAndEndsAtTheFileSize) {
  const auto text = single_sample_vcf(ReferenceBuild::GRCh38, {}, 20);
  const auto file = dir_.write("progress.vcf", text);
  VcfImportSettings settings;
  settings.patient_id = "p1";
  settings.progress_every_records = 4;
  std::vector<VcfProgress> reports;
  const auto result = import_vcf(file, settings, store_, clock_,
                                 [&](const VcfProgress& progress) { reports.push_back(progress); });
  ASSERT_EQ(reports.size(), 27U / 4U + 1U);
  for (std::size_t i = 0; i + 1 < reports.size(); ++i) {
    EXPECT_EQ(reports[i].records_read, static_cast<std::int64_t>(4 * (i + 1)));
    EXPECT_LE(reports[i].bytes_read, reports[i + 1].bytes_read);
  }
  EXPECT_EQ(reports.back().records_read, 27);
  EXPECT_EQ(reports.back().bytes_read, static_cast<std::int64_t>(text.size()));
  EXPECT_EQ(reports.back().file_bytes, static_cast<std::int64_t>(text.size()));
  EXPECT_EQ(result.counts.bytes_read, static_cast<std::int64_t>(text.size()));
}

TEST_F(VcfImportTest, TheShippedSyntheticPatientIsACyp2c19Star2Carrier) {
  const auto data = std::filesystem::path(PTWIN_SOURCE_DIR) / "data";
  std::ifstream bundle_file(data / "demo" / "patient_bundle.json");
  const auto bundle = nlohmann::json::parse(bundle_file);
  const auto patient_id = bundle["entry"][0]["resource"]["id"].get<std::string>();
  VcfImportSettings settings;
  settings.patient_id = patient_id;
  const auto result = import(data / "genomics" / "synthetic-001.vcf", settings);
  expect_conservation(result);
  EXPECT_EQ(result.counts.records_quarantined, 0);
  const auto& cyp2c19 = gene(result, "CYP2C19");
  ASSERT_EQ(cyp2c19.status, GeneCallStatus::Called) << cyp2c19.reason;
  EXPECT_EQ(cyp2c19.diplotype, "*1/*2");
  EXPECT_EQ(cyp2c19.phenotype->phenotype, "Intermediate metabolizer");
  for (const auto& observation : result.observations) {
    EXPECT_EQ(observation["subject"]["reference"], "Patient/" + patient_id);
  }
}

}  // namespace
}  // namespace ptwin::ingest::genomics
