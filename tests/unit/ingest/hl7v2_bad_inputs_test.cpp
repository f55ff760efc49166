// SPDX-License-Identifier: Apache-2.0
// Every message of tests/data/bad_inputs/hl7v2/ is refused the way its name states
// (tests/data/bad_inputs/README.md): a message.<code>.<case>.hl7 as a whole, by accept_message
// or map_message, with an InputError of that code; a segment.<code>.<case>.hl7 (an ORU^R01)
// segment by segment, its one OBX coming back as the only rejected segment and no sample
// stored. The message must hold each line of the case's .expect file: the field and the
// offending value. The same files seed fuzz/hl7v2_parser_fuzzer.
#include <gtest/gtest.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

#include "hl7v2_test_support.hpp"
#include "support/bad_input_corpus.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/hl7v2/reader.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

namespace fs = std::filesystem;

// Below this a corpus folder has lost its files rather than been trimmed on purpose.
constexpr std::size_t kMinimumCasesPerScope = 10;

const fs::path kCorpus = fs::path(PTWIN_SOURCE_DIR) / "tests" / "data" / "bad_inputs" / "hl7v2";

using ::ptwin::testing::CorpusCase;
using ::ptwin::testing::expect_fragments;
using ::ptwin::testing::read_bytes;
using BadMessage = CorpusCase;

std::vector<BadMessage> corpus(const std::string& scope) {
  return ::ptwin::testing::scoped_corpus(kCorpus, ".hl7", {"message", "segment"}, scope);
}

MappedMessage read(const std::string& bytes, const std::string& source) {
  const Hl7v2Settings settings;
  return map_message(accept_message(bytes, source, settings), settings);
}

TEST(Hl7v2BadInputs, TheUnchangedMessagesAreAccepted) {
  // The inputs every case starts from (tests/data/bad_inputs/hl7v2: one change each).
  const auto oru = read(test_support::good_oru(), "oru");
  EXPECT_EQ(oru.observations->rejected.size(), 0U);
  const auto adt = read(test_support::hl7(
      {"MSH|^~\\&|ADMIT|HOSP|PTWIN|HOSP|20240501120000+0000||ADT^A01^ADT_A01|ADT0001|P|2.5.1",
       "EVN|A01|20240501120000+0000", test_support::kPid,
       "PV1|1|I|ICU^01^A||||||||||||||||V777^^^HOSP|||||||||||||||||||||||||"
       "20240501081500+0000"}), "adt");
  EXPECT_TRUE(adt.admission.has_value());
}

TEST(Hl7v2BadInputs, EveryMessageCaseIsRefusedWholeNamingTheFieldAndValue) {
  const auto cases = corpus("message");
  ASSERT_GE(cases.size(), kMinimumCasesPerScope);
  for (const auto& bad : cases) {
    SCOPED_TRACE(bad.input.filename().string());
    try {
      (void)read(read_bytes(bad.input), bad.input.filename().string());
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

TEST(Hl7v2BadInputs, EverySegmentCaseIsTheOnlyRejectedSegmentNamingTheFieldAndValue) {
  const auto cases = corpus("segment");
  ASSERT_GE(cases.size(), kMinimumCasesPerScope);
  for (const auto& bad : cases) {
    SCOPED_TRACE(bad.input.filename().string());
    try {
      const auto bytes = read_bytes(bad.input);
      const auto mapped = read(bytes, bad.input.filename().string());
      ASSERT_TRUE(mapped.observations.has_value());
      EXPECT_TRUE(mapped.observations->samples.empty());
      ASSERT_EQ(mapped.observations->rejected.size(), 1U);
      const auto& rejected = mapped.observations->rejected.front();
      EXPECT_NE(rejected.problem.reason.find("[" + bad.code_name + "]"), std::string::npos)
          << rejected.problem.reason;
      expect_fragments(rejected.problem.reason, bad);
      EXPECT_TRUE(rejected.raw_bytes.starts_with("OBX|"));
      EXPECT_NE(bytes.find(rejected.raw_bytes), std::string::npos) << "raw bytes as received";
    } catch (const std::exception& error) {
      ADD_FAILURE() << "threw " << typeid(error).name() << ": " << error.what();
    }
  }
}

}  // namespace
}  // namespace ptwin::ingest::hl7v2
