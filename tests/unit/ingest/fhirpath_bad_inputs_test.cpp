// SPDX-License-Identifier: Apache-2.0
// Every file in tests/data/bad_inputs/fhirpath/ is a malformed FHIRPath expression that
// Expression::compile() must reject with a ParseError at the position its name states:
// `at-<position>.<case>.txt`, position a 0-based character offset. The same files seed the
// FHIRPath parser fuzzer (fuzz/fhirpath_parser_fuzzer.cpp). To add a case, add a file.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ptwin/ingest/fhir/fhirpath/fhirpath.hpp"

namespace ptwin::ingest::fhir::fhirpath {
namespace {

namespace fs = std::filesystem;

// Below this the corpus has lost files rather than been trimmed on purpose.
constexpr std::size_t kMinimumCases = 20;

const fs::path kCorpus = fs::path(PTWIN_SOURCE_DIR) / "tests" / "data" / "bad_inputs" / "fhirpath";

std::string read_bytes(const fs::path& file) {
  std::ifstream stream(file, std::ios::binary);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

std::vector<fs::path> corpus() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// "at-12.some_case.txt" -> 12.
std::size_t expected_position(const fs::path& file) {
  const std::string stem = file.stem().string();
  EXPECT_EQ(stem.rfind("at-", 0), 0U) << "name must start with at-<position>.";
  return static_cast<std::size_t>(std::stoul(stem.substr(3, stem.find('.') - 3)));
}

TEST(FhirPathBadInputs, EachIsAParseErrorAtTheStatedPosition) {
  const auto files = corpus();
  ASSERT_GE(files.size(), kMinimumCases) << kCorpus;
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const std::string expression = read_bytes(file);
    try {
      (void)Expression::compile(expression);
      ADD_FAILURE() << "accepted";
    } catch (const ParseError& error) {
      EXPECT_EQ(error.position(), expected_position(file)) << error.what();
      EXPECT_LE(error.position(), expression.size());
      EXPECT_EQ(error.code(), ErrorCode::BadInput);
      const std::string message = error.what();
      EXPECT_NE(message.find("at position " + std::to_string(error.position())), std::string::npos)
          << message;
    }
  }
}

}  // namespace
}  // namespace ptwin::ingest::fhir::fhirpath
