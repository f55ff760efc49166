// SPDX-License-Identifier: Apache-2.0
#pragma once
// Writing test VCFs: the text of a header and records at the PGx catalogue positions, and the
// same file BGZF-compressed or as BCF, written with htslib itself.

#include <gtest/gtest.h>
#include <htslib/bgzf.h>
#include <htslib/hts.h>
#include <htslib/vcf.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ptwin/ingest/genomics/pgx_catalogue.hpp"
#include "ptwin/ingest/genomics/reference_build.hpp"

namespace ptwin::ingest::genomics::test_support {

namespace fs = std::filesystem;

/// A header naming `build` in ##reference and ##contig lines (chr-prefixed or not), with the
/// samples given.
inline std::string vcf_header(ReferenceBuild build, const std::vector<std::string>& samples,
                              bool chr_prefix = true) {
  const bool is_37 = build == ReferenceBuild::GRCh37;
  const std::string chr = chr_prefix ? "chr" : "";
  std::string text = "##fileformat=VCFv4.2\n";
  text += fmt::format("##reference={}\n", is_37 ? "GRCh37" : "GRCh38");
  text += fmt::format("##contig=<ID={}1,length={}>\n", chr, is_37 ? 249250621 : 248956422);
  text += fmt::format("##contig=<ID={}10,length={}>\n", chr, is_37 ? 135534747 : 133797422);
  text += fmt::format("##contig=<ID={}12,length={}>\n", chr, is_37 ? 133851895 : 133275309);
  text += fmt::format("##contig=<ID={}16,length={}>\n", chr, is_37 ? 90354753 : 90338345);
  text += "##FILTER=<ID=LowQual,Description=\"Low quality\">\n";
  text += "##INFO=<ID=AC,Number=A,Type=Integer,Description=\"Allele count\">\n";
  text += "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n";
  text += "##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"Genotype quality\">\n";
  text += "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth\">\n";
  text += "##FORMAT=<ID=PS,Number=1,Type=Integer,Description=\"Phase set\">\n";
  text += "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT";
  for (const auto& sample : samples) text += "\t" + sample;
  text += "\n";
  return text;
}

/// The catalogue variant with this rsID (fails the test when there is none).
inline const CatalogueVariant& variant(std::string_view rsid) {
  for (const auto& entry : catalogue_variants()) {
    if (entry.rsid == rsid) return entry;
  }
  ADD_FAILURE() << "no catalogue variant " << rsid;
  return catalogue_variants().front();
}

/// A record at the catalogue position of `rsid`, one sample column per entry of `sample_fields`
/// (FORMAT GT:GQ:DP unless given).
inline std::string catalogue_record(ReferenceBuild build, std::string_view rsid,
                                    const std::vector<std::string>& sample_fields,
                                    std::string_view filter = "PASS",
                                    std::string_view format = "GT:GQ:DP", bool chr_prefix = true) {
  const auto& entry = variant(rsid);
  std::string text = fmt::format("{}{}\t{}\t{}\t{}\t{}\t50\t{}\tAC=1\t{}", chr_prefix ? "chr" : "",
                                 entry.chromosome, entry.position(build), entry.rsid,
                                 entry.reference, entry.alternate, filter, format);
  for (const auto& field : sample_fields) text += "\t" + field;
  return text + "\n";
}

/// A record at a position outside the catalogue (chr1).
inline std::string other_record(std::int64_t position, const std::vector<std::string>& fields,
                                bool chr_prefix = true) {
  std::string text = fmt::format("{}1\t{}\t.\tA\tG\t50\tPASS\tAC=1\tGT:GQ:DP",
                                 chr_prefix ? "chr" : "", position);
  for (const auto& field : fields) text += "\t" + field;
  return text + "\n";
}

/// A single-sample file with every catalogue position: GT from `genotypes` by rsID ("0/0"
/// otherwise), GQ 99, DP 30; and `other_records` records outside the catalogue.
inline std::string single_sample_vcf(ReferenceBuild build,
                                     const std::map<std::string, std::string>& genotypes,
                                     int other_records = 3) {
  std::string text = vcf_header(build, {"S1"});
  for (int i = 0; i < other_records; ++i) text += other_record(1000 + i * 10, {"0/1:99:30"});
  for (const auto& entry : catalogue_variants()) {
    const auto found = genotypes.find(std::string(entry.rsid));
    const auto gt = found == genotypes.end() ? std::string("0/0") : found->second;
    text += catalogue_record(build, entry.rsid, {gt + ":99:30"});
  }
  return text;
}

/// A fresh directory for one test's files, removed by the destructor.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "ptwin-genomics-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] fs::path write(const std::string& name, const std::string& bytes) const {
    const auto file = path_ / name;
    std::ofstream(file, std::ios::binary) << bytes;
    return file;
  }
  /// `text` compressed as BGZF, as bgzip would.
  [[nodiscard]] fs::path write_bgzf(const std::string& name, const std::string& text) const {
    const auto file = path_ / name;
    BGZF* out = bgzf_open(file.c_str(), "w");
    EXPECT_NE(out, nullptr);
    EXPECT_EQ(bgzf_write(out, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    EXPECT_EQ(bgzf_close(out), 0);
    return file;
  }
  /// `text` (a VCF) converted to BCF by htslib: header and records parsed, then written.
  [[nodiscard]] fs::path write_bcf(const std::string& name, const std::string& text) const {
    const auto vcf = write("for-bcf.vcf", text);
    const auto file = path_ / name;
    htsFile* in = hts_open(vcf.c_str(), "r");
    htsFile* out = hts_open(file.c_str(), "wb");
    bcf_hdr_t* header = bcf_hdr_read(in);
    EXPECT_EQ(bcf_hdr_write(out, header), 0);
    bcf1_t* record = bcf_init();
    while (bcf_read(in, header, record) == 0) EXPECT_EQ(bcf_write(out, header, record), 0);
    bcf_destroy(record);
    bcf_hdr_destroy(header);
    EXPECT_EQ(hts_close(in), 0);
    EXPECT_EQ(hts_close(out), 0);
    return file;
  }
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

}  // namespace ptwin::ingest::genomics::test_support
