// SPDX-License-Identifier: Apache-2.0
// Package location and file lookup for the hl7.fhir.r5.core package.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/definitions/detail/json_scan.hpp"
#include "ptwin/ingest/fhir/definitions/package.hpp"

namespace ptwin::ingest::fhir::definitions {
namespace {

const std::filesystem::path kPackageParent = PTWIN_FHIR_PACKAGE_DIR;

TEST(FhirPackageLocation, AcceptsThePackageFolderOrItsParent) {
  const auto from_parent = locate_core_package(kPackageParent, std::nullopt);
  EXPECT_EQ(from_parent.filename(), "hl7.fhir.r5.core");
  EXPECT_EQ(locate_core_package(from_parent, std::nullopt), from_parent);
}

TEST(FhirPackageLocation, ExplicitFolderWinsOverEnvironment) {
  const auto found = locate_core_package(kPackageParent, std::string("/nonexistent/fhir"));
  EXPECT_EQ(found.filename(), "hl7.fhir.r5.core");
}

TEST(FhirPackageLocation, UsesEnvironmentValueWhenNoFolderIsGiven) {
  const auto found = locate_core_package(std::nullopt, kPackageParent.string());
  EXPECT_EQ(found.filename(), "hl7.fhir.r5.core");
}

TEST(FhirPackageLocation, MissingPackageNamesTheInstallScriptAndWhereItLooked) {
  try {
    static_cast<void>(locate_core_package(std::nullopt, std::string("/nonexistent/fhir")));
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.code(), ErrorCode::FhirPackageMissing);
    EXPECT_NE(std::string(error.what()).find("scripts/install_fhir_packages.sh"),
              std::string::npos);
    EXPECT_NE(error.value().find("PTWIN_FHIR_PACKAGE_DIR='/nonexistent/fhir'"), std::string::npos);
  }
  try {
    static_cast<void>(locate_core_package(std::nullopt, std::nullopt));
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(error.value().find("not set"), std::string::npos);
  }
}

TEST(FhirPackage, OpenReadsManifest) {
  const auto package = Package::open(locate_core_package(kPackageParent, std::nullopt));
  EXPECT_EQ(package.name(), "hl7.fhir.r5.core");
  EXPECT_EQ(package.version(), "5.0.0");
  EXPECT_EQ(package.fhir_version(), "5.0.0");
}

TEST(FhirPackage, OpenOfAFolderWithoutManifestThrowsPackageMissing) {
  try {
    static_cast<void>(Package::open("/nonexistent/fhir/hl7.fhir.r5.core"));
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.code(), ErrorCode::FhirPackageMissing);
    EXPECT_EQ(error.value(), "/nonexistent/fhir/hl7.fhir.r5.core");
  }
}

TEST(FhirPackage, FindsCoreCanonicalsByNamingRule) {
  const auto package = Package::open(locate_core_package(kPackageParent, std::nullopt));
  EXPECT_EQ(package.find_by_url("StructureDefinition",
                                "http://hl7.org/fhir/StructureDefinition/Observation|5.0.0"),
            "StructureDefinition-Observation.json");
  EXPECT_EQ(package.find_by_url("ValueSet", "http://hl7.org/fhir/ValueSet/observation-status"),
            "ValueSet-observation-status.json");
  EXPECT_EQ(package.find_by_url("CodeSystem", "http://hl7.org/fhir/observation-status"),
            "CodeSystem-observation-status.json");
  EXPECT_FALSE(package.find_by_url("CodeSystem", "http://loinc.org").has_value());
}

TEST(FhirPackage, ScanFindsCanonicalsThatBreakTheNamingRule) {
  const auto package = Package::open(locate_core_package(kPackageParent, std::nullopt));
  // CodeSystem-contract-assetcontext.json holds http://hl7.org/fhir/contract-asset-context.
  const auto urls = package.scan_urls("CodeSystem");
  ASSERT_TRUE(urls.contains("http://hl7.org/fhir/contract-asset-context"));
  EXPECT_EQ(urls.at("http://hl7.org/fhir/contract-asset-context"),
            "CodeSystem-contract-assetcontext.json");
  EXPECT_EQ(urls.size(), package.files_of_type("CodeSystem").size());
}

