// SPDX-License-Identifier: Apache-2.0
// Every bundle of tests/data/bad_inputs/vital_signs/ is rejected the way its name states
// (tests/data/bad_inputs/README.md): a document.<code>.<case>.json as a whole, with an InputError
// of that code; an entry.<code>.<case>.json entry by entry, its one Observation coming back as
// the only rejected entry. Either message must hold each line of the case's .expect file: the
// entry and field, and the offending value. The same files seed fuzz/vital_signs_fuzzer.
#include <gtest/gtest.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

#include "support/bad_input_corpus.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/vital_signs_reader.hpp"

namespace ptwin::ingest::fhir {
namespace {

namespace fs = std::filesystem;

// Below this a corpus folder has lost its files rather than been trimmed on purpose.
constexpr std::size_t kMinimumCasesPerScope = 6;

const fs::path kCorpus =
    fs::path(PTWIN_SOURCE_DIR) / "tests" / "data" / "bad_inputs" / "vital_signs";

using ::ptwin::testing::CorpusCase;
using ::ptwin::testing::expect_fragments;
using ::ptwin::testing::read_bytes;
using BadBundle = CorpusCase;

std::vector<BadBundle> corpus(const std::string& scope) {
  return ::ptwin::testing::scoped_corpus(kCorpus, ".json", {"document", "entry"}, scope);
}

TEST(VitalSignsBadInputs, EveryDocumentCaseIsRejectedNamingTheFieldAndValue) {
  const auto cases = corpus("document");
  ASSERT_GE(cases.size(), kMinimumCasesPerScope);
  for (const auto& bad : cases) {
    SCOPED_TRACE(bad.input.filename().string());
    try {
      (void)read_patient_bundle(read_bytes(bad.input), bad.input.filename().string());
      ADD_FAILURE() << "accepted";
    } catch (const InputError& error) {
      EXPECT_EQ(error_code_info(error.code()).name, bad.code_name) << error.what();
      expect_fragments(error.what(), bad);
    } catch (const std::exception& error) {
      ADD_FAILURE() << "threw a " << typeid(error).name() << " instead of InputError: "
                    << error.what();
    }
  }
}

TEST(VitalSignsBadInputs, EveryEntryCaseIsTheOnlyRejectedEntryNamingTheFieldAndValue) {
  const auto cases = corpus("entry");
  ASSERT_GE(cases.size(), kMinimumCasesPerScope);
  for (const auto& bad : cases) {
    SCOPED_TRACE(bad.input.filename().string());
    try {
      const auto bundle =
          read_patient_bundle(read_bytes(bad.input), bad.input.filename().string());
      EXPECT_EQ(bundle.patient_id, "p1");
      EXPECT_TRUE(bundle.samples.empty()) << bundle.samples.size() << " samples accepted";
      ASSERT_EQ(bundle.rejected.size(), 1U);
      const auto& rejected = bundle.rejected.front();
      EXPECT_NE(rejected.reason.find("[" + bad.code_name + "]"), std::string::npos)
          << rejected.reason;
      expect_fragments(rejected.reason, bad);
      EXPECT_FALSE(rejected.raw.empty());
    } catch (const std::exception& error) {
      ADD_FAILURE() << "threw a " << typeid(error).name() << ": " << error.what();
    }
  }
}

}  // namespace
}  // namespace ptwin::ingest::fhir
