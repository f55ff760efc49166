// SPDX-License-Identifier: Apache-2.0
// The primitive scanners against the regexes published in the R5 primitive StructureDefinitions:
// never more lenient than the regex, and stricter only where the type's definition text says so
// (listed per case below).
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ptwin/ingest/fhir/definitions/package.hpp"
#include "ptwin/ingest/fhir/validation/primitive_types.hpp"

namespace ptwin::ingest::fhir::validation {
namespace {

using nlohmann::json;

// The regex extension on <type>.value of the package's StructureDefinition-<type>.json.
std::string published_regex(std::string_view type) {
  const auto package = definitions::Package::open(definitions::locate_core_package(
      std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR), std::nullopt));
  const auto sd = package.read_json(fmt::format("StructureDefinition-{}.json", type));
  for (const auto& element : sd.at("snapshot").at("element")) {
    if (element.at("path") != std::string(type) + ".value") continue;
    for (const auto& extension : element.at("type").at(0).value("extension", json::array())) {
      if (extension.value("url", "") == "http://hl7.org/fhir/StructureDefinition/regex") {
        return extension.at("valueString").get<std::string>();
      }
    }
  }
  return {};
}

struct Case {
  std::string_view type;
  std::vector<std::string> samples;
  // Accepted by the published regex but rejected here, because the type's definition says so.
  std::set<std::string> stricter;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> kCases{
      {"date",
       {"2024", "2024-03", "2024-03-01", "2024-02-29", "2023-02-29", "1970-02-30", "2024-04-31",
        "0000", "0001", "24", "2024-3-1", "2024-13", "2024-00-10", "2024-01-32", "2024-01-01Z",
        "2024-01-01T10:00:00Z", " 2024", ""},
       // "Dates SHALL be valid dates"; JSON allows no empty strings.
       {"2023-02-29", "1970-02-30", "2024-04-31", ""}},
      {"dateTime",
       {"2024", "2024-03", "2024-03-01", "2024-03-01T10:00:00Z",
        "2024-03-01T10:00:00.123456789+14:00", "2024-03-01T10:00:00.1234567890Z",
        "2024-03-01T23:59:60-05:30", "2024-03-01T24:00:00Z", "2024-03-01T10:00:00",
        "2024-03-01T10:00Z", "2024-03-01T10:00:00+14:30", "2024-03-01T10:00:00+15:00",
        "2024-03-01+10:00", "2024-03+", "2024-03-01T10:00:00+", "2024Z", "2023-02-29T10:00:00Z",
        "2024-03-01T10:00:00 Z"},
       // A time needs a UTC offset ("If hours and minutes are specified, a UTC offset SHALL be
       // populated"); a bare sign is no offset; dates SHALL be valid.
       {"2024-03-01T10:00:00", "2024-03+", "2024-03-01T10:00:00+", "2023-02-29T10:00:00Z"}},
      {"instant",
       {"2024-03-01T10:00:00Z", "2024-03-01T10:00:00.5+01:00", "2024-03-01T10:00:00", "2024-03-01",
        "2024-03-01T10:00Z", "2024-02-30T10:00:00Z"},
       {"2024-02-30T10:00:00Z"}},
      {"time",
       {"10:00:00", "23:59:60", "24:00:00", "10:00", "10:00:00.123", "10:00:00Z", ""},
       {""}},
      {"code", {"final", "a b", "a  b", " a", "a ", "a\tb", "x\ny", "ü", ""}, {""}},
      {"id",
       {"abc-1.2", std::string(64, 'a'), std::string(65, 'a'), "a_b", "a b", "a/b", "A", ""},
       {}},
      {"uri", {"http://example.org/a", "urn:uuid:x", "a b", "#frag", ""}, {""}},
      {"url", {"http://example.org/a", "a\tb", ""}, {""}},
      {"canonical", {"http://hl7.org/fhir/ValueSet/x|5.0.0", "a b"}, {}},
      {"oid",
       {"urn:oid:1.2.3", "urn:oid:2.16.840", "urn:oid:3.1", "urn:oid:1", "urn:oid:1.02",
        "urn:oid:1.2.", "oid:1.2"},
       {}},
      {"uuid",
       {"urn:uuid:8c3c7b8e-2b1a-4a55-9f57-6f0d9c1e2a10",
        "urn:uuid:8C3C7B8E-2B1A-4A55-9F57-6F0D9C1E2A10", "8c3c7b8e-2b1a-4a55-9f57-6f0d9c1e2a10",
        "urn:uuid:8c3c7b8e2b1a4a559f576f0d9c1e2a10"},
       {}},
      {"base64Binary", {"QUJD", "QUI=", "QQ==", "QQ=", "Q===", "QU JD", "QUJDRA", ""}, {""}},
      {"integer64",
       {"0", "-12", "+12", "012", "-0", "9223372036854775807", "9223372036854775808", "1.5", ""},
       // 64-bit range (integer64 definition); JSON allows no empty strings.
       {"9223372036854775808", ""}},
      {"string", {"a", " ", "\n", ""}, {}},
      {"markdown", {"# title", ""}, {}},
  };
  return kCases;
}

TEST(FhirPrimitiveTypes, ScannersAgreeWithPublishedRegexes) {
  for (const auto& test_case : cases()) {
    const auto pattern = published_regex(test_case.type);
    ASSERT_FALSE(pattern.empty()) << test_case.type;
    const std::regex regex(pattern);
    for (const auto& sample : test_case.samples) {
      const bool regex_accepts = std::regex_match(sample, regex);
      const bool accepted = !check_primitive_text(test_case.type, sample).has_value();
      const bool expected = regex_accepts && !test_case.stricter.contains(sample);
      EXPECT_EQ(accepted, expected) << test_case.type << " '" << sample << "' regex " << pattern;
    }
  }
}

TEST(FhirPrimitiveTypes, JsonKindsFollowTheType) {
  EXPECT_FALSE(check_primitive_json("boolean", json(true)).has_value());
  EXPECT_TRUE(check_primitive_json("boolean", json("true")).has_value());
  EXPECT_FALSE(check_primitive_json("integer", json(-2147483648LL)).has_value());
  EXPECT_TRUE(check_primitive_json("integer", json(2147483648LL)).has_value());
  EXPECT_TRUE(check_primitive_json("integer", json(1.0)).has_value());
  EXPECT_TRUE(check_primitive_json("positiveInt", json(0)).has_value());
  EXPECT_FALSE(check_primitive_json("unsignedInt", json(0U)).has_value());
  EXPECT_TRUE(check_primitive_json("unsignedInt", json(-1)).has_value());
  EXPECT_FALSE(check_primitive_json("decimal", json(0.1)).has_value());
  EXPECT_FALSE(check_primitive_json("decimal", json(3)).has_value());
  EXPECT_TRUE(check_primitive_json("decimal", json("0.1")).has_value());
  EXPECT_FALSE(check_primitive_json("integer64", json("123")).has_value());
  EXPECT_TRUE(check_primitive_json("integer64", json(123)).has_value());  // a string in R5 JSON
  EXPECT_TRUE(check_primitive_json("string", json(5)).has_value());
}

TEST(FhirPrimitiveTypes, XhtmlNeedsADivInTheXhtmlNamespace) {
  EXPECT_FALSE(check_primitive_text("xhtml", R"(<div xmlns="http://www.w3.org/1999/xhtml">x</div>)")
                   .has_value());
  EXPECT_TRUE(check_primitive_text("xhtml", "<div>x</div>").has_value());
  EXPECT_TRUE(check_primitive_text("xhtml", "<p>x</p>").has_value());
}

TEST(FhirPrimitiveTypes, MessagesNameTheRuleBroken) {
  EXPECT_EQ(check_primitive_text("date", "1970-02-30"), "names day 30 of a month that has 28 days");
  EXPECT_EQ(check_primitive_text("dateTime", "2024-03-01T10:00:00"),
            "needs a UTC offset (Z or +hh:mm / -hh:mm)");
  EXPECT_EQ(check_primitive_text("id", "a_b"), "may hold only A-Z a-z 0-9 - and .");
}

TEST(FhirPrimitiveTypes, LongInputDoesNotRecurse) {
  // std::regex would recurse per character here; the scanners are loops.
  const std::string long_code(1 << 20, 'a');
  EXPECT_FALSE(check_primitive_text("code", long_code).has_value());
  const std::string long_base64(1 << 20, 'A');
  EXPECT_FALSE(check_primitive_text("base64Binary", long_base64).has_value());
}

}  // namespace
}  // namespace ptwin::ingest::fhir::validation
