// SPDX-License-Identifier: Apache-2.0
// NdjsonImporter into a real resource store (SQLite file, or a PostgreSQL schema when
// PTWIN_TEST_POSTGRES_URL is set; skipped otherwise, saying so), with its quarantine in a real
// SqliteStore: ids are kept, batches commit, bad lines are quarantined with their raw bytes,
// "<file>:<line>" and reason, and lines in == accepted + blank + quarantined.
// The bad-input corpus tests/data/bad_inputs/ndjson/<reason>.<case>.ndjson runs here too.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/fhir/bulk/ndjson_importer.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"
#include "ptwin/ingest/fhir/validation/fhirpath_invariants.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"
#include "ptwin/store/fhir/postgres_resource_store.hpp"
#include "ptwin/store/fhir/sqlite_resource_store.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "support/bad_input_corpus.hpp"

namespace ptwin::ingest::fhir::bulk {
namespace {

namespace fs = std::filesystem;
namespace sf = store::fhir;
using nlohmann::json;

enum class Backend { Sqlite, Postgres };

const char* postgres_url() {
  const char* url = std::getenv("PTWIN_TEST_POSTGRES_URL");
  return url != nullptr && *url != '\0' ? url : nullptr;
}

std::string observation(const std::string& id, const std::string& patient, double value) {
  return json{{"resourceType", "Observation"},
              {"id", id},
              {"status", "final"},
              {"code", {{"coding", {{{"system", "http://loinc.org"}, {"code", "8867-4"}}}}}},
              {"subject", {{"reference", "Patient/" + patient}}},
              {"effectiveDateTime", "2024-05-01T10:00:00Z"},
              {"valueQuantity",
               {{"value", value}, {"unit", "/min"}, {"system", "http://unitsofmeasure.org"},
                {"code", "/min"}}}}
      .dump();
}

std::string patient(const std::string& id) {
  return json{{"resourceType", "Patient"}, {"id", id}, {"gender", "female"}}.dump();
}

// Line `number` (from 1) of `text`, without its LF.
std::string line_of(const std::string& text, int number) {
  std::istringstream lines(text);
  std::string line;
  for (int n = 0; n < number; ++n) std::getline(lines, line);
  return line;
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& backend) {
  return backend.param == Backend::Sqlite ? "Sqlite" : "Postgres";
}

class BulkImportTest : public ::testing::TestWithParam<Backend> {
 protected:
  static void SetUpTestSuite() {
    definitions_ = definitions::Definitions::open(PTWIN_FHIR_PACKAGE_DIR);
    validation::ValidatorOptions options;
    options.invariant_evaluator = validation::make_fhirpath_invariant_evaluator(*definitions_);
    validator_ = std::make_unique<validation::Validator>(*definitions_, std::move(options));
    extractor_ = std::make_unique<indexing::IndexExtractor>(*definitions_);
  }
  static void TearDownTestSuite() {
    extractor_.reset();
    validator_.reset();
    definitions_.reset();
  }

  void SetUp() override {
    const std::string unique = fmt::format("{:08x}", std::random_device{}());
    directory_ = fs::temp_directory_path() / fmt::format("ptwin_bulk_import_{}", unique);
    fs::create_directories(directory_);
    if (GetParam() == Backend::Postgres) {
      if (postgres_url() == nullptr) {
        GTEST_SKIP() << "PTWIN_TEST_POSTGRES_URL is not set, so the PostgreSQL backend is not "
                        "tested here; run the tests under scripts/with_postgres.sh";
      }
      schema_ = "bulk_import_" + unique;
      store_ = std::make_unique<sf::PostgresResourceStore>(postgres_url(), clock_,
                                                           sf::PostgresOptions{.schema = schema_});
    } else {
      store_ = std::make_unique<sf::SqliteResourceStore>(directory_ / "fhir.db", clock_);
    }
    quarantine_ = std::make_unique<store::SqliteStore>(directory_ / "quarantine.db");
  }

  void TearDown() override {
    store_.reset();
    quarantine_.reset();
    if (!schema_.empty()) {
      PGconn* connection = PQconnectdb(postgres_url());
      PQsetNoticeProcessor(connection, [](void*, const char*) {}, nullptr);
      PQclear(PQexec(connection, fmt::format("DROP SCHEMA \"{}\" CASCADE", schema_).c_str()));
      PQfinish(connection);
    }
    fs::remove_all(directory_);
  }

