// SPDX-License-Identifier: Apache-2.0
// VCF records/s of the genomics import (ingest/genomics: htslib reading, ptwin's record checks,
// the catalogue lookup, gene calls and the FHIR Observations) against htslib reading the same
// file with bcf_read and nothing else, in one run (docs/benchmarks.md#vcf_bench). The file is
// generated: one sample, GRCh38, PTWIN_VCF_BENCH_RECORDS records (default 100000) at increasing
// positions on chr1, with the seven PGx catalogue positions among them, written as plain VCF,
// BGZF-compressed VCF and BCF (the last two with htslib). In one run:
//   Vcf/bcf_read/<format>  baseline: hts_open, bcf_hdr_read, bcf_read of every record (with
//                          bcf_unpack of the FORMAT fields, so that the genotypes are decoded)
//   Vcf/import/<format>    import_vcf into an in-memory SQLite quarantine (nothing is
//                          quarantined: every catalogue call is usable)
// Counter: records/s (CPU time of the benchmark thread). After the table, main() prints
// import / bcf_read for each format.
#include <htslib/bgzf.h>
#include <htslib/hts.h>
#include <htslib/vcf.h>
#include <stdlib.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "ptwin/core/clock.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/ingest/genomics/pgx_catalogue.hpp"
#include "ptwin/ingest/genomics/vcf_importer.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "support/benchmark_main.hpp"
#include "support/rate_collector.hpp"
#include "support/ratio_output.hpp"

