// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/genomics/detail/vcf_file.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>

#include <fmt/format.h>
#include <htslib/bgzf.h>
#include <htslib/hfile.h>
#include <htslib/hts.h>
#include <htslib/hts_log.h>
#include <htslib/kseq.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::genomics::detail {
namespace {

// VCF v4.3 §1.5: the eight fixed columns of the #CHROM line, in this order.
constexpr std::array<std::string_view, 8> kFixedColumns{"#CHROM", "POS", "ID",     "REF",
                                                         "ALT",    "QUAL", "FILTER", "INFO"};

std::vector<std::string_view> split_tabs(std::string_view text) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  for (std::size_t at = text.find('\t'); at != std::string_view::npos;
       at = text.find('\t', start)) {
    fields.push_back(text.substr(start, at - start));
    start = at + 1;
  }
  fields.push_back(text.substr(start));
  return fields;
}

std::string_view without_cr(std::string_view text) {
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

HeaderLine header_line_of(const bcf_hrec_t& hrec, std::string text) {
  HeaderLine line;
  line.key = hrec.key != nullptr ? hrec.key : "";
  if (hrec.value != nullptr) line.value = hrec.value;
  for (int i = 0; i < hrec.nkeys; ++i) {
    const std::string_view key = hrec.keys[i];
    const std::string value = hrec.vals[i] != nullptr ? hrec.vals[i] : "";
    if (key == "ID") line.contig_id = value;
    if (key == "length") line.contig_length = value;
    if (key == "assembly") line.contig_assembly = value;
  }
  line.text = std::move(text);
  return line;
}

std::string describe_errcode(int errcode) {
  std::string text;
  const auto add = [&](int flag, std::string_view what) {
    if ((errcode & flag) == 0) return;
    if (!text.empty()) text.append(", ");
    text.append(what);
  };
  add(BCF_ERR_CTG_UNDEF, "contig not defined in the header");
  add(BCF_ERR_TAG_UNDEF, "INFO or FORMAT tag not defined in the header");
  add(BCF_ERR_NCOLS, "wrong number of columns");
  add(BCF_ERR_LIMITS, "a value beyond htslib's limits");
  add(BCF_ERR_CHAR, "invalid characters");
  add(BCF_ERR_CTG_INVALID, "invalid contig name");
  add(BCF_ERR_TAG_INVALID, "invalid INFO or FORMAT tag");
  return text.empty() ? "a field htslib cannot parse" : text;
}

bool is_bases(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::strchr("ACGTNacgtn", c) != nullptr && c != '\0';
  });
}

}  // namespace

VcfFile::VcfFile(const std::filesystem::path& path, std::string name) : name_(std::move(name)) {
  previous_log_level_ = static_cast<int>(hts_get_log_level());
  hts_set_log_level(HTS_LOG_OFF);
  try {
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    file_bytes_ = error ? 0 : static_cast<std::int64_t>(size);
    file_ = hts_open(path.c_str(), "r");
    if (file_ == nullptr) {
      throw InputError(ErrorCode::Io, name_, printable_value(path.string()),
                       fmt::format("cannot be opened: {}", std::strerror(errno)));
    }
    const htsFormat* format = hts_get_format(file_);
    if (format->format == bcf) {
      is_bcf_ = true;
      read_binary_header();
    } else if (format->format == vcf) {
      read_text_header();
    } else {
      char* description = hts_format_description(format);
      const std::string what = description != nullptr ? description : "unknown";
      std::free(description);  // NOLINT(cppcoreguidelines-no-malloc): htslib allocates it
      throw InputError(ErrorCode::BadInput, name_, what,
                       "is not a VCF or BCF file (htslib's format detection)");
    }
    record_ = bcf_init();
    samples_.reserve(static_cast<std::size_t>(bcf_hdr_nsamples(header_)));
    for (int i = 0; i < bcf_hdr_nsamples(header_); ++i) samples_.emplace_back(header_->samples[i]);
    columns_ = samples_.empty() ? 8 : 9 + samples_.size();
    for (const auto& line : header_lines_) {
      if (line.key == "contig") contigs_.push_back(line.contig_id);
    }
    std::sort(contigs_.begin(), contigs_.end());
  } catch (...) {
    close();
    throw;
  }
}

VcfFile::~VcfFile() { close(); }

void VcfFile::close() noexcept {
  if (record_ != nullptr) bcf_destroy(record_);
  if (header_ != nullptr) bcf_hdr_destroy(header_);
  if (file_ != nullptr) (void)hts_close(file_);
  std::free(line_.s);  // NOLINT(cppcoreguidelines-no-malloc): kstring memory is malloc'd
  record_ = nullptr;
  header_ = nullptr;
  file_ = nullptr;
  line_ = {0, 0, nullptr};
  hts_set_log_level(static_cast<htsLogLevel>(previous_log_level_));
}

