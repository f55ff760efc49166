// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/genomics/reference_build.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::genomics {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Names in common use for each build, as they appear in ##reference paths and contig
// assembly= values (1000 Genomes "human_g1k_v37"/"hs37d5", Broad "b37"/"b38", UCSC "hg19"/
// "hg38").
constexpr std::array<std::string_view, 5> kGrch37Tokens{"grch37", "hg19", "b37", "hs37d5",
                                                        "g1k_v37"};
constexpr std::array<std::string_view, 4> kGrch38Tokens{"grch38", "hg38", "b38", "hs38"};

// `token` occurs in `text` not glued to a letter before it or a digit after it ("b37" in
// "ref_b37.fa" but not in "b371" or "hub37").
bool has_token(const std::string& text, std::string_view token) {
  for (auto at = text.find(token); at != std::string::npos; at = text.find(token, at + 1)) {
    const bool starts = at == 0 || std::isalpha(static_cast<unsigned char>(text[at - 1])) == 0;
    const auto end = at + token.size();
    const bool ends = end == text.size() || !std::isdigit(static_cast<unsigned char>(text[end]));
    if (starts && ends) return true;
  }
  return false;
}

std::optional<ReferenceBuild> build_named_in(std::string_view text) {
  const auto folded = lower(text);
  const bool is_37 = std::any_of(kGrch37Tokens.begin(), kGrch37Tokens.end(),
                                 [&](auto token) { return has_token(folded, token); });
  const bool is_38 = std::any_of(kGrch38Tokens.begin(), kGrch38Tokens.end(),
                                 [&](auto token) { return has_token(folded, token); });
  if (is_37 == is_38) return std::nullopt;  // neither, or both (e.g. a liftover path)
  return is_37 ? ReferenceBuild::GRCh37 : ReferenceBuild::GRCh38;
}

struct ContigLength {
  std::string_view chromosome;
  std::int64_t grch37_bp;
  std::int64_t grch38_bp;
};

// Sequence lengths from the GRC assembly reports of GRCh37 (GCF_000001405.13) and GRCh38
// (GCF_000001405.26): the chromosomes of the PGx catalogue, and chr1 which nearly every header
// lists.
constexpr std::array kContigLengths{
    ContigLength{"1", 249250621, 248956422},
    ContigLength{"10", 135534747, 133797422},
    ContigLength{"12", 133851895, 133275309},
    ContigLength{"16", 90354753, 90338345},
};

std::optional<ReferenceBuild> build_of_contig(std::string_view id, std::string_view length) {
  if (id.substr(0, 3) == "chr") id.remove_prefix(3);
  for (const auto& contig : kContigLengths) {
    if (contig.chromosome != id) continue;
    if (length == std::to_string(contig.grch37_bp)) return ReferenceBuild::GRCh37;
    if (length == std::to_string(contig.grch38_bp)) return ReferenceBuild::GRCh38;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(ReferenceBuild build) {
  return build == ReferenceBuild::GRCh37 ? "GRCh37" : "GRCh38";
}

ReferenceBuild parse_reference_build(std::string_view text, std::string_view where) {
  if (const auto build = build_named_in(text)) return *build;
  throw InputError(ErrorCode::BadInput, std::string(where), printable_value(text),
                   "is not a reference build; use GRCh37 or GRCh38");
}

std::vector<BuildEvidence> build_evidence(const std::vector<HeaderLine>& lines) {
  std::vector<BuildEvidence> evidence;
  for (const auto& line : lines) {
    if (line.key == "reference") {
      if (const auto build = build_named_in(line.value)) evidence.push_back({*build, line.text});
    } else if (line.key == "contig") {
      if (const auto build = build_named_in(line.contig_assembly)) {
        evidence.push_back({*build, line.text});
      } else if (const auto by_length = build_of_contig(line.contig_id, line.contig_length)) {
        evidence.push_back({*by_length, line.text});
      }
    }
  }
  return evidence;
}

ReferenceBuild resolve_reference_build(const std::vector<BuildEvidence>& evidence,
                                       std::optional<ReferenceBuild> configured,
                                       std::string_view source) {
  if (configured) {
    for (const auto& line : evidence) {
      if (line.build != *configured) {
        throw InputError(
            ErrorCode::BadInput, fmt::format("{}: header", source), printable_value(line.header_line),
            fmt::format("names {} but {} is configured; PGx positions differ between builds, so "
                        "fix the configured build or the file",
                        to_string(line.build), to_string(*configured)));
      }
    }
    return *configured;
  }
  if (evidence.empty()) {
    throw InputError(ErrorCode::MissingField, fmt::format("{}: header", source), "",
                     "names no reference build (no ##reference, ##contig assembly= or known "
                     "contig length of GRCh37/GRCh38); configure the build (assembly)");
  }
  for (const auto& line : evidence) {
    if (line.build != evidence.front().build) {
      throw InputError(ErrorCode::BadInput, fmt::format("{}: header", source),
                       printable_value(line.header_line),
                       fmt::format("names {} but '{}' names {}; configure the build if the "
                                   "header is wrong",
                                   to_string(line.build), printable_value(evidence.front().header_line),
                                   to_string(evidence.front().build)));
    }
  }
  return evidence.front().build;
}

}  // namespace ptwin::ingest::genomics
