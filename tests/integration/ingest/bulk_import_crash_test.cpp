// SPDX-License-Identifier: Apache-2.0
// "What the import reported committed survives a crash, and no batch is half-written": a child
// process imports an NDJSON file into a SQLite resource store (synchronous FULL, batches of
// 25, the next batch prepared on other threads while one is written) and sends the byte offset
// of each progress report (made after the batch's commit) through a pipe; the parent kills it
// with SIGKILL after a few reports, while it is writing, then reopens both databases and
// checks them against the file.
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/fhir/bulk/ndjson_importer.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"
#include "ptwin/ingest/fhir/validation/fhirpath_invariants.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"
#include "ptwin/store/fhir/sqlite_resource_store.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace ptwin::ingest::fhir::bulk {
namespace {

namespace fs = std::filesystem;
namespace sf = store::fhir;
using nlohmann::json;

constexpr std::size_t kBatchSize = 25;
constexpr int kLines = 1500;          // 60 batches: the kill lands long before the end
constexpr int kKillAfterReports = 4;  // progress reports read before the kill

bool is_bad_line(int line) { return line % 10 == 3; }  // 3, 13, 23, ...: one per 10

std::string observation_line(int line) {
  json observation{
      {"resourceType", "Observation"},
      {"id", fmt::format("obs-{}", line)},
      {"status", "final"},
      {"code", {{"coding", {{{"system", "http://loinc.org"}, {"code", "8867-4"}}}}}},
      {"subject", {{"reference", "Patient/p1"}}},
      {"effectiveDateTime", "2024-05-01T10:00:00Z"},
      {"valueQuantity",
       {{"value", 60 + line % 40}, {"unit", "/min"}, {"system", "http://unitsofmeasure.org"},
        {"code", "/min"}}}};
  if (is_bad_line(line)) observation.erase("status");  // invalid: status is required
  return observation.dump();
}

struct Fhir {
  std::unique_ptr<definitions::Definitions> definitions;
  std::unique_ptr<validation::Validator> validator;
  std::unique_ptr<indexing::IndexExtractor> extractor;
};

// Runs in the child; never returns normally (it is killed, or exits non-zero on a failure).
[[noreturn]] void import_until_killed(const Fhir& fhir, const fs::path& file,
                                      const fs::path& store_path,
                                      const fs::path& quarantine_path, int report_fd) {
  try {
    const time::SystemClock clock;
    sf::SqliteResourceStore store(store_path, clock);
    store::SqliteStore quarantine(quarantine_path);
    NdjsonImporter importer(
        store, *fhir.validator, *fhir.extractor,
        [&](const store::QuarantineEntry& entry) { (void)quarantine.quarantine(entry); },
        NdjsonImportSettings{.batch_size = kBatchSize, .max_line_bytes = 4096,
                             .prepare_threads = 2});
    (void)importer.import_file(file, "Observation", [&](std::uint64_t done, std::uint64_t) {
      if (write(report_fd, &done, sizeof done) != static_cast<ssize_t>(sizeof done)) _exit(3);
    });
    _exit(4);  // the whole file imported before the kill: the test did not test a crash
  } catch (...) {
    _exit(5);
  }
}

TEST(BulkImportCrash, WhatWasReportedCommittedSurvivesAKillMidBatch) {
  const fs::path directory =
      fs::temp_directory_path() / fmt::format("ptwin_bulk_crash_{:08x}", std::random_device{}());
  fs::create_directories(directory);
  const fs::path file = directory / "Observation.ndjson";
  std::vector<std::uint64_t> line_end;  // byte offset after line n's LF, n from 1
  line_end.push_back(0);
  {
    std::ofstream out(file, std::ios::binary);
    std::uint64_t offset = 0;
    for (int line = 1; line <= kLines; ++line) {
      const std::string text = observation_line(line) + "\n";
      out << text;
      offset += text.size();
      line_end.push_back(offset);
    }
  }
  Fhir fhir;  // loaded before the fork, so that the child starts importing at once
  fhir.definitions = definitions::Definitions::open(PTWIN_FHIR_PACKAGE_DIR);
  validation::ValidatorOptions options;
  options.invariant_evaluator = validation::make_fhirpath_invariant_evaluator(*fhir.definitions);
  fhir.validator = std::make_unique<validation::Validator>(*fhir.definitions, std::move(options));
  fhir.extractor = std::make_unique<indexing::IndexExtractor>(*fhir.definitions);
  (void)fhir.extractor->parameters("Observation");

  const fs::path store_path = directory / "fhir.db";
  const fs::path quarantine_path = directory / "quarantine.db";
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    import_until_killed(fhir, file, store_path, quarantine_path, pipe_fds[1]);
  }
  close(pipe_fds[1]);
  std::vector<std::uint64_t> reports;
  std::uint64_t done = 0;
  while (reports.size() < kKillAfterReports && read(pipe_fds[0], &done, sizeof done) ==
                                                   static_cast<ssize_t>(sizeof done)) {
    reports.push_back(done);
  }
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  // Reports sent between the last read and the kill count too: they were made after commits.
  while (read(pipe_fds[0], &done, sizeof done) == static_cast<ssize_t>(sizeof done)) {
    reports.push_back(done);
  }
  close(pipe_fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child exited with " << WEXITSTATUS(status)
                                   << " (4: it finished before the kill)";
  ASSERT_GE(reports.size(), static_cast<std::size_t>(kKillAfterReports));

  // The lines the last report covers: each report ends a batch, so a whole number of them.
  const std::uint64_t committed_bytes = reports.back();
  int committed_lines = 0;
  while (committed_lines < kLines && line_end[committed_lines + 1] <= committed_bytes) {
    ++committed_lines;
  }
  ASSERT_EQ(line_end[committed_lines], committed_bytes);
  EXPECT_EQ(committed_lines % static_cast<int>(kBatchSize), 0);
  ASSERT_LT(committed_lines, kLines);

  const time::SystemClock clock;
  sf::SqliteResourceStore store(store_path, clock);
  store::SqliteStore quarantine(quarantine_path);
  // Stored: every good line of a prefix of whole batches at least as long as the reported one
  // (the batch in flight at the kill either committed completely or not at all).
  int stored_lines = 0;
  for (int line = 1; line <= kLines; ++line) {
    const bool is_stored =
        store.read("Observation", fmt::format("obs-{}", line)).status == sf::ReadStatus::Found;
    if (is_stored) stored_lines = line;
    if (line <= committed_lines) {
      EXPECT_EQ(is_stored, !is_bad_line(line)) << "line " << line << " of a reported batch";
    }
  }
  const int stored_batches = (stored_lines + static_cast<int>(kBatchSize) - 1) /
                             static_cast<int>(kBatchSize);
  EXPECT_GE(stored_batches * static_cast<int>(kBatchSize), committed_lines);
  int good_in_stored_batches = 0;
  for (int line = 1; line <= std::min(kLines, stored_batches * static_cast<int>(kBatchSize));
       ++line) {
    if (!is_bad_line(line)) ++good_in_stored_batches;
  }
  sf::SearchQuery query;
  query.resource_type = "Observation";
  query.count = 0;
  EXPECT_EQ(store.search(query).total, good_in_stored_batches) << "a batch is half-written";
  // Quarantined: every bad line of the reported batches, with its raw bytes, in line order.
  const auto records = quarantine.quarantined(std::nullopt);
  std::size_t bad_reported = 0;
  for (int line = 1; line <= committed_lines; ++line) {
    if (!is_bad_line(line)) continue;
    ASSERT_LT(bad_reported, records.size()) << "line " << line << " was not quarantined";
    const store::QuarantineEntry& entry = records[bad_reported].entry;
    EXPECT_EQ(entry.source, fmt::format("Observation.ndjson:{}", line));
    EXPECT_EQ(entry.raw_bytes, observation_line(line));
    EXPECT_TRUE(entry.reason.starts_with("invalid-resource: ")) << entry.reason;
    ++bad_reported;
  }
  fs::remove_all(directory);
}

}  // namespace
}  // namespace ptwin::ingest::fhir::bulk
