// SPDX-License-Identifier: Apache-2.0
#pragma once
// Imports FHIR NDJSON (one resource per line, as a Bulk Data $export writes it) into a
// ResourceStore: each line is parsed, validated (R5 validator), index-extracted and written
// with update-as-create under its own id, so that an importer of another server's export keeps
// that server's ids (and references between the files stay valid). Lines are written in
// batched transactions; memory stays constant whatever the file size (NdjsonLineReader): at
// most two batches of lines are held, the next one prepared on several threads while this
// one is written in line order.
//
// Bad lines never disappear: each goes to the quarantine sink with its raw bytes, its source
// ("<file>:<line>") and the reason, and is counted by reason in the summary, so that
//   lines == accepted + blank_lines + quarantined   (NdjsonImportSummary::is_conserved)
// Blank lines (only spaces/tabs) are skipped and counted; they carry no resource.
//
//   NdjsonImporter importer(store, validator, extractor, sink, {});
//   const NdjsonImportSummary summary = importer.import_file("Observation.ndjson", "Observation");

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"
#include "ptwin/store/fhir/resource_store.hpp"
#include "ptwin/store/quarantine_entry.hpp"

namespace ptwin::ingest::fhir::bulk {

/// Why a line was quarantined.
enum class LineRejection {
  NotJson,            // the line does not parse as JSON (or is not an object)
  WrongResourceType,  // resourceType differs from the file's type
  InvalidResource,    // the R5 validator reports an error, or the resource has no id
  LineTooLong,        // longer than max_line_bytes (its first max_line_bytes are kept)
  StoreRefused,       // the store refused the write (InputError from the store)
};
inline constexpr std::size_t kLineRejectionCount = 5;
[[nodiscard]] std::string_view to_code(LineRejection reason) noexcept;

struct NdjsonImportSummary {
  std::int64_t lines = 0;
  std::int64_t accepted = 0;
  std::int64_t blank_lines = 0;
  std::array<std::int64_t, kLineRejectionCount> quarantined_by_reason{};
  std::uint64_t bytes = 0;

  [[nodiscard]] std::int64_t quarantined() const;
  [[nodiscard]] std::int64_t quarantined(LineRejection reason) const {
    return quarantined_by_reason[static_cast<std::size_t>(reason)];
  }
  [[nodiscard]] bool is_conserved() const { return lines == accepted + blank_lines + quarantined(); }
  NdjsonImportSummary& operator+=(const NdjsonImportSummary& other);
};

struct NdjsonImportSettings {
  std::size_t batch_size = 500;                    // lines per store transaction
  std::size_t max_line_bytes = 64U * 1024U * 1024U;  // longer lines are quarantined
  /// Threads that parse, validate and index the lines of a batch; the store writes stay on
  /// the calling thread, in line order. 1: every step runs on the calling thread, one batch
  /// at a time. Otherwise the next batch is prepared on this many threads while the calling
  /// thread writes the current one (two batches in memory); 0: one per hardware thread but
  /// the writer's, at least one.
  std::size_t prepare_threads = 0;
};

/// Called after each batch: bytes of the input consumed so far and its total size (0 when
/// unknown).
using ImportProgress = std::function<void(std::uint64_t bytes_done, std::uint64_t bytes_total)>;
/// Receives each quarantined line, outside any store transaction (so that it may write to the
/// same database). An exception from the sink stops the import.
using LineQuarantine = std::function<void(const store::QuarantineEntry&)>;

class NdjsonImporter {
 public:
  /// Every reference must outlive the importer. Throws InputError for batch_size 0 or
  /// max_line_bytes 0, or an empty quarantine sink (bad lines must go somewhere).
  NdjsonImporter(store::fhir::ResourceStore& store, const validation::Validator& validator,
                 const indexing::IndexExtractor& extractor, LineQuarantine quarantine,
                 NdjsonImportSettings settings);

  /// Imports one file. `resource_type`: the file's type (a Bulk Data output file holds one);
  /// nullopt accepts any type. Throws Error(Io) naming the file when it cannot be read.
  NdjsonImportSummary import_file(const std::filesystem::path& path,
                                  const std::optional<std::string>& resource_type,
                                  const ImportProgress& progress = {});
  /// The same from a stream; `source` names it in quarantine entries ("<source>:<line>").
  NdjsonImportSummary import_stream(std::istream& input, std::string_view source,
                                    std::uint64_t total_bytes,
                                    const std::optional<std::string>& resource_type,
                                    const ImportProgress& progress = {});

 private:
  class Batch;
  /// Stamps, prefixes the reason with its code, hands the entry to the sink and counts it.
  void quarantine(store::QuarantineEntry& entry, LineRejection reason,
                  NdjsonImportSummary& summary);

  store::fhir::ResourceStore& store_;
  const validation::Validator& validator_;
  const indexing::IndexExtractor& extractor_;
  LineQuarantine quarantine_;
  NdjsonImportSettings settings_;
};

}  // namespace ptwin::ingest::fhir::bulk