void VcfFile::read_text_header() {
  header_ = bcf_hdr_init("r");
  // htslib's own reader puts PASS first in the filter dictionary (BCF requires it at index 0).
  if (bcf_hdr_append(header_, "##FILTER=<ID=PASS,Description=\"All filters passed\">") != 0) {
    throw Error(ErrorCode::Internal, "htslib: cannot add the PASS filter to a new header");
  }
  std::string text;
  while (true) {
    const int read = hts_getline(file_, KS_SEP_LINE, &line_);
    if (read < -1) {
      throw InputError(ErrorCode::BadInput, fmt::format("{}:{}", name_, line_number_ + 1), "",
                       "cannot be read (corrupt or truncated compressed data)");
    }
    if (read == -1) {
      throw InputError(ErrorCode::MissingField, fmt::format("{}: header", name_), "",
                       "ends before the #CHROM line; a VCF header ends with "
                       "#CHROM POS ID REF ALT QUAL FILTER INFO");
    }
    ++line_number_;
    const auto line = without_cr(std::string_view(line_.s, line_.l));
    const auto where = fmt::format("{}:{}", name_, line_number_);
    if (line_number_ == 1 && line.substr(0, 19) != "##fileformat=VCFv4.") {
      throw InputError(ErrorCode::BadInput, where, printable_value(line),
                       "is not ##fileformat=VCFv4.x, the line a VCF starts with");
    }
    if (line.substr(0, 2) == "##") {
      // A structured line (##INFO=<...>) must close its brackets; htslib would take a cut-off
      // one as it is.
      const auto equals = line.find('=');
      if (equals != std::string_view::npos && line.substr(equals + 1, 1) == "<" &&
          line.back() != '>') {
        throw InputError(ErrorCode::BadInput, where, printable_value(line),
                         "is not a header line htslib can parse: '<' is not closed by '>'");
      }
      int length = 0;
      const std::string copy(line);
      bcf_hrec_t* hrec = bcf_hdr_parse_line(header_, copy.c_str(), &length);
      if (hrec == nullptr) {
        throw InputError(ErrorCode::BadInput, where, printable_value(line),
                         "is not a header line htslib can parse (##key=value or ##key=<...>)");
      }
      header_lines_.push_back(header_line_of(*hrec, copy));
      bcf_hrec_destroy(hrec);
      text.append(line).push_back('\n');
      continue;
    }
    if (line.substr(0, 6) != "#CHROM") {
      throw InputError(ErrorCode::BadInput, where, printable_value(line),
                       "comes before the #CHROM header line");
    }
    const auto columns = split_tabs(line);
    for (std::size_t i = 0; i < kFixedColumns.size(); ++i) {
      if (i >= columns.size() || columns[i] != kFixedColumns[i]) {
        throw InputError(ErrorCode::BadInput, fmt::format("{} column {}", where, i + 1),
                         printable_value(i < columns.size() ? columns[i] : ""),
                         fmt::format("should be {} (tab-separated)", kFixedColumns[i]));
      }
    }
    if (columns.size() > 8 && columns[8] != "FORMAT") {
      throw InputError(ErrorCode::BadInput, fmt::format("{} column 9", where),
                       printable_value(columns[8]), "should be FORMAT before the sample columns");
    }
    text.append(line).push_back('\n');
    if (bcf_hdr_parse(header_, text.data()) < 0) {
      throw InputError(ErrorCode::BadInput, fmt::format("{}: header", name_), "",
                       "is refused by htslib (duplicate sample names or malformed lines)");
    }
    return;
  }
}

void VcfFile::read_binary_header() {
  header_ = bcf_hdr_read(file_);
  if (header_ == nullptr) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}: header", name_), "",
                     "BCF header cannot be read (corrupt or truncated)");
  }
  kstring_t text{0, 0, nullptr};
  for (int i = 0; i < header_->nhrec; ++i) {
    text.l = 0;
    if (bcf_hrec_format(header_->hrec[i], &text) == 0 && text.s != nullptr) {
      std::string line(text.s, text.l);
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
      header_lines_.push_back(header_line_of(*header_->hrec[i], std::move(line)));
    }
  }
  std::free(text.s);  // NOLINT(cppcoreguidelines-no-malloc)
  // Record numbers continue after the header lines and #CHROM, as lines of the VCF would.
  line_number_ = header_->nhrec + 1;
}

void VcfFile::select_sample(std::size_t index) {
  sample_index_ = static_cast<int>(index);
  // Subsetting makes htslib skip the other columns; a name with a comma cannot be given to it.
  const auto& sample = samples_.at(index);
  if (samples_.size() > 1 && sample.find(',') == std::string::npos &&
      bcf_hdr_set_samples(header_, sample.c_str(), 0) == 0) {
    sample_index_ = 0;
  }
}

std::optional<RawRecord> VcfFile::next() {
  if (is_bcf_) {
    const int read = bcf_read(file_, header_, record_);
    if (read == -1) return std::nullopt;
    if (read < -1) {
      throw InputError(ErrorCode::BadInput, fmt::format("{}: record {}", name_, line_number_ + 1),
                       "", "cannot be decoded (corrupt or truncated BCF); later records are "
                           "not read");
    }
    return RawRecord{{}, ++line_number_};
  }
  const int read = hts_getline(file_, KS_SEP_LINE, &line_);
  if (read == -1) return std::nullopt;
  if (read < -1) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}:{}", name_, line_number_ + 1), "",
                     "cannot be read (corrupt or truncated compressed data); later lines are "
                     "not read");
  }
  return RawRecord{std::string(line_.s, line_.l), ++line_number_};
}

