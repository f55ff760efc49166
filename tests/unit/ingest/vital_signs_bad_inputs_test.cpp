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
      const auto bytes = read_bytes(bad.input);
      const auto bundle = read_patient_bundle(bytes, bad.input.filename().string());
      EXPECT_EQ(bundle.patient_id, "p1");
      EXPECT_TRUE(bundle.samples.empty()) << bundle.samples.size() << " samples accepted";
      ASSERT_EQ(bundle.rejected.size(), 1U);
      const auto& rejected = bundle.rejected.front();
      EXPECT_NE(rejected.reason.find("[" + bad.code_name + "]"), std::string::npos)
          << rejected.reason;
      expect_fragments(rejected.reason, bad);
      // The quarantine gets the entry's bytes as received, not a re-serialisation.
      EXPECT_FALSE(rejected.raw.empty());
      EXPECT_NE(bytes.find(rejected.raw), std::string::npos) << rejected.raw;
      EXPECT_EQ(rejected.reason.find("re-serialised"), std::string::npos) << rejected.reason;
    } catch (const std::exception& error) {
      ADD_FAILURE() << "threw a " << typeid(error).name() << ": " << error.what();
    }
  }
}

// Key order, spacing, escapes and number spellings that a JSON round trip would change.
TEST(VitalSignsBadInputs, ARejectedEntryKeepsItsBytesExactly) {
  const std::string bad_entry =
      "{ \"resource\" :{\"resourceType\":\"Observation\", \"id\":\"hr-\\u00e9\",\n"
      "   \"status\":\"final\",\"subject\":{\"reference\":\"Patient/p1\"},\n"
      "   \"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},\n"
      "   \"effectiveDateTime\":\"2026-01-01T10:00:00Z\",\n"
      "   \"valueQuantity\":{\"value\":7.50E1,\"unit\":\"furlongs\",\"code\":\"furlongs\"}}}";
  const std::string text =
      "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[\n"
      " {\"resource\":{\"resourceType\":\"Patient\",\"id\":\"p1\"}},\n " +
      bad_entry + "\n]}";
  const auto bundle = read_patient_bundle(text, "formatted.json");
  ASSERT_EQ(bundle.rejected.size(), 1U);
  EXPECT_EQ(bundle.rejected.front().raw, bad_entry);
}

}  // namespace
}  // namespace ptwin::ingest::fhir
