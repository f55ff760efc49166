// SPDX-License-Identifier: Apache-2.0
// `ptwin ingest FILE...`: imports files into a twin database with a progress bar per file and a
// summary of what was accepted and what was quarantined (docs/ingest.md#ptwin-ingest). A file
// that cannot be read stops the run with an error naming it; bad records inside a file are
// quarantined with their bytes and reason and counted, never dropped.

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "ingest_files.hpp"
#include "progress_bar.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/core/error.hpp"
#include "read_file.hpp"

namespace ptwin::app {
namespace {

struct IngestOptions {
  std::vector<std::string> files;
  std::string database = "ptwin.db";
  std::string format = "auto";
};

std::string with_extension_lower(const std::filesystem::path& file) {
  auto name = file.filename().string();
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

FileImportResult import_file(FileFormat format, const std::filesystem::path& file,
                             IngestContext& context, const ImportProgress& progress) {
  switch (format) {
    case FileFormat::Hl7v2: return import_hl7v2_file(file, context, progress);
  }
  throw Error(ErrorCode::Internal, "unhandled file format");
}

void run_ingest(const IngestOptions& o) {
  time::SystemClock clock;
  store::SqliteStore store(o.database);
  IngestContext context{store, clock};
  const auto quarantined_before = store.count_quarantined();
  struct Row {
    std::string file;
    std::string format;
    FileImportResult result;
  };
  std::vector<Row> rows;
  for (const auto& name : o.files) {
    const std::filesystem::path file(name);
    const auto format = choose_format(o.format, file);
    ProgressBar bar(file.filename().string().substr(0, 16));
    const auto result = import_file(format, file, context, [&](std::int64_t done, std::int64_t total) {
      bar.update(done, total, "bytes");
    });
    bar.finish(fmt::format("{} {}: {} accepted, {} quarantined, {} skipped", result.records,
                           result.unit, result.accepted, result.quarantined, result.skipped));
    rows.push_back({file.string(), std::string(format_name(format)), result});
  }
  fmt::print("{:<32} {:<8} {:>10} {:>10} {:>12} {:>8}  {}\n", "file", "format", "records",
             "accepted", "quarantined", "skipped", "unit");
  for (const auto& row : rows) {
    fmt::print("{:<32} {:<8} {:>10} {:>10} {:>12} {:>8}  {}\n", row.file, row.format,
               row.result.records, row.result.accepted, row.result.quarantined,
               row.result.skipped, row.result.unit);
    if (!row.result.detail.empty()) fmt::print("  {}\n", row.result.detail);
  }
  fmt::print("database {}: {} entries added to the quarantine (reasons and raw bytes in its "
             "quarantine table)\n",
             o.database, store.count_quarantined() - quarantined_before);
}

}  // namespace

std::string_view format_name(FileFormat format) {
  switch (format) {
    case FileFormat::Hl7v2: return "hl7v2";
  }
  return "?";
}

FileFormat choose_format(std::string_view option, const std::filesystem::path& file) {
  if (option == "hl7v2") return FileFormat::Hl7v2;
  if (option != "auto") {
    throw InputError(ErrorCode::BadInput, "--format", std::string(option),
                     "must be auto or hl7v2");
  }
  const auto name = with_extension_lower(file);
  for (const char* extension : {".hl7", ".er7", ".mllp", ".hl7v2"}) {
    if (name.ends_with(extension)) return FileFormat::Hl7v2;
  }
  // By content: an HL7 v2 message, batch or MLLP capture starts with MSH, FHS, BHS or 0x0B.
  const auto bytes = read_file_head(file, 4096);
  const auto first = bytes.find_first_not_of(" \t\r\n");
  if (first != std::string::npos) {
    const auto head = std::string_view(bytes).substr(first, 3);
    if (head == "MSH" || head == "FHS" || head == "BHS" || head.starts_with('\x0b')) {
      return FileFormat::Hl7v2;
    }
  }
  throw InputError(ErrorCode::BadInput, fmt::format("{}", file.string()), "",
                   "is of no format ptwin ingest reads (by extension or first bytes); name it "
                   "with --format");
}

Command register_ingest(CLI::App& app) {
  auto options = std::make_shared<IngestOptions>();
  auto* sub = app.add_subcommand(
      "ingest",
      "Import files into a twin database: HL7 v2 (ER7 text, batch files, MLLP captures). Shows "
      "a progress bar per file and a summary of records accepted, quarantined (kept raw with "
      "the reason in the database's quarantine table) and skipped.");
  sub->add_option("files", options->files, "files to import")->required()->check(CLI::ExistingFile);
  sub->add_option("--db", options->database, "SQLite file of the twin")->capture_default_str();
  sub->add_option("--format", options->format, "auto (by extension, then content) or hl7v2")
      ->capture_default_str();
  return {sub, [options] { run_ingest(*options); }};
}

}  // namespace ptwin::app
