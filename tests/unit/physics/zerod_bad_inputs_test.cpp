// SPDX-License-Identifier: Apache-2.0
// Every file of tests/data/bad_inputs/zerod_model/ and .../svzerod/ must be rejected with an
// InputError carrying the error code its name states, and a message holding each line of the
// case's .expect file: the block or field and the offending value
// (tests/data/bad_inputs/README.md). The same files seed the fuzzers in fuzz/.
#include <gtest/gtest.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <typeinfo>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/physics/zerod/model_builder.hpp"
#include "ptwin/physics/zerod/svzerod_import.hpp"

namespace ptwin::physics::zerod {
namespace {

namespace fs = std::filesystem;

// Below this a corpus folder has lost its files rather than been trimmed on purpose.
constexpr std::size_t kMinimumCasesPerCorpus = 8;

const fs::path kCorpusRoot = fs::path(PTWIN_SOURCE_DIR) / "tests" / "data" / "bad_inputs";

struct BadInputCase {
  fs::path input;
  std::string code_name;               // first dot-separated field of the file name
  std::vector<std::string> fragments;  // lines of <case>.expect
};

std::vector<std::string> expected_fragments(const fs::path& expect_file) {
  std::ifstream stream(expect_file);
  std::vector<std::string> fragments;
  for (std::string line; std::getline(stream, line);) {
    if (!line.empty()) fragments.push_back(line);
  }
  return fragments;
}

// The cases of one folder: each <code>.<case>.json with its <code>.<case>.expect.
std::vector<BadInputCase> corpus(const std::string& folder) {
  std::vector<BadInputCase> cases;
  for (const auto& entry : fs::directory_iterator(kCorpusRoot / folder)) {
    const auto& file = entry.path();
    if (file.extension() == ".expect") {
      EXPECT_TRUE(fs::exists(fs::path(file).replace_extension(".json")))
          << file << " has no input beside it";
      continue;
    }
    const auto stem = file.stem().string();
    cases.push_back({file, stem.substr(0, stem.find('.')),
                     expected_fragments(fs::path(file).replace_extension(".expect"))});
  }
  std::sort(cases.begin(), cases.end(),
            [](const auto& a, const auto& b) { return a.input < b.input; });
  return cases;
}

/// Runs `parse` on a case and checks the type, the code and the message of what it throws.
void expect_rejected(const BadInputCase& bad, const std::function<void()>& parse) {
  SCOPED_TRACE(bad.input.filename().string());
  ASSERT_FALSE(bad.fragments.empty()) << "the case needs a .expect file with at least one line";
  try {
    parse();
    ADD_FAILURE() << "accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error_code_info(error.code()).name, bad.code_name) << error.what();
    const std::string message = error.what();
    for (const auto& fragment : bad.fragments) {
      EXPECT_NE(message.find(fragment), std::string::npos)
          << "message \"" << message << "\" lacks \"" << fragment << "\"";
    }
  } catch (const std::exception& error) {
    ADD_FAILURE() << "threw a " << typeid(error).name() << " instead of InputError: "
                  << error.what();
  }
}

TEST(ZerodBadInputs, EveryModelCaseIsRejectedNamingTheFieldAndValue) {
  const auto cases = corpus("zerod_model");
  ASSERT_GE(cases.size(), kMinimumCasesPerCorpus);
  for (const auto& bad : cases) {
    expect_rejected(bad, [&] { (void)load_model_file(bad.input); });
  }
}

TEST(ZerodBadInputs, EverySvZeroDCaseIsRejectedNamingTheFieldAndValue) {
  const auto cases = corpus("svzerod");
  ASSERT_GE(cases.size(), kMinimumCasesPerCorpus);
  for (const auto& bad : cases) {
    // import_svzerod directly: load_model_file routes only files with simulation_parameters.
    expect_rejected(bad, [&] {
      const auto source = bad.input.filename().string();
      (void)build_model(import_svzerod(read_json_file(bad.input), SvZeroDUnits::Cgs, source),
                        source);
    });
  }
}

}  // namespace
}  // namespace ptwin::physics::zerod
