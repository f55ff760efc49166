// SPDX-License-Identifier: Apache-2.0
#pragma once
// The human reference assembly a VCF's positions refer to. Pharmacogenomic positions differ
// between GRCh37 and GRCh38 (CYP2C19 rs4244285 is chr10:96541616 in GRCh37 and chr10:94781859
// in GRCh38), so a file is read only once its build is known: from its header, or configured.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptwin::ingest::genomics {

enum class ReferenceBuild { GRCh37, GRCh38 };

[[nodiscard]] std::string_view to_string(ReferenceBuild build);

/// "GRCh37" / "GRCh38" (also "hg19", "b37", "hg38", "b38", any case). Throws InputError(BadInput)
/// naming `where` otherwise.
[[nodiscard]] ReferenceBuild parse_reference_build(std::string_view text, std::string_view where);

/// One header line and what it says about the build.
struct BuildEvidence {
  ReferenceBuild build;
  std::string header_line;  // the line as written, e.g. "##reference=GRCh38"
  friend bool operator==(const BuildEvidence&, const BuildEvidence&) = default;
};

/// A parsed header line that may say something about the build: `key` "reference" with
/// `value`, or "contig" with its ID, length and assembly (empty when absent).
struct HeaderLine {
  std::string key;
  std::string value;       // ##reference=<value>
  std::string contig_id;   // ##contig=<ID=...>
  std::string contig_length;
  std::string contig_assembly;
  std::string text;        // the line as written (for messages)
};

/// Every line of `lines` that names a build: ##reference= (a token GRCh37/hg19/b37/hs37d5/
/// human_g1k_v37 or GRCh38/hg38/b38/hs38), ##contig assembly=, and ##contig lengths of the
/// chromosomes the catalogue uses (1, 10, 12, 16; with or without "chr"), whose lengths differ
/// between the builds (GRC assembly reports: chr10 is 135,534,747 bp in GRCh37 and
/// 133,797,422 bp in GRCh38).
[[nodiscard]] std::vector<BuildEvidence> build_evidence(const std::vector<HeaderLine>& lines);

/// The build the file uses. With `configured`, every header line that names a build must agree
/// with it; without, the header must name one, and only one. Throws InputError (BadInput for a
/// contradiction, naming both lines; MissingField when nothing names a build) with `source`.
[[nodiscard]] ReferenceBuild resolve_reference_build(const std::vector<BuildEvidence>& evidence,
                                                     std::optional<ReferenceBuild> configured,
                                                     std::string_view source);

}  // namespace ptwin::ingest::genomics
