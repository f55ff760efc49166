// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/genomics/vcf_importer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <htslib/vcf.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/genomics/detail/vcf_file.hpp"
#include "ptwin/ingest/genomics/genomics_observations.hpp"
#include "ptwin/ingest/genomics/pgx_catalogue.hpp"

namespace ptwin::ingest::genomics {
namespace {

enum class Rejection { Malformed, NoCall, Filtered, LowQuality, UnexpectedAllele, Duplicate };

struct RecordRejected {
  Rejection kind;
  std::string reason;
};

// An int32 FORMAT array that htslib allocates and grows; freed once.
struct FormatBuffer {
  std::int32_t* values = nullptr;
  int capacity = 0;
  FormatBuffer() = default;
  FormatBuffer(const FormatBuffer&) = delete;
  FormatBuffer& operator=(const FormatBuffer&) = delete;
  ~FormatBuffer() { std::free(values); }  // NOLINT(cppcoreguidelines-no-malloc): htslib memory
};

struct FloatBuffer {
  float* values = nullptr;
  int capacity = 0;
  FloatBuffer() = default;
  FloatBuffer(const FloatBuffer&) = delete;
  FloatBuffer& operator=(const FloatBuffer&) = delete;
  ~FloatBuffer() { std::free(values); }  // NOLINT(cppcoreguidelines-no-malloc)
};

class Importer {
 public:
  Importer(detail::VcfFile& file, const VcfImportSettings& settings, ReferenceBuild build,
           store::Store& store, const time::Clock& clock)
      : file_(file), settings_(settings), build_(build), store_(store), clock_(clock) {}

  void read(const ProgressCallback& progress);
  [[nodiscard]] std::vector<GeneCall> call_genes() const;
  [[nodiscard]] const VcfImportCounts& counts() const { return counts_; }

 private:
  void take(const detail::RawRecord& raw);
  [[nodiscard]] std::optional<RecordRejected> use_catalogue_record(const CatalogueVariant& variant,
                                                                   const detail::RawRecord& raw);
  [[nodiscard]] std::optional<RecordRejected> check_reference(const CatalogueVariant& variant,
                                                              const detail::RawRecord& raw) const;
  [[nodiscard]] std::optional<RecordRejected> check_filter(const detail::RawRecord& raw) const;
  [[nodiscard]] std::optional<RecordRejected> read_genotype(const CatalogueVariant& variant,
                                                            const detail::RawRecord& raw,
                                                            SiteCall& site);
  [[nodiscard]] std::optional<RecordRejected> check_quality(const detail::RawRecord& raw,
                                                            std::string_view tag,
                                                            std::optional<std::int32_t> minimum,
                                                            std::string_view setting);
  void quarantine(const detail::RawRecord& raw, const RecordRejected& rejected);
  [[nodiscard]] std::string where(const detail::RawRecord& raw, std::string_view field) const {
    return fmt::format("{}:{} {}", file_.name(), raw.line, field);
  }