namespace {

namespace fs = std::filesystem;
namespace genomics = ptwin::ingest::genomics;

std::int64_t record_count() {
  const char* text = std::getenv("PTWIN_VCF_BENCH_RECORDS");
  if (text == nullptr) return 100000;
  const auto count = std::strtoll(text, nullptr, 10);
  if (count < 10) throw std::runtime_error("PTWIN_VCF_BENCH_RECORDS must be at least 10");
  return count;
}

std::string generate_vcf(std::int64_t records) {
  std::string text =
      "##fileformat=VCFv4.2\n##reference=GRCh38\n"
      "##contig=<ID=chr1,length=248956422>\n##contig=<ID=chr10,length=133797422>\n"
      "##contig=<ID=chr12,length=133275309>\n##contig=<ID=chr16,length=90338345>\n"
      "##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n"
      "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
      "##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"Genotype quality\">\n"
      "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth\">\n"
      "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n";
  std::mt19937 random(20261124);  // fixed seed: the same file every run
  constexpr std::array<std::string_view, 4> kBases{"A", "C", "G", "T"};
  constexpr std::array<std::string_view, 3> kGenotypes{"0/0", "0/1", "1/1"};
  const auto others = records - static_cast<std::int64_t>(genomics::catalogue_variants().size());
  std::int64_t position = 10000;
  for (std::int64_t i = 0; i < others; ++i) {
    position += 1 + static_cast<std::int64_t>(random() % 2000);
    const auto ref = random() % 4;
    const auto alt = (ref + 1 + random() % 3) % 4;
    text += fmt::format("chr1\t{}\t.\t{}\t{}\t{}\tPASS\tDP={}\tGT:GQ:DP\t{}:{}:{}\n", position,
                        kBases[ref], kBases[alt], 30 + random() % 60, 20 + random() % 40,
                        kGenotypes[random() % 3], 20 + random() % 79, 10 + random() % 50);
  }
  for (const auto& variant : genomics::catalogue_variants()) {
    text += fmt::format("chr{}\t{}\t{}\t{}\t{}\t60\tPASS\tDP=35\tGT:GQ:DP\t0/1:99:35\n",
                        variant.chromosome, variant.position(genomics::ReferenceBuild::GRCh38),
                        variant.rsid, variant.reference, variant.alternate);
  }
  return text;
}

// The generated files, written once per process into a temporary folder.
class Files {
 public:
  Files() : records_(record_count()) {
    std::string pattern = (fs::temp_directory_path() / "ptwin-vcf-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    folder_ = pattern;
    const auto text = generate_vcf(records_);
    std::ofstream(folder_ / "bench.vcf", std::ios::binary) << text;
    BGZF* out = bgzf_open((folder_ / "bench.vcf.gz").c_str(), "w");
    if (out == nullptr || bgzf_write(out, text.data(), text.size()) < 0 || bgzf_close(out) != 0) {
      throw std::runtime_error("cannot write bench.vcf.gz");
    }
    htsFile* in = hts_open((folder_ / "bench.vcf").c_str(), "r");
    htsFile* bcf_out = hts_open((folder_ / "bench.bcf").c_str(), "wb");
    bcf_hdr_t* header = bcf_hdr_read(in);
    if (bcf_hdr_write(bcf_out, header) != 0) throw std::runtime_error("cannot write bench.bcf");
    bcf1_t* record = bcf_init();
    while (bcf_read(in, header, record) == 0) {
      if (bcf_write(bcf_out, header, record) != 0) throw std::runtime_error("bcf_write failed");
    }
    bcf_destroy(record);
    bcf_hdr_destroy(header);
    (void)hts_close(in);
    if (hts_close(bcf_out) != 0) throw std::runtime_error("cannot close bench.bcf");
  }
  ~Files() {
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }
  Files(const Files&) = delete;
  Files& operator=(const Files&) = delete;
  [[nodiscard]] fs::path path(std::string_view format) const {
    return folder_ / fmt::format("bench.{}", format == "vcf.gz" ? "vcf.gz" : format);
  }
  [[nodiscard]] std::int64_t records() const { return records_; }

 private:
  std::int64_t records_;
  fs::path folder_;
};

const Files& files() {
  static const Files instance;
  return instance;
}

constexpr std::array<std::string_view, 3> kFormats{"vcf", "vcf.gz", "bcf"};

void set_rate(benchmark::State& state, std::int64_t records) {
  state.SetItemsProcessed(state.iterations() * records);
  state.counters["records/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * records),
                         benchmark::Counter::kIsRate);
}

void bcf_read_all(benchmark::State& state, std::string_view format) {
  const auto path = files().path(format);
  std::int64_t records = 0;
  for (auto _ : state) {
    htsFile* in = hts_open(path.c_str(), "r");
    bcf_hdr_t* header = bcf_hdr_read(in);
    bcf1_t* record = bcf_init();
    records = 0;
    while (bcf_read(in, header, record) == 0) {
      (void)bcf_unpack(record, BCF_UN_ALL);
      ++records;
    }
    benchmark::DoNotOptimize(records);
    bcf_destroy(record);
    bcf_hdr_destroy(header);
    (void)hts_close(in);
  }
  if (records != files().records()) state.SkipWithError("bcf_read did not read every record");
  set_rate(state, records);
}

void import_all(benchmark::State& state, std::string_view format) {
  const auto path = files().path(format);
  ptwin::store::SqliteStore store(":memory:");
  const ptwin::time::ManualClock clock;
  genomics::VcfImportSettings settings;
  settings.patient_id = "bench";
  std::int64_t records = 0;
  for (auto _ : state) {
    const auto result = genomics::import_vcf(path, settings, store, clock);
    records = result.counts.records_read;
    if (result.counts.pgx_records_mapped != 7) state.SkipWithError("catalogue calls not mapped");
    benchmark::DoNotOptimize(result.observations.data());
  }
  set_rate(state, records);
}

void print_ratios(std::FILE* out, const ptwin::bench::RateCollector& collector) {
  fmt::print(out, "\nVCF import vs htslib bcf_read, {} records, records/s (same run)\n"
                  "{:<8} {:>16} {:>16} {:>18}\n",
             files().records(), "format", "bcf_read", "import", "import / bcf_read");
  for (const auto format : kFormats) {
    const double baseline = collector.rate(fmt::format("Vcf/bcf_read/{}", format));
    const double candidate = collector.rate(fmt::format("Vcf/import/{}", format));
    if (std::isnan(baseline) || std::isnan(candidate)) continue;
    fmt::print(out, "{:<8} {:>16.0f} {:>16.0f} {:>18.2f}\n", format, baseline, candidate,
               candidate / baseline);
  }
}

}  // namespace

int main(int argc, char** argv) {
  return ptwin::bench::run_benchmark_main(argc, argv, "vcf_bench", [](std::FILE* out) {
    benchmark::AddCustomContext("vcf_records", std::to_string(files().records()));
    for (const auto format : kFormats) {
      benchmark::RegisterBenchmark(fmt::format("Vcf/bcf_read/{}", format).c_str(),
                                   [format](benchmark::State& state) { bcf_read_all(state, format); })
          ->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark(fmt::format("Vcf/import/{}", format).c_str(),
                                   [format](benchmark::State& state) { import_all(state, format); })
          ->Unit(benchmark::kMillisecond);
    }
    ptwin::bench::RateCollector collector(*benchmark::CreateDefaultDisplayReporter(), "records/s");
    benchmark::RunSpecifiedBenchmarks(&collector);
    std::fflush(stdout);
    print_ratios(out, collector);
  });
}