TEST(FhirPackage, CoreUrlsOfDefinitionsFollowTheNamingRule) {
  // Definitions relies on this to skip scanning for core urls that the rule does not find.
  const auto package = Package::open(locate_core_package(kPackageParent, std::nullopt));
  for (const std::string_view type : {"StructureDefinition", "ValueSet", "SearchParameter"}) {
    const auto prefix = fmt::format("http://hl7.org/fhir/{}/", type);
    std::size_t checked = 0;
    for (const auto& [url, file] : package.scan_urls(type)) {
      if (!url.starts_with(prefix)) continue;
      EXPECT_EQ(package.find_by_url(type, url), file) << url;
      ++checked;
    }
    EXPECT_GT(checked, 100U) << type;
  }
}

TEST(FhirPackage, IndexJsonIsUsedWhenThePackageHasOne) {
  // A package of another publisher: file names that no naming rule predicts.
  const auto dir = std::filesystem::temp_directory_path() / "ptwin-package-index-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "package.json") << R"({"name": "example.ig", "version": "1.0.0",
                                             "fhirVersions": ["5.0.0"]})";
  std::ofstream(dir / ".index.json") << R"({"index-version": 2, "files": [
      {"filename": "vs1.json", "resourceType": "ValueSet", "id": "a",
       "url": "http://example.org/ValueSet/a"}]})";
  std::ofstream(dir / "vs1.json") << R"({"resourceType": "ValueSet", "id": "a",
                                         "url": "http://example.org/ValueSet/a"})";
  const auto package = Package::open(dir);
  EXPECT_TRUE(package.has_index());
  EXPECT_EQ(package.name(), "example.ig");
  EXPECT_EQ(package.find_by_url("ValueSet", "http://example.org/ValueSet/a|1.0.0"), "vs1.json");
  EXPECT_FALSE(package.find_by_url("CodeSystem", "http://example.org/ValueSet/a").has_value());
  EXPECT_EQ(package.read_json("vs1.json").at("id"), "a");
  std::ofstream(dir / "broken.json") << "{";
  try {
    static_cast<void>(package.read_json("broken.json"));
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.code(), ErrorCode::FhirDefinitionInvalid);
    EXPECT_NE(error.where().find("broken.json"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

TEST(FhirJsonScan, SkipsNestedValuesOfEveryKind) {
  const std::string text =
      R"({"a": {"url": "nested"}, "b": ["x", {"url": "y"}, 1.5e3, true, null], "c": "q\"uote",)"
      R"( "url" : "http://example.org/a\/b"})";
  EXPECT_EQ(detail::top_level_string_member(text, "url"), "http://example.org/a/b");
  EXPECT_EQ(detail::top_level_string_member(text, "c"), "q\"uote");
  EXPECT_FALSE(detail::top_level_string_member(text, "a").has_value());  // not a string
  EXPECT_FALSE(detail::top_level_string_member(text, "missing").has_value());
}

TEST(FhirJsonScan, StopsWithoutAnswerOnMalformedOrEscapedText) {
  EXPECT_FALSE(detail::top_level_string_member(R"({"url": "\u0041"})", "url").has_value());
  EXPECT_FALSE(detail::top_level_string_member(R"({"a": [1, {"b": "})", "url").has_value());
  EXPECT_FALSE(detail::top_level_string_member(R"({"url": "open)", "url").has_value());
  EXPECT_FALSE(detail::top_level_string_member("[]", "url").has_value());
  EXPECT_FALSE(detail::top_level_string_member("", "url").has_value());
}

}  // namespace
}  // namespace ptwin::ingest::fhir::definitions