std::string VcfFile::raw_bytes(const RawRecord& raw) const {
  if (!is_bcf_) return raw.bytes;
  kstring_t text{0, 0, nullptr};
  std::string bytes;
  if (vcf_format(header_, record_, &text) == 0 && text.s != nullptr) {
    bytes.assign(text.s, text.l);
    if (!bytes.empty() && bytes.back() == '\n') bytes.pop_back();
  }
  std::free(text.s);  // NOLINT(cppcoreguidelines-no-malloc)
  return bytes;
}

void VcfFile::throw_record_error(const RawRecord& raw, std::string field, std::string value,
                                 std::string rule) const {
  throw InputError(ErrorCode::BadInput, fmt::format("{}:{} {}", name_, raw.line, field),
                   printable_value(value), std::move(rule));
}

void VcfFile::check_text_fields(const RawRecord& raw) const {
  // The first nine fields and the column count, without allocating: this runs on every line.
  const auto line = without_cr(raw.bytes);
  // htslib reads the line as a C string: a NUL would cut it short where our checks do not.
  if (const auto nul = line.find('\0'); nul != std::string_view::npos) {
    throw_record_error(raw, "record", std::string(line.substr(0, nul)),
                       fmt::format("contains a NUL byte at offset {}; a VCF line is text", nul));
  }
  std::array<std::string_view, 9> fields{};
  std::size_t columns = 0;
  std::size_t start = 0;
  while (true) {
    const auto tab = line.find('\t', start);
    const auto field = line.substr(start, tab == std::string_view::npos ? tab : tab - start);
    if (columns < fields.size()) fields[columns] = field;
    ++columns;
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  if (columns != columns_) {
    throw_record_error(raw, "columns", std::to_string(columns),
                       fmt::format("should be {} (8 fixed{}, tab-separated)", columns_,
                                   columns_ > 8 ? ", FORMAT and the samples" : ""));
  }
  if (fields[0].empty() ||
      (!contigs_.empty() && !std::binary_search(contigs_.begin(), contigs_.end(), fields[0]))) {
    throw_record_error(raw, "CHROM", std::string(fields[0]), "is not a ##contig of the header");
  }
  const auto pos = fields[1];
  if (pos.empty() || pos.size() > 10 ||
      !std::all_of(pos.begin(), pos.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      std::stoll(std::string(pos)) < 1 || std::stoll(std::string(pos)) > 2147483647) {
    throw_record_error(raw, "POS", std::string(pos), "is not a position from 1 to 2147483647");
  }
  if (!is_bases(fields[3])) {
    throw_record_error(raw, "REF", std::string(fields[3]), "is not a sequence of A, C, G, T, N");
  }
  if (fields[4].empty()) throw_record_error(raw, "ALT", "", "is empty (use '.' for none)");
  if (columns_ > 8 && fields[8] != "GT" && fields[8].substr(0, 3) != "GT:") {
    throw_record_error(raw, "FORMAT", std::string(fields[8]),
                       "does not start with GT (VCF v4.3 §1.6.2: GT comes first)");
  }
}

void VcfFile::parse(const RawRecord& raw) {
  if (!is_bcf_) {
    check_text_fields(raw);
    if (!raw.bytes.empty() && raw.bytes.back() == '\r') line_.s[--line_.l] = '\0';
    // A header without ##contig lines is allowed (htslib then defines each contig it meets
    // and flags it); with them, check_text_fields has already refused an undeclared one.
    const int parsed = vcf_parse(&line_, header_, record_);
    if (contigs_.empty()) record_->errcode &= ~BCF_ERR_CTG_UNDEF;
    if (parsed < 0 || record_->errcode != 0) {
      throw_record_error(raw, "record", raw.bytes.substr(0, 64),
                         fmt::format("is refused by htslib's vcf_parse: {}",
                                     describe_errcode(record_->errcode)));
    }
  } else if (record_->errcode != 0) {
    throw_record_error(raw, "record", "", fmt::format("is refused by htslib's bcf_read: {}",
                                                      describe_errcode(record_->errcode)));
  }
  if (is_bcf_ && bcf_unpack(record_, BCF_UN_STR) < 0) {
    throw_record_error(raw, "record", "", "cannot be unpacked by htslib");
  }
  if (is_bcf_ && !is_bases(record_->n_allele > 0 ? record_->d.allele[0] : "")) {
    throw_record_error(raw, "REF", record_->n_allele > 0 ? record_->d.allele[0] : "",
                       "is not a sequence of A, C, G, T, N");
  }
}

std::int64_t VcfFile::bytes_read() const {
  if (file_ == nullptr) return 0;
  if (file_->is_bgzf) return static_cast<std::int64_t>(bgzf_tell(file_->fp.bgzf) >> 16);
  return static_cast<std::int64_t>(htell(file_->fp.hfile));
}

}  // namespace ptwin::ingest::genomics::detail
