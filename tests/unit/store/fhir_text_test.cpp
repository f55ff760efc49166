// SPDX-License-Identifier: Apache-2.0
// String normalisation for search (R5 search.html#string) and the JSON rewrite that sets id and
// meta without touching anything else.
#include <string>

#include <gtest/gtest.h>

#include "fhir_test_support.hpp"
#include "ptwin/store/fhir/detail/resource_json.hpp"
#include "ptwin/store/fhir/string_normalization.hpp"

namespace ptwin::store::fhir {
namespace {

using test_support::expect_input_error;
using test_support::utc;

std::string normalized(std::string_view text) { return normalize_search_string(text, "test"); }

TEST(NormalizeSearchString, FoldsCaseAndPrecomposedAccents) {
  EXPECT_EQ(normalized("\u00C9velyne"), "evelyne");             // Évelyne
  EXPECT_EQ(normalized("M\u00DCLLER"), "muller");               // MÜLLER
  EXPECT_EQ(normalized("Stra\u00DFe"), "strasse");              // Straße
  EXPECT_EQ(normalized("\u0141\u00F3d\u017A"), "lodz");         // Łódź
  EXPECT_EQ(normalized("\u0218tef\u0103nescu"), "stefanescu");  // Ștefănescu
}

TEST(NormalizeSearchString, DropsCombiningMarksOfDecomposedText) {
  EXPECT_EQ(normalized("E\u0301ve"), "eve");
  EXPECT_EQ(normalized("E\u0301ve"), normalized("\u00C9ve"));
}

TEST(NormalizeSearchString, IgnoresPunctuationAndCollapsesWhitespace) {
  EXPECT_EQ(normalized("O'Brien"), "obrien");
  EXPECT_EQ(normalized("  Carre\u00F1o \t Qui\u00F1ones\n"), "carreno quinones");
  EXPECT_EQ(normalized("Smith \u2013 Jones"), "smith jones");  // en dash removed
  EXPECT_EQ(normalized("C++"), "c++");                         // symbols are kept
}

TEST(NormalizeSearchString, LowerCasesGreekAndCyrillic) {
  EXPECT_EQ(normalized("\u0386\u039B\u03A6\u0391"), "\u03B1\u03BB\u03C6\u03B1");  // ΆΛΦΑ → αλφα
  EXPECT_EQ(normalized("\u0401\u043B\u043A\u0430"), "\u0435\u043B\u043A\u0430");  // Ёлка → елка
}

TEST(NormalizeSearchString, InvalidUtf8IsRejectedWithItsOffset) {
  const InputError error = expect_input_error(
      [] { (void)normalize_search_string(std::string("ab\xC3\x28", 4), "name"); });
  EXPECT_EQ(error.where(), "name");
  EXPECT_EQ(error.rule(), "is not valid UTF-8 (byte offset 3)");
}

TEST(PrefixSuccessor, IsTheNextStringAfterAllThatStartWithThePrefix) {
  EXPECT_EQ(prefix_successor("ab"), "ac");
  EXPECT_EQ(prefix_successor("a\u00FF"), "a\u0100");
  EXPECT_EQ(prefix_successor("a\U0010FFFF"), "b");
  EXPECT_EQ(prefix_successor(""), "");
  EXPECT_LT(std::string("abzzzz"), prefix_successor("ab"));
}

// --- id and meta ---------------------------------------------------------------------------

const detail::ResourceIdentity kIdentity{.resource_type = "Observation",
                                         .id = "obs-1",
                                         .version_id = 3,
                                         .last_updated = utc("2024-05-01T12:00:00.25Z")};

TEST(WithIdentity, SetsIdAndMetaAndKeepsDecimalDigits) {
  const std::string json =
      R"({"resourceType":"Observation","status":"final","valueQuantity":{"value":1.50,)"
      R"("unit":"mg"},"component":[{"v":1e2},{"v":-0.0}],"id":"client"})";
  EXPECT_EQ(detail::with_identity(json, kIdentity, detail::BodyIdPolicy::Replace, "create"),
            R"({"resourceType":"Observation","id":"obs-1","meta":{"versionId":"3",)"
            R"("lastUpdated":"2024-05-01T12:00:00.250Z"},"status":"final","valueQuantity":)"
            R"({"value":1.50,"unit":"mg"},"component":[{"v":1e2},{"v":-0.0}]})");
}

TEST(WithIdentity, KeepsOtherMetaMembersAndReplacesServerOnes) {
  const std::string json =
      R"({"resourceType":"Observation","meta":{"versionId":"9","profile":["http://p"]}})";
  EXPECT_EQ(detail::with_identity(json, kIdentity, detail::BodyIdPolicy::Replace, "create"),
            R"({"resourceType":"Observation","id":"obs-1","meta":{"versionId":"3",)"
            R"("lastUpdated":"2024-05-01T12:00:00.250Z","profile":["http://p"]}})");
}

TEST(WithIdentity, StringsKeepTheirCharactersThroughEscaping) {
  const std::string json = R"({"resourceType":"Observation","note":"a\"b\\c\n\u00e9\u0001"})";
  const std::string out =
      detail::with_identity(json, kIdentity, detail::BodyIdPolicy::Replace, "create");
  EXPECT_NE(out.find(R"("note":"a\"b\\c\n)"
                     "\xC3\xA9"
                     R"(\u0001")"),
            std::string::npos)
      << out;
}

TEST(WithIdentity, WrongResourceTypeIsRejectedNamingBoth) {
  const InputError error = expect_input_error([] {
    (void)detail::with_identity(R"({"resourceType":"Patient"})", kIdentity,
                                detail::BodyIdPolicy::Replace, "create Observation/obs-1");
  });
  EXPECT_EQ(error.where(), "create Observation/obs-1: resourceType");
  EXPECT_EQ(error.value(), "Patient");
  EXPECT_EQ(error.rule(), "must be Observation");
}

TEST(WithIdentity, UpdateWithAnotherBodyIdIsRejected) {
  const std::string json = R"({"resourceType":"Observation","id":"obs-2"})";
  const InputError error = expect_input_error([&] {
    (void)detail::with_identity(json, kIdentity, detail::BodyIdPolicy::MustMatch, "update");
  });
  EXPECT_EQ(error.where(), "update: id");
  EXPECT_EQ(error.value(), "obs-2");
  EXPECT_NO_THROW((void)detail::with_identity(R"({"resourceType":"Observation","id":"obs-1"})",
                                              kIdentity, detail::BodyIdPolicy::MustMatch, "u"));
}

TEST(WithIdentity, NonObjectsAndSyntaxErrorsAreRejectedWithoutTheText) {
  const InputError array = expect_input_error([] {
    (void)detail::with_identity("[1]", kIdentity, detail::BodyIdPolicy::Replace, "create");
  });
  EXPECT_EQ(array.rule(), "is not a JSON object");
  const InputError syntax = expect_input_error([] {
    (void)detail::with_identity(R"({"resourceType":"Observation",})", kIdentity,
                                detail::BodyIdPolicy::Replace, "create");
  });
  EXPECT_EQ(syntax.value(), "(31 bytes)");
  EXPECT_NE(syntax.rule().find("syntax error at byte offset"), std::string::npos);
}

TEST(FormatLastUpdated, HasAtLeastMillisecondsAndReadsBackExactly) {
  EXPECT_EQ(detail::format_last_updated(utc("2024-05-01T12:00:00Z")), "2024-05-01T12:00:00.000Z");
  const time::Instant fine = utc("2024-05-01T12:00:00.123456789Z");
  EXPECT_EQ(time::parse_iso8601(detail::format_last_updated(fine)), fine);
}

}  // namespace
}  // namespace ptwin::store::fhir
