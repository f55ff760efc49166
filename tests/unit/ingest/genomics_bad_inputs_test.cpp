// SPDX-License-Identifier: Apache-2.0
// Every file of tests/data/bad_inputs/vcf/ is refused the way its name states
// (tests/data/bad_inputs/README.md): a file.<code>.<case>.vcf as a whole, import_vcf throwing
// an InputError of that code; a record.<code>.<case>.vcf record by record, its one bad record
// being the only one quarantined, with that code in the reason. The message must hold each
// line of the case's .expect file: the line, the field and the offending value. The same files
// seed fuzz/vcf_reader_fuzzer.
#include <gtest/gtest.h>

#include <exception>
#include <filesystem>
#include <string>
#include <typeinfo>
#include <vector>

#include "support/bad_input_corpus.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/genomics/vcf_importer.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace ptwin::ingest::genomics {
namespace {

namespace fs = std::filesystem;

// Below this a corpus folder has lost its files rather than been trimmed on purpose.
constexpr std::size_t kMinimumCasesPerScope = 10;

const fs::path kCorpus = fs::path(PTWIN_SOURCE_DIR) / "tests" / "data" / "bad_inputs" / "vcf";

std::vector<::ptwin::testing::CorpusCase> corpus(const std::string& scope) {
  return ::ptwin::testing::scoped_corpus(kCorpus, ".vcf", {"file", "record"}, scope);
}

VcfImportSettings settings() {
  VcfImportSettings result;
  result.patient_id = "p1";
  return result;
}

TEST(VcfBadInputs, EveryFileCaseIsRefusedWholeNamingTheLineAndValue) {
  const auto cases = corpus("file");
  ASSERT_GE(cases.size(), kMinimumCasesPerScope);
  for (const auto& bad : cases) {
    SCOPED_TRACE(bad.input.filename().string());
    store::SqliteStore store(":memory:");
    const time::ManualClock clock;
    try {
      (void)import_vcf(bad.input, settings(), store, clock);
      ADD_FAILURE() << "accepted";
    } catch (const InputError& error) {
      EXPECT_EQ(error_code_info(error.code()).name, bad.code_name) << error.what();
      ::ptwin::testing::expect_fragments(error.what(), bad);
    } catch (const std::exception& error) {
      ADD_FAILURE() << "threw a " << typeid(error).name() << " instead of InputError: "
                    << error.what();
    }
    EXPECT_EQ(store.count_quarantined(), 0);
  }
}

TEST(VcfBadInputs, EveryRecordCaseQuarantinesOnlyItsBadRecordNamingTheFieldAndValue) {
  const auto cases = corpus("record");
  ASSERT_GE(cases.size(), kMinimumCasesPerScope);
  for (const auto& bad : cases) {
    SCOPED_TRACE(bad.input.filename().string());
    store::SqliteStore store(":memory:");
    const time::ManualClock clock;
    try {
      const auto result = import_vcf(bad.input, settings(), store, clock);
      const auto& counts = result.counts;
      EXPECT_EQ(counts.records_quarantined, 1);
      EXPECT_EQ(counts.records_read, counts.pgx_records_mapped + counts.records_outside_catalogue +
                                         counts.records_quarantined);
      const auto entries = store.quarantined(std::nullopt);
      ASSERT_EQ(entries.size(), 1U);
      const auto& reason = entries.front().entry.reason;
      EXPECT_NE(reason.find("[" + bad.code_name + "]"), std::string::npos) << reason;
      ::ptwin::testing::expect_fragments(reason, bad);
      // The quarantined bytes are one line of the input, exactly.
      const auto input = ::ptwin::testing::read_bytes(bad.input);
      EXPECT_NE(input.find(entries.front().entry.raw_bytes + "\n"), std::string::npos);
      EXPECT_FALSE(entries.front().entry.raw_bytes.empty());
    } catch (const std::exception& error) {
      ADD_FAILURE() << "threw: " << error.what();
    }
  }
}

}  // namespace
}  // namespace ptwin::ingest::genomics
