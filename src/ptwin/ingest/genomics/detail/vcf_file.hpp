// SPDX-License-Identifier: Apache-2.0
#pragma once
// htslib behind one RAII type: opens a VCF (plain, gzip or BGZF) or BCF, reads its header, and
// hands out records one at a time with their raw bytes and line number, so that a record htslib
// or our checks reject can be quarantined byte for byte. Text VCF is read line by line
// (hts_getline) and parsed with vcf_parse; BCF with bcf_read, its records kept as their VCF
// text (a BCF record has no byte form of its own outside the file's compressed blocks).
//
// htslib reports problems on stderr; the file silences it (hts_set_log_level is process-wide:
// the previous level is restored when the file is closed) and reports them as InputError.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <htslib/vcf.h>

#include "ptwin/ingest/genomics/reference_build.hpp"

namespace ptwin::ingest::genomics::detail {

struct RawRecord {
  std::string bytes;      // the line without its newline (text); empty for BCF (see raw_bytes)
  std::int64_t line = 0;  // 1-based line in the file (text), or record number + header lines
};

class VcfFile {
 public:
  /// Opens and reads the header. `name` is how messages name the file. Throws InputError(Io)
  /// when it cannot be opened, InputError(BadInput) for a file that is not VCF/BCF or whose
  /// header is malformed (naming the line).
  VcfFile(const std::filesystem::path& path, std::string name);
  ~VcfFile();
  VcfFile(const VcfFile&) = delete;
  VcfFile& operator=(const VcfFile&) = delete;
  VcfFile(VcfFile&&) = delete;
  VcfFile& operator=(VcfFile&&) = delete;

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] bool is_bcf() const { return is_bcf_; }
  [[nodiscard]] const std::vector<HeaderLine>& header_lines() const { return header_lines_; }
  [[nodiscard]] const std::vector<std::string>& sample_names() const { return samples_; }

  /// Reads only this sample's column from now on (index into sample_names()).
  void select_sample(std::size_t index);

  /// The column of the selected sample in record() (0 once only that sample is read).
  [[nodiscard]] int sample_index() const { return sample_index_; }

  /// The next record, or nullopt at the end. Throws InputError(BadInput) when the file cannot
  /// be read further (truncated or corrupt compressed data, undecodable BCF).
  [[nodiscard]] std::optional<RawRecord> next();

  /// Parses `raw` (the record next() returned) into record(). Throws InputError naming the
  /// line and the field for a record that breaks VCF rules (column count, POS, REF, undefined
  /// contig or tag, what vcf_parse refuses).
  void parse(const RawRecord& raw);

  [[nodiscard]] bcf_hdr_t* header() const { return header_; }
  [[nodiscard]] bcf1_t* record() const { return record_; }

  /// The bytes to quarantine for `raw`: the line as read (text), or the parsed record formatted
  /// as VCF text (BCF).
  [[nodiscard]] std::string raw_bytes(const RawRecord& raw) const;

  /// Bytes of the file consumed so far (compressed offset for BGZF/gzip files).
  [[nodiscard]] std::int64_t bytes_read() const;
  [[nodiscard]] std::int64_t file_bytes() const { return file_bytes_; }

 private:
  void close() noexcept;
  void read_text_header();
  void read_binary_header();
  void check_text_fields(const RawRecord& raw) const;
  [[noreturn]] void throw_record_error(const RawRecord& raw, std::string field, std::string value,
                                       std::string rule) const;

  std::string name_;
  htsFile* file_ = nullptr;
  bcf_hdr_t* header_ = nullptr;
  bcf1_t* record_ = nullptr;
  kstring_t line_{0, 0, nullptr};
  int previous_log_level_ = 0;
  bool is_bcf_ = false;
  std::int64_t line_number_ = 0;
  int sample_index_ = 0;
  std::vector<HeaderLine> header_lines_;
  std::vector<std::string> samples_;
  std::vector<std::string> contigs_;  // declared ##contig IDs (empty: none declared)
  std::size_t columns_ = 0;           // columns of a text record (9 + samples)
  std::int64_t file_bytes_ = 0;
};

}  // namespace ptwin::ingest::genomics::detail
