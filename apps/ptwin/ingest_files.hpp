// SPDX-License-Identifier: Apache-2.0
#pragma once
// `ptwin ingest`: one importer per file format, all writing into one twin database and
// reporting the same conservation figures (records in = accepted + quarantined + skipped).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "ptwin/core/clock.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace ptwin::app {

enum class FileFormat { Hl7v2 };

[[nodiscard]] std::string_view format_name(FileFormat format);
/// "auto" picks by extension, then by the first bytes; throws InputError naming --format or
/// the file when neither says.
[[nodiscard]] FileFormat choose_format(std::string_view option, const std::filesystem::path& file);

struct FileImportResult {
  std::string unit;  // what a record is: "messages", "resources", "variant records"
  std::int64_t records = 0;
  std::int64_t accepted = 0;
  std::int64_t quarantined = 0;
  std::int64_t skipped = 0;  // read and deliberately not kept (stated per format in docs)
  std::string detail;        // one line: what was stored
};

/// Bytes of the file handled so far, and the file's size.
using ImportProgress = std::function<void(std::int64_t done_bytes, std::int64_t total_bytes)>;

struct IngestContext {
  store::SqliteStore& store;  // samples, patients, quarantine
  const time::Clock& clock;
};

/// HL7 v2 (ER7 text, batch files, MLLP captures) through the same ingestor as the MLLP listener.
[[nodiscard]] FileImportResult import_hl7v2_file(const std::filesystem::path& file,
                                                 IngestContext& context,
                                                 const ImportProgress& progress);

}  // namespace ptwin::app
