// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the genomics VCF/BCF import (docs/genomics.md), htslib's readers included.
// The input is handed to import_vcf as a file (an anonymous memory file), so htslib's format
// detection sees it as it would a file on disk: text VCF, gzip/BGZF or BCF. InputError (any
// ptwin::Error) is the expected way to refuse a file; any other exception, a crash, a sanitizer
// report, or an import whose books do not balance (records read != mapped + outside the
// catalogue + quarantined, or a quarantine that does not hold exactly the quarantined records)
// is a finding. Seeds: tests/data/bad_inputs/vcf (the .vcf files only).
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "ptwin/core/clock.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/genomics/vcf_importer.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace {

using ptwin::ingest::genomics::GeneCallStatus;

void check(const ptwin::ingest::genomics::VcfImportResult& result, std::int64_t quarantined) {
  const auto& c = result.counts;
  if (c.records_read != c.pgx_records_mapped + c.records_outside_catalogue + c.records_quarantined)
    std::abort();
  if (c.records_quarantined != c.malformed + c.no_calls + c.filtered + c.low_quality +
                                   c.unexpected_alleles + c.duplicates)
    std::abort();
  if (quarantined != c.records_quarantined) std::abort();
  for (const auto& call : result.genes) {
    if ((call.status == GeneCallStatus::Called) != (call.phenotype != nullptr)) std::abort();
    if (call.status != GeneCallStatus::Called && call.reason.empty()) std::abort();
  }
  for (const auto& observation : result.observations) {
    if (observation.at("resourceType") != "Observation") std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static ptwin::store::SqliteStore store(":memory:");
  static const ptwin::time::ManualClock clock;
  const int fd = memfd_create("vcf-fuzz-input", 0);
  if (fd < 0) std::abort();
  std::size_t written = 0;
  while (written < size) {
    const auto n = write(fd, data + written, size - written);
    if (n <= 0) std::abort();
    written += static_cast<std::size_t>(n);
  }
  ptwin::ingest::genomics::VcfImportSettings settings;
  settings.patient_id = "p1";
  settings.sample = "S1";
  const auto before = store.count_quarantined();
  try {
    const auto result = ptwin::ingest::genomics::import_vcf(
        "/proc/self/fd/" + std::to_string(fd), settings, store, clock);
    check(result, store.count_quarantined() - before);
  } catch (const ptwin::Error&) {
    // refused: the expected outcome for most inputs
  }
  close(fd);
  return 0;
}
