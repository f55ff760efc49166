// SPDX-License-Identifier: Apache-2.0
// Every file under tests/data/bad_inputs/ must be rejected with an InputError carrying the error
// code its name states (tests/data/bad_inputs/README.md). The same files seed the fuzzers.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/core/time.hpp"
#include "ptwin/core/twin_config.hpp"
#include "ptwin/core/units.hpp"

namespace ptwin {
namespace {

namespace fs = std::filesystem;

// Below this a corpus folder has lost its files rather than been trimmed on purpose.
constexpr std::size_t kMinimumCasesPerCorpus = 8;

const fs::path kCorpusRoot = fs::path(PTWIN_SOURCE_DIR) / "tests" / "data" / "bad_inputs";

std::string read_bytes(const fs::path& file) {
  std::ifstream stream(file, std::ios::binary);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

std::vector<fs::path> corpus(const std::string& folder) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kCorpusRoot / folder)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The dot-separated fields of a file name without its extension.
std::vector<std::string> name_fields(const fs::path& file) {
  std::vector<std::string> fields;
  std::istringstream stem(file.stem().string());
  for (std::string field; std::getline(stem, field, '.');) fields.push_back(field);
  return fields;
}

std::optional<ErrorCode> code_named(const std::string& name) {
  for (const auto& info : kErrorCodeTable) {
    if (info.name == name) return info.code;
  }
  return std::nullopt;
}

// Runs `parse` and checks that it throws InputError with the code named `code_name`.
void expect_rejected(const fs::path& file, const std::string& code_name,
                     const std::function<void()>& parse) {
  SCOPED_TRACE(file.filename().string());
  const auto expected = code_named(code_name);
  ASSERT_TRUE(expected) << "unknown error code '" << code_name << "' in the file name";
  try {
    parse();
    ADD_FAILURE() << "accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.code(), *expected) << error.what();
  }
}

void parse_time(const std::string& parser, const std::string& text) {
  if (parser == "iso8601") {
    (void)time::parse_iso8601(text);
  } else if (parser == "dicom_dt") {
    (void)time::parse_dicom_dt(text, std::nullopt);
  } else if (parser == "dicom_da_tm") {
    const auto split = text.find('\\');
    ASSERT_NE(split, std::string::npos) << "a dicom_da_tm case needs DA\\TM";
    (void)time::parse_dicom_da_tm(text.substr(0, split), text.substr(split + 1), std::nullopt);
  } else if (parser == "dicom_tz") {
    (void)time::parse_dicom_timezone_offset(text);
  } else {
    FAIL() << "unknown time parser '" << parser << "' in the file name";
  }
}

TEST(BadInputs, EveryTimeCaseIsRejectedWithItsCode) {
  const auto files = corpus("time");
  ASSERT_GE(files.size(), kMinimumCasesPerCorpus);
  for (const auto& file : files) {
    const auto fields = name_fields(file);
    ASSERT_EQ(fields.size(), 3u) << file;
    const auto text = read_bytes(file);
    expect_rejected(file, fields[1], [&] { parse_time(fields[0], text); });
  }
}

TEST(BadInputs, EveryUnitCaseIsRejectedWithItsCode) {
  const auto files = corpus("units");
  ASSERT_GE(files.size(), kMinimumCasesPerCorpus);
  for (const auto& file : files) {
    const auto fields = name_fields(file);
    ASSERT_EQ(fields.size(), 2u) << file;
    const auto text = read_bytes(file);
    expect_rejected(file, fields[0],
                    [&] { (void)units::to_si(1.0, text, units::kPressureDim, "bad_inputs"); });
  }
}

TEST(BadInputs, EveryTwinConfigCaseIsRejectedWithItsCode) {
  const auto files = corpus("twin_config");
  ASSERT_GE(files.size(), kMinimumCasesPerCorpus);
  for (const auto& file : files) {
    const auto fields = name_fields(file);
    ASSERT_EQ(fields.size(), 2u) << file;
    const auto text = read_bytes(file);
    expect_rejected(file, fields[0],
                    [&] { (void)parse_twin_config(text, "/cfg", file.filename().string()); });
  }
}

}  // namespace
}  // namespace ptwin
