// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reading a bad-input corpus of tests/data/bad_inputs/ whose files are named
// <scope>.<error-code>.<case><extension>, each with a <scope>.<error-code>.<case>.expect beside it
// holding one expected message fragment per line (tests/data/bad_inputs/README.md).

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace ptwin::testing {

struct CorpusCase {
  std::filesystem::path input;
  std::string scope;                   // e.g. "document", "message"
  std::string code_name;               // e.g. "missing-field"
  std::vector<std::string> fragments;  // the non-empty lines of the .expect file
};

inline std::string read_bytes(const std::filesystem::path& file) {
  std::ifstream stream(file, std::ios::binary);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

inline std::vector<std::string> expected_fragments(const std::filesystem::path& expect_file) {
  std::istringstream text(read_bytes(expect_file));
  std::vector<std::string> fragments;
  for (std::string line; std::getline(text, line);) {
    if (!line.empty()) fragments.push_back(line);
  }
  return fragments;
}

/// The cases of `scope` in `directory`, sorted by file name. Every file must be an input with
/// `extension` named with one of `scopes`, or its .expect (a failed expectation otherwise).
inline std::vector<CorpusCase> scoped_corpus(const std::filesystem::path& directory,
                                             const std::string& extension,
                                             const std::vector<std::string>& scopes,
                                             const std::string& scope) {
  std::vector<CorpusCase> cases;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    const auto& file = entry.path();
    if (file.extension() == ".expect") {
      EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(file).replace_extension(extension)))
          << file << " has no input beside it";
      continue;
    }
    EXPECT_EQ(file.extension(), extension) << file;
    std::vector<std::string> parts;
    std::istringstream stem(file.stem().string());
    for (std::string part; std::getline(stem, part, '.');) parts.push_back(part);
    EXPECT_EQ(parts.size(), 3U) << file << " is not named <scope>.<error-code>.<case>" << extension;
    if (parts.size() != 3U) continue;
    EXPECT_NE(std::find(scopes.begin(), scopes.end(), parts[0]), scopes.end()) << file;
    if (parts[0] != scope) continue;
    cases.push_back({file, parts[0], parts[1],
                     expected_fragments(std::filesystem::path(file).replace_extension(".expect"))});
  }
  std::sort(cases.begin(), cases.end(),
            [](const auto& a, const auto& b) { return a.input < b.input; });
  return cases;
}

/// Every fragment of the case appears in `message`.
inline void expect_fragments(const std::string& message, const CorpusCase& bad) {
  ASSERT_FALSE(bad.fragments.empty()) << "the case needs a .expect file with at least one line";
  for (const auto& fragment : bad.fragments) {
    EXPECT_NE(message.find(fragment), std::string::npos)
        << "message \"" << message << "\" lacks \"" << fragment << "\"";
  }
}

}  // namespace ptwin::testing
