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

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/vital_signs_reader.hpp"

namespace ptwin::ingest::fhir {
namespace {

namespace fs = std::filesystem;

// Below this a corpus folder has lost its files rather than been trimmed on purpose.
constexpr std::size_t kMinimumCasesPerScope = 6;

const fs::path kCorpus =
    fs::path(PTWIN_SOURCE_DIR) / "tests" / "data" / "bad_inputs" / "vital_signs";

struct BadBundle {
  fs::path input;
  std::string scope;                   // "document" or "entry"
  std::string code_name;               // e.g. "missing-field"
  std::vector<std::string> fragments;  // lines of <name>.expect
};

std::string read_bytes(const fs::path& file) {
  std::ifstream stream(file, std::ios::binary);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

std::vector<std::string> expected_fragments(const fs::path& expect_file) {
  std::istringstream text(read_bytes(expect_file));
  std::vector<std::string> fragments;
  for (std::string line; std::getline(text, line);) {
    if (!line.empty()) fragments.push_back(line);
  }
  return fragments;
}

std::vector<BadBundle> corpus(const std::string& scope) {
  std::vector<BadBundle> cases;
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    const auto& file = entry.path();
    if (file.extension() == ".expect") {
      EXPECT_TRUE(fs::exists(fs::path(file).replace_extension(".json")))
          << file << " has no input beside it";
      continue;
    }
    std::vector<std::string> fields;
    std::istringstream stem(file.stem().string());
    for (std::string field; std::getline(stem, field, '.');) fields.push_back(field);
    EXPECT_EQ(fields.size(), 3U) << file << " is not named <scope>.<error-code>.<case>.json";
    EXPECT_TRUE(fields[0] == "document" || fields[0] == "entry") << file;
    if (fields.size() != 3U || fields[0] != scope) continue;
    cases.push_back({file, fields[0], fields[1],
                     expected_fragments(fs::path(file).replace_extension(".expect"))});
  }
  std::sort(cases.begin(), cases.end(),
            [](const auto& a, const auto& b) { return a.input < b.input; });
  return cases;
}

void expect_fragments(const std::string& message, const BadBundle& bad) {
  ASSERT_FALSE(bad.fragments.empty()) << "the case needs a .expect file with at least one line";
  for (const auto& fragment : bad.fragments) {
    EXPECT_NE(message.find(fragment), std::string::npos)
        << "message \"" << message << "\" lacks \"" << fragment << "\"";
  }
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