  detail::VcfFile& file_;
  const VcfImportSettings& settings_;
  ReferenceBuild build_;
  store::Store& store_;
  const time::Clock& clock_;
  VcfImportCounts counts_;
  std::map<const CatalogueVariant*, SiteCall> sites_;
  std::map<const CatalogueVariant*, std::int64_t> first_line_;
  std::map<std::string_view, std::vector<std::string>> problems_;  // by gene
  FormatBuffer genotypes_;
  FormatBuffer format_ints_;
  FloatBuffer format_floats_;
};

void Importer::read(const ProgressCallback& progress) {
  const auto report = [&] {
    counts_.bytes_read = file_.bytes_read();
    if (progress) progress({counts_.records_read, counts_.bytes_read, file_.file_bytes()});
  };
  while (const auto raw = file_.next()) {
    ++counts_.records_read;
    take(*raw);
    if (counts_.records_read % settings_.progress_every_records == 0) report();
  }
  report();
}

void Importer::take(const detail::RawRecord& raw) {
  try {
    file_.parse(raw);
  } catch (const InputError& error) {
    // A malformed record at a catalogue position leaves its gene uncalled, and says why.
    const auto fields = std::string_view(raw.bytes).substr(0, 64);
    const auto tab = fields.find('\t');
    if (tab != std::string_view::npos) {
      const auto chromosome = fields.substr(0, tab);
      const auto position = std::atoll(std::string(fields.substr(tab + 1)).c_str());
      if (const auto* variant = find_variant(chromosome, position, build_)) {
        problems_[variant->gene].push_back(
            fmt::format("{}: the record at line {} is malformed", variant->rsid, raw.line));
        first_line_.emplace(variant, raw.line);
      }
    }
    quarantine(raw, {Rejection::Malformed, error.what()});
    return;
  }
  bcf1_t* record = file_.record();
  const auto* variant =
      find_variant(bcf_seqname_safe(file_.header(), record), record->pos + 1, build_);
  if (variant == nullptr) {
    ++counts_.records_outside_catalogue;
    return;
  }
  if (auto rejected = use_catalogue_record(*variant, raw)) {
    problems_[variant->gene].push_back(
        fmt::format("{}: {}", variant->rsid, rejected->reason.substr(0, 200)));
    quarantine(raw, *rejected);
    return;
  }
  ++counts_.pgx_records_mapped;
}

std::optional<RecordRejected> Importer::use_catalogue_record(const CatalogueVariant& variant,
                                                             const detail::RawRecord& raw) {
  const auto [first, is_first] = first_line_.emplace(&variant, raw.line);
  if (!is_first) {
    return RecordRejected{Rejection::Duplicate,
                          InputError(ErrorCode::BadInput, where(raw, "POS"),
                                     std::to_string(variant.position(build_)),
                                     fmt::format("is a second record for {} (the first is at "
                                                 "line {}); neither is chosen over the other",
                                                 variant.rsid, first->second))
                              .what()};
  }
  if (bcf_unpack(file_.record(), BCF_UN_ALL) < 0) {
    return RecordRejected{Rejection::Malformed,
                          InputError(ErrorCode::BadInput, where(raw, "record"), "",
                                     "cannot be unpacked by htslib")
                              .what()};
  }
  if (auto rejected = check_reference(variant, raw)) return rejected;
  if (auto rejected = check_filter(raw)) return rejected;
  SiteCall site;
  site.variant = &variant;
  site.line = raw.line;
  if (auto rejected = read_genotype(variant, raw, site)) return rejected;
  if (auto low = check_quality(raw, "GQ", settings_.min_genotype_quality, "min_genotype_quality")) {
    return low;
  }
  if (auto low = check_quality(raw, "DP", settings_.min_read_depth, "min_read_depth")) return low;
  if (bcf_get_format_int32(file_.header(), file_.record(), "PS", &format_ints_.values,
                           &format_ints_.capacity) > 0) {
    const auto ps = format_ints_.values[file_.sample_index()];
    if (ps != bcf_int32_missing && ps != bcf_int32_vector_end) site.phase_set = ps;
  }
  sites_[&variant] = site;
  return std::nullopt;
}

std::optional<RecordRejected> Importer::check_reference(const CatalogueVariant& variant,
                                                        const detail::RawRecord& raw) const {
  const bcf1_t* record = file_.record();
  const std::string_view ref =
      record->n_allele > 0 && record->d.allele[0] != nullptr ? record->d.allele[0] : "";
  if (ref.size() == 1 && std::toupper(static_cast<unsigned char>(ref[0])) == variant.reference) {
    return std::nullopt;
  }
  return RecordRejected{
      Rejection::UnexpectedAllele,
      InputError(ErrorCode::BadInput, where(raw, "REF"), printable_value(ref),
                 fmt::format("is not the {} reference base '{}' of {} at {}:{}; is the build "
                             "right?",
                             to_string(build_), variant.reference, variant.rsid,
                             variant.chromosome, variant.position(build_)))
          .what()};
}

std::optional<RecordRejected> Importer::check_filter(const detail::RawRecord& raw) const {
  // VCF v4.3 §1.6.1 item 7: PASS, or "." when no filters were applied.
  bcf_hdr_t* header = file_.header();
  bcf1_t* record = file_.record();
  if (record->d.n_flt == 0) {
    if (settings_.accept_unfiltered) return std::nullopt;
    return RecordRejected{Rejection::Filtered,
                          InputError(ErrorCode::BadInput, where(raw, "FILTER"), ".",
                                     "is not PASS (no filters applied); set accept_unfiltered "
                                     "to use such calls")
                              .what()};
  }
  if (bcf_has_filter(header, record, const_cast<char*>("PASS")) == 1) return std::nullopt;
  std::string filters;
  for (int i = 0; i < record->d.n_flt; ++i) {
    if (!filters.empty()) filters.push_back(';');
    filters.append(bcf_hdr_int2id(header, BCF_DT_ID, record->d.flt[i]));
  }
  return RecordRejected{Rejection::Filtered,
                        InputError(ErrorCode::BadInput, where(raw, "FILTER"),
                                   printable_value(filters), "is not PASS")
                            .what()};
}

std::optional<RecordRejected> Importer::read_genotype(const CatalogueVariant& variant,
                                                      const detail::RawRecord& raw,
                                                      SiteCall& site) {
  bcf1_t* record = file_.record();
  const int count =
      bcf_get_genotypes(file_.header(), record, &genotypes_.values, &genotypes_.capacity);
  const int samples = bcf_hdr_nsamples(file_.header());
  const auto reject = [&](Rejection kind, ErrorCode code, std::string value, std::string rule) {
    return RecordRejected{kind, InputError(code, where(raw, "GT"), printable_value(value),
                                           std::move(rule))
                                    .what()};
  };
  if (count <= 0 || samples <= 0) {
    return reject(Rejection::NoCall, ErrorCode::MissingField, "",
                  "is absent; the genotype at this position is unknown");
  }
  const int ploidy = count / samples;
  const std::int32_t* gt = genotypes_.values + file_.sample_index() * ploidy;
  if (ploidy != 2 || gt[1] == bcf_int32_vector_end) {
    return reject(Rejection::UnexpectedAllele, ErrorCode::BadInput, "",
                  "is not diploid, as a call on an autosome must be");
  }
  const auto allele_text = [](std::int32_t value) {
    return bcf_gt_is_missing(value) ? std::string(".") : std::to_string(bcf_gt_allele(value));
  };
  const auto gt_text = fmt::format("{}{}{}", allele_text(gt[0]),
                                   bcf_gt_is_phased(gt[1]) ? '|' : '/', allele_text(gt[1]));
  if (bcf_gt_is_missing(gt[0]) || bcf_gt_is_missing(gt[1])) {
    return reject(Rejection::NoCall, ErrorCode::BadInput, gt_text,
                  "is a no-call; the genotype at this position is unknown");
  }
  site.is_phased = bcf_gt_is_phased(gt[1]) != 0;
  const int alleles = static_cast<int>(record->n_allele);
  for (std::size_t i = 0; i < 2; ++i) {
    const int allele = bcf_gt_allele(gt[i]);
    if (allele < 0 || allele >= alleles) {
      return reject(Rejection::Malformed, ErrorCode::BadInput, gt_text,
                    fmt::format("names allele {} but the record has {}", allele, alleles));
    }
    const char* called = record->d.allele[allele];
    const std::string_view base = called != nullptr ? called : "";
    const bool is_variant =
        base.size() == 1 && std::toupper(static_cast<unsigned char>(base[0])) == variant.alternate;
    if (allele != 0 && !is_variant) {
      return reject(Rejection::UnexpectedAllele, ErrorCode::BadInput, gt_text,
                    fmt::format("calls allele '{}', which is not the catalogue's variant base "
                                "'{}' of {}",
                                printable_value(base), variant.alternate, variant.rsid));
    }
    site.carries_variant[i] = allele != 0;
  }
  return std::nullopt;
}

std::optional<RecordRejected> Importer::check_quality(const detail::RawRecord& raw,
                                                      std::string_view tag,
                                                      std::optional<std::int32_t> minimum,
                                                      std::string_view setting) {
  if (!minimum) return std::nullopt;
  const std::string name(tag);
  std::optional<double> value;
  bcf_hdr_t* header = file_.header();
  bcf1_t* record = file_.record();
  const auto index = static_cast<std::size_t>(file_.sample_index());
  if (bcf_get_format_int32(header, record, name.c_str(), &format_ints_.values,
                           &format_ints_.capacity) > 0) {
    const auto v = format_ints_.values[index];
    if (v != bcf_int32_missing && v != bcf_int32_vector_end) value = v;
  } else if (bcf_get_format_float(header, record, name.c_str(), &format_floats_.values,
                                  &format_floats_.capacity) > 0) {
    const auto v = format_floats_.values[index];
    if (bcf_float_is_missing(v) == 0 && bcf_float_is_vector_end(v) == 0) value = v;
  }
  const auto field = where(raw, fmt::format("FORMAT/{}", tag));
  if (!value) {
    return RecordRejected{
        Rejection::LowQuality,
        InputError(ErrorCode::MissingField, field, "",
                   fmt::format("is absent, so the call cannot be checked against {} {}; unset "
                               "{} to use calls without it",
                               setting, *minimum, setting))
            .what()};
  }
  if (*value < *minimum) {
    return RecordRejected{Rejection::LowQuality,
                          InputError(ErrorCode::BadInput, field, fmt::format("{}", *value),
                                     fmt::format("is below {} {}", setting, *minimum))
                              .what()};
  }
  return std::nullopt;
}

void Importer::quarantine(const detail::RawRecord& raw, const RecordRejected& rejected) {
  (void)store_.quarantine({fmt::format("{}{}:{}", settings_.source_prefix, file_.name(), raw.line),
                           rejected.reason, file_.raw_bytes(raw), clock_.now()});
  ++counts_.records_quarantined;
  switch (rejected.kind) {
    case Rejection::Malformed: ++counts_.malformed; break;
    case Rejection::NoCall: ++counts_.no_calls; break;
    case Rejection::Filtered: ++counts_.filtered; break;
    case Rejection::LowQuality: ++counts_.low_quality; break;
    case Rejection::UnexpectedAllele: ++counts_.unexpected_alleles; break;
    case Rejection::Duplicate: ++counts_.duplicates; break;
  }
}

std::vector<GeneCall> Importer::call_genes() const {
  std::vector<GeneCall> calls;
  for (const auto& gene : catalogue_genes()) {
    std::vector<SiteCall> sites;
    auto problems = problems_.count(gene.symbol) != 0 ? problems_.at(gene.symbol)
                                                      : std::vector<std::string>{};
    for (const auto& variant : catalogue_variants()) {
      if (variant.gene != gene.symbol) continue;
      if (const auto site = sites_.find(&variant); site != sites_.end()) {
        sites.push_back(site->second);
      } else if (first_line_.count(&variant) != 0) {
        continue;  // read but rejected: already a problem
      } else if (settings_.absent_sites == AbsentSitePolicy::AssumeReference) {
        SiteCall assumed;
        assumed.variant = &variant;
        assumed.is_assumed_reference = true;
        sites.push_back(assumed);
      } else {
        problems.push_back(fmt::format("{} ({}:{}) is absent from the file (policy not-called)",
                                       variant.rsid, variant.chromosome,
                                       variant.position(build_)));
      }
    }
    calls.push_back(call_gene(gene, sites, problems));
  }
  return calls;
}

std::size_t select_sample(const detail::VcfFile& file, const VcfImportSettings& settings) {
  const auto& samples = file.sample_names();
  const auto listed = fmt::format("{}{}", fmt::join(samples.begin(),
                                                    samples.begin() + static_cast<std::ptrdiff_t>(
                                                                          std::min<std::size_t>(
                                                                              samples.size(), 20)),
                                                    ", "),
                                  samples.size() > 20 ? ", ..." : "");
  if (samples.empty()) {
    throw InputError(ErrorCode::MissingField, fmt::format("{}: #CHROM line", file.name()), "",
                     "has no sample column (a sites-only VCF has no genotypes to read)");
  }
  if (settings.sample) {
    const auto found = std::find(samples.begin(), samples.end(), *settings.sample);
    if (found == samples.end()) {
      throw InputError(ErrorCode::NotFound, fmt::format("{}: sample", file.name()),
                       printable_value(*settings.sample),
                       fmt::format("is not a sample of the file; it has {} ({})", samples.size(),
                                   listed));
    }
    return static_cast<std::size_t>(found - samples.begin());
  }
  if (samples.size() > 1) {
    throw InputError(ErrorCode::MissingField, fmt::format("{}: sample", file.name()), "",
                     fmt::format("must be chosen: the file has {} samples ({})", samples.size(),
                                 listed));
  }
  return 0;
}

}  // namespace

VcfImportResult import_vcf(const std::filesystem::path& file, const VcfImportSettings& settings,
                           store::Store& store, const time::Clock& clock,
                           const ProgressCallback& progress) {
  validate(settings);
  detail::VcfFile vcf(file, file.filename().string());
  const auto evidence = build_evidence(vcf.header_lines());
  VcfImportResult result;
  result.build = resolve_reference_build(evidence, settings.assembly, vcf.name());
  result.build_source = settings.assembly ? "configured"
                                          : evidence.front().header_line;
  const auto sample = select_sample(vcf, settings);
  result.sample = vcf.sample_names()[sample];
  vcf.select_sample(sample);
  Importer importer(vcf, settings, result.build, store, clock);
  importer.read(progress);
  result.counts = importer.counts();
  result.genes = importer.call_genes();
  result.observations =
      genomics_observations(result.genes, {settings.patient_id, result.build, clock.now()});
  return result;
}

}  // namespace ptwin::ingest::genomics
