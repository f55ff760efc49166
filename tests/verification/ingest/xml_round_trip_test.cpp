// SPDX-License-Identifier: Apache-2.0
// FHIR XML against the official R5 examples (hl7.fhir.r5.examples 5.0.0, published as JSON):
// every example of the twin's resource types, written as XML and read back, must be the same
// JSON. Equality is of JSON values, so number spelling ("1.50" vs 1.5) is not compared (JSON
// parsers do not keep it either), and narratives are compared as XHTML (canonical_xhtml).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/xml/fhir_xml.hpp"

namespace ptwin::ingest::fhir::xml {
namespace {

namespace defs = definitions;

const std::filesystem::path kExamples =
    std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR) / "hl7.fhir.r5.examples";

std::string read(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::stringstream text;
  text << stream.rdbuf();
  return text.str();
}

// Narrative divs in the canonical form XML reading gives them (fhir_xml.hpp).
nlohmann::json with_canonical_narratives(nlohmann::json value) {
  if (value.is_object()) {
    for (auto& [key, item] : value.items()) {
      if (key == "div" && item.is_string()) {
        item = canonical_xhtml(item.get<std::string>());
      } else {
        item = with_canonical_narratives(std::move(item));
      }
    }
  } else if (value.is_array()) {
    for (auto& item : value) item = with_canonical_narratives(std::move(item));
  }
  return value;
}

TEST(FhirXmlOfficialExamples, EveryTwinExampleRoundTripsThroughXml) {
  const auto definitions = defs::Definitions::open(std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(kExamples)) {
    const auto name = entry.path().filename().string();
    for (const auto type : defs::kTwinResourceTypes) {
      if (name.starts_with(fmt::format("{}-", type)) && name.ends_with(".json")) {
        files.push_back(entry.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 250U) << "examples package incomplete: run scripts/install_fhir_packages.sh";
  std::size_t round_tripped = 0;
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const auto original = with_canonical_narratives(nlohmann::json::parse(read(file)));
    try {
      const auto xml = write_fhir_xml(original, *definitions);
      const auto back = read_fhir_xml(xml, *definitions);
      if (back != original) {
        ADD_FAILURE() << "differs after XML: " << nlohmann::json::diff(original, back).dump().substr(0, 600);
        continue;
      }
      ++round_tripped;
    } catch (const std::exception& error) {
      ADD_FAILURE() << error.what();
    }
  }
  ::testing::Test::RecordProperty("examples_round_tripped", std::to_string(round_tripped));
  EXPECT_EQ(round_tripped, files.size());
}

}  // namespace
}  // namespace ptwin::ingest::fhir::xml