  NdjsonImporter importer(NdjsonImportSettings settings = {}) {
    return NdjsonImporter(*store_, *validator_, *extractor_,
                          [this](const store::QuarantineEntry& entry) {
                            (void)quarantine_->quarantine(entry);
                          },
                          settings);
  }

  fs::path write_file(const std::string& name, const std::string& text) {
    const fs::path path = directory_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  std::int64_t count(const std::string& type, std::vector<sf::Criterion> criteria = {}) {
    sf::SearchQuery query;
    query.resource_type = type;
    query.criteria = std::move(criteria);
    query.count = 0;
    return store_->search(query).total;
  }

  time::ManualClock clock_{time::parse_iso8601("2024-05-02T08:00:00Z")};
  std::unique_ptr<sf::ResourceStore> store_;
  std::unique_ptr<store::SqliteStore> quarantine_;
  fs::path directory_;
  static inline std::unique_ptr<definitions::Definitions> definitions_;
  static inline std::unique_ptr<validation::Validator> validator_;
  static inline std::unique_ptr<indexing::IndexExtractor> extractor_;

 private:
  std::string schema_;
};

TEST_P(BulkImportTest, KeepsIdsAndIndexesAcrossBatches) {
  std::string text;
  for (int i = 0; i < 23; ++i) text += observation(fmt::format("obs-{}", i), "p1", 60.0 + i) + "\n";
  const fs::path file = write_file("Observation.ndjson", text);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> progress;
  auto bulk = importer(NdjsonImportSettings{.batch_size = 5, .max_line_bytes = 4096});
  const NdjsonImportSummary summary = bulk.import_file(
      file, "Observation", [&](std::uint64_t done, std::uint64_t total) {
        progress.emplace_back(done, total);
      });
  EXPECT_EQ(summary.lines, 23);
  EXPECT_EQ(summary.accepted, 23);
  EXPECT_TRUE(summary.is_conserved());
  EXPECT_EQ(count("Observation"), 23);
  const sf::ReadResult read = store_->read("Observation", "obs-7");
  ASSERT_EQ(read.status, sf::ReadStatus::Found);
  EXPECT_EQ(json::parse(read.version->json).at("valueQuantity").at("value"), 67.0);
  // Indexed: the reference search finds every one.
  sf::Criterion subject;
  subject.param = "subject";
  subject.type = sf::SearchParamType::Reference;
  sf::ReferenceValue patient_p1;
  patient_p1.type = "Patient";
  patient_p1.id = "p1";
  subject.values.emplace_back(patient_p1);
  EXPECT_EQ(count("Observation", {subject}), 23);
  // 23 lines in batches of 5: progress after each of the 5 batches, ending at the file size.
  ASSERT_EQ(progress.size(), 5U);
  EXPECT_EQ(progress.back().first, fs::file_size(file));
  EXPECT_EQ(progress.back().second, fs::file_size(file));
  // Importing the same file again updates (version 2), it does not duplicate.
  (void)bulk.import_file(file, "Observation");
  EXPECT_EQ(count("Observation"), 23);
  EXPECT_EQ(store_->read("Observation", "obs-7").version->version_id, 2);
}

TEST_P(BulkImportTest, ConservesEveryLineOfAMixedFile) {
  // 5 good, 2 blank, and each rejection the importer can see before the store.
  std::string text;
  text += observation("a", "p1", 70) + "\n";
  text += "not json at all\n";
  text += observation("b", "p1", 71) + "\r\n";
  text += "   \n";
  text += patient("p1") + "\n";  // a Patient in an Observation file
  text += observation("c", "p1", 72) + "\n";
  text += observation("d", "p1", 73).substr(0, 40) + "\n";
  json invalid = json::parse(observation("f", "p1", 75));
  invalid.erase("status");
  text += invalid.dump() + "\n";
  text += observation("g", "p1", 76).substr(0, 150) + std::string(5000, ' ') + "\n";
  text += "\n";
  text += observation("h", "p1", 77) + "\n";
  text += observation("i", "p1", 78);  // no final LF
  const fs::path file = write_file("mixed.ndjson", text);
  auto bulk = importer(NdjsonImportSettings{.batch_size = 2, .max_line_bytes = 4096});
  const NdjsonImportSummary summary = bulk.import_file(file, "Observation");

  EXPECT_EQ(summary.lines, 12);
  EXPECT_EQ(summary.blank_lines, 2);
  EXPECT_EQ(summary.quarantined(LineRejection::NotJson), 2);
  EXPECT_EQ(summary.quarantined(LineRejection::WrongResourceType), 1);
  EXPECT_EQ(summary.quarantined(LineRejection::InvalidResource), 1);
  EXPECT_EQ(summary.quarantined(LineRejection::LineTooLong), 1);
  EXPECT_EQ(summary.accepted, 12 - 2 - 5);
  // Conservation, counted independently: lines in the file, rows in each store.
  EXPECT_TRUE(summary.is_conserved());
  EXPECT_EQ(count("Observation"), summary.accepted);
  EXPECT_EQ(count("Patient"), 0);
  const auto records = quarantine_->quarantined(std::nullopt);
  ASSERT_EQ(static_cast<std::int64_t>(records.size()), summary.quarantined());
  EXPECT_EQ(summary.lines, count("Observation") + summary.blank_lines +
                               static_cast<std::int64_t>(records.size()));
  // Each entry: source file:line, reason code first, raw bytes exactly as in the file.
  EXPECT_EQ(records[0].entry.source, "mixed.ndjson:2");
  EXPECT_EQ(records[0].entry.raw_bytes, "not json at all");
  EXPECT_TRUE(records[0].entry.reason.starts_with("not-json: ")) << records[0].entry.reason;
  EXPECT_EQ(records[1].entry.source, "mixed.ndjson:5");
  EXPECT_EQ(records[1].entry.raw_bytes, patient("p1"));
  EXPECT_TRUE(records[1].entry.reason.starts_with("wrong-resource-type: "));
  EXPECT_EQ(records[2].entry.source, "mixed.ndjson:7");
  EXPECT_EQ(records[3].entry.source, "mixed.ndjson:8");
  EXPECT_TRUE(records[3].entry.reason.starts_with("invalid-resource: "));
  EXPECT_NE(records[3].entry.reason.find("status"), std::string::npos) << records[3].entry.reason;
  EXPECT_EQ(records[4].entry.source, "mixed.ndjson:9");
  EXPECT_TRUE(records[4].entry.reason.starts_with("line-too-long: "));
  EXPECT_EQ(records[4].entry.raw_bytes.size(), 4096U);
}

TEST_P(BulkImportTest, QuarantinesWhatTheStoreRefusesAndKeepsTheRestOfTheBatch) {
  // The validator accepts an id of 64 characters and more? FHIR ids are at most 64: a 65-
  // character id is refused by the validator or the store; either way it is quarantined and
  // its batch neighbours are stored.
  const std::string long_id(65, 'a');
  std::string text = observation("ok-1", "p1", 70) + "\n" + observation(long_id, "p1", 71) + "\n" +
                     observation("ok-2", "p1", 72) + "\n";
  const fs::path file = write_file("Observation.ndjson", text);
  auto bulk = importer(NdjsonImportSettings{.batch_size = 10, .max_line_bytes = 4096});
  const NdjsonImportSummary summary = bulk.import_file(file, "Observation");
  EXPECT_EQ(summary.accepted, 2);
  EXPECT_EQ(summary.quarantined(), 1);
  EXPECT_TRUE(summary.is_conserved());
  EXPECT_EQ(count("Observation"), 2);
  const auto records = quarantine_->quarantined(std::nullopt);
  ASSERT_EQ(records.size(), 1U);
  EXPECT_EQ(records[0].entry.source, "Observation.ndjson:2");
}

TEST_P(BulkImportTest, BadLinesAtBatchEdgesAreQuarantinedAndTheRestOfEachBatchIsStored) {
  // 30 lines in batches of 7 (the last batch has 2), bad lines first, last and in the middle
  // of batches. The same file on 1, 2 and 3 preparing threads (1: nothing overlaps; more: the
  // next batch is prepared while this one is written) gives the same store and quarantine.
  const std::set<int> bad_lines{1, 7, 11, 15, 29, 30};
  std::vector<std::vector<std::string>> quarantined_per_run;
  for (const std::size_t threads : {1U, 2U, 3U}) {
    SCOPED_TRACE(fmt::format("{} threads", threads));
    const std::string prefix = fmt::format("t{}", threads);
    std::string text;
    for (int line = 1; line <= 30; ++line) {
      const std::string id = fmt::format("{}-obs-{}", prefix, line);
      if (!bad_lines.contains(line)) {
        text += observation(id, "p1", 60.0 + line) + "\n";
      } else if (line % 2 == 0) {
        text += "{\"resourceType\": \"Observation\", \"id\": \"" + id + "\"\n";  // cut short
      } else {
        json invalid = json::parse(observation(id, "p1", 60.0 + line));
        invalid.erase("code");
        text += invalid.dump() + "\n";
      }
    }
    const std::string name = fmt::format("run-{}.ndjson", threads);
    const fs::path file = write_file(name, text);
    const std::size_t before = quarantine_->quarantined(std::nullopt).size();
    std::size_t batches = 0;
    auto bulk = importer(NdjsonImportSettings{
        .batch_size = 7, .max_line_bytes = 4096, .prepare_threads = threads});
    const NdjsonImportSummary summary =
        bulk.import_file(file, "Observation", [&](std::uint64_t, std::uint64_t) { ++batches; });
    EXPECT_EQ(batches, 5U);
    EXPECT_EQ(summary.lines, 30);
    EXPECT_EQ(summary.accepted, 24);
    EXPECT_EQ(summary.quarantined(LineRejection::NotJson), 1);          // line 30
    EXPECT_EQ(summary.quarantined(LineRejection::InvalidResource), 5);  // the odd ones
    EXPECT_TRUE(summary.is_conserved());
    for (int line = 1; line <= 30; ++line) {
      const sf::ReadResult read = store_->read("Observation", fmt::format("{}-obs-{}", prefix, line));
      EXPECT_EQ(read.status, bad_lines.contains(line) ? sf::ReadStatus::NotFound
                                                      : sf::ReadStatus::Found)
          << "line " << line;
    }
    const auto records = quarantine_->quarantined(std::nullopt);
    ASSERT_EQ(records.size(), before + bad_lines.size());
    std::vector<std::string> run;
    auto bad = bad_lines.begin();
    for (std::size_t i = before; i < records.size(); ++i, ++bad) {
      const store::QuarantineEntry& entry = records[i].entry;
      EXPECT_EQ(entry.source, fmt::format("{}:{}", name, *bad));  // in line order
      EXPECT_EQ(entry.raw_bytes, line_of(text, *bad));
      run.push_back(fmt::format("{} {}", *bad, entry.reason.substr(0, entry.reason.find(':'))));
    }
    quarantined_per_run.push_back(std::move(run));
  }
  EXPECT_EQ(quarantined_per_run[0], quarantined_per_run[1]);
  EXPECT_EQ(quarantined_per_run[0], quarantined_per_run[2]);
  EXPECT_EQ(count("Observation"), 3 * 24);
}

TEST_P(BulkImportTest, RejectsEveryCaseOfTheBadInputCorpusForItsReason) {
  const fs::path corpus = fs::path(PTWIN_SOURCE_DIR) / "tests/data/bad_inputs/ndjson";
  std::size_t cases = 0;
  for (const auto& entry : fs::directory_iterator(corpus)) {
    if (entry.path().extension() != ".ndjson") continue;
    ++cases;
    const std::string stem = entry.path().stem().string();
    const std::string reason = stem.substr(0, stem.find('.'));
    SCOPED_TRACE(stem);
    const std::size_t before = quarantine_->quarantined(std::nullopt).size();
    auto bulk = importer(NdjsonImportSettings{.batch_size = 10, .max_line_bytes = 4096});
    const NdjsonImportSummary summary = bulk.import_file(entry.path(), "Observation");
    EXPECT_EQ(summary.lines, 1);
    EXPECT_EQ(summary.accepted, 0);
    EXPECT_EQ(summary.quarantined(), 1);
    EXPECT_TRUE(summary.is_conserved());
    const auto records = quarantine_->quarantined(std::nullopt);
    ASSERT_EQ(records.size(), before + 1);
    const store::QuarantineEntry& quarantined = records.back().entry;
    EXPECT_EQ(quarantined.source, entry.path().filename().string() + ":1");
    EXPECT_TRUE(quarantined.reason.starts_with(reason + ": ")) << quarantined.reason;
    std::string raw = testing::read_bytes(entry.path());
    if (!raw.empty() && raw.back() == '\n') raw.pop_back();
    if (reason == "line-too-long") raw.resize(4096);
    EXPECT_EQ(quarantined.raw_bytes, raw);
    const fs::path expect = fs::path(entry.path()).replace_extension(".expect");
    testing::expect_fragments(quarantined.reason,
                              {entry.path(), "", reason, testing::expected_fragments(expect)});
  }
  EXPECT_GE(cases, 10U);
  EXPECT_EQ(count("Observation"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, BulkImportTest,
                         ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         backend_name);

}  // namespace
}  // namespace ptwin::ingest::fhir::bulk
