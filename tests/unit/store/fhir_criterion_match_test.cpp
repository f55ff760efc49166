// SPDX-License-Identifier: Apache-2.0
// store::fhir::matches(): one criterion against one resource's index rows, in memory, example
// by example against the rules of docs/store.md#fhir-search-semantics. That it selects what the
// SQLite search selects is checked on random data in fhir_criterion_match_agreement_test.cpp.
#include "ptwin/store/fhir/criterion_match.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fhir_test_support.hpp"
#include "ptwin/store/fhir/search_values.hpp"

namespace ptwin::store::fhir {
namespace {

using test_support::expect_input_error;
using test_support::utc;

const time::Instant kNow = utc("2024-05-01T12:00:00Z");

Criterion criterion(std::string param, SearchParamType type, Modifier modifier,
                    std::vector<SearchValue> values) {
  Criterion result{
      .param = std::move(param), .type = type, .modifier = modifier, .values = std::move(values)};
  validate(result);
  return result;
}

Criterion token(std::string param, std::string_view text, Modifier modifier = Modifier::None) {
  return criterion(std::move(param), SearchParamType::Token, modifier,
                   {parse_token_value(text, "test")});
}

Criterion string_criterion(std::string text, Modifier modifier = Modifier::None) {
  return criterion("name", SearchParamType::String, modifier, {StringValue{std::move(text)}});
}

IndexRows patient_rows() {
  IndexRows rows;
  rows.strings = {{"name", "Ébert"}, {"name", "Anna-Lena"}};
  rows.tokens = {{"gender", "http://hl7.org/fhir/administrative-gender", "female", std::nullopt},
                 {"code", "http://loinc.org", "8480-6", "Systolic blood pressure"}};
  rows.dates = {date_index("birthdate", "1974-12-25")};
  rows.quantities = {
      quantity_index("value-quantity", "120", "http://unitsofmeasure.org", "mm[Hg]", "mmHg")};
  rows.references = {reference_index("subject", "Patient/123"),
                     reference_index("profile", "http://x.org/StructureDefinition/p|2.0")};
  rows.uris = {{"url", "http://x.org/fhir/ValueSet/a"}};
  return rows;
}

TEST(CriterionMatch, StringsMatchNormalisedPrefixesContainsAndExact) {
  const IndexRows rows = patient_rows();
  EXPECT_TRUE(matches(string_criterion("eb"), rows, kNow));
  EXPECT_TRUE(matches(string_criterion("ANNAL"), rows, kNow));  // '-' is punctuation, dropped
  EXPECT_FALSE(matches(string_criterion("lena"), rows, kNow));
  EXPECT_TRUE(matches(string_criterion("lena", Modifier::Contains), rows, kNow));
  EXPECT_FALSE(matches(string_criterion("ebert", Modifier::Exact), rows, kNow));
  EXPECT_TRUE(matches(string_criterion("Ébert", Modifier::Exact), rows, kNow));
}

TEST(CriterionMatch, TokensMatchSystemAndCodeFormsNotTextAndMissing) {
  const IndexRows rows = patient_rows();
  EXPECT_TRUE(matches(token("gender", "female"), rows, kNow));
  EXPECT_TRUE(matches(token("code", "http://loinc.org|8480-6"), rows, kNow));
  EXPECT_TRUE(matches(token("code", "http://loinc.org|"), rows, kNow));
  EXPECT_FALSE(matches(token("code", "|8480-6"), rows, kNow));  // the row has a system
  EXPECT_FALSE(matches(token("gender", "male"), rows, kNow));
  EXPECT_TRUE(matches(token("gender", "male", Modifier::Not), rows, kNow));
  EXPECT_TRUE(matches(token("status", "final", Modifier::Not), rows, kNow));  // no row at all
  EXPECT_TRUE(matches(
      criterion("code", SearchParamType::Token, Modifier::Text, {StringValue{"systolic BLOOD"}}),
      rows, kNow));
  EXPECT_TRUE(
      matches(criterion("status", SearchParamType::Token, Modifier::Missing, {MissingValue{true}}),
              rows, kNow));
  EXPECT_FALSE(
      matches(criterion("gender", SearchParamType::Token, Modifier::Missing, {MissingValue{true}}),
              rows, kNow));
}

TEST(CriterionMatch, DatesQuantitiesReferencesAndUrisFollowTheSearchRules) {
  const IndexRows rows = patient_rows();
  const auto date = [](std::string_view text) {
    return criterion("birthdate", SearchParamType::Date, Modifier::None,
                     {parse_date_value(text, "test")});
  };
  EXPECT_TRUE(matches(date("1974-12"), rows, kNow));
  EXPECT_TRUE(matches(date("ge1974-12-25"), rows, kNow));
  EXPECT_FALSE(matches(date("gt1974-12-25"), rows, kNow));
  const auto quantity = [](std::string_view text) {
    return criterion("value-quantity", SearchParamType::Quantity, Modifier::None,
                     {parse_quantity_value(text, "test")});
  };
  EXPECT_TRUE(matches(quantity("gt119|http://unitsofmeasure.org|mm[Hg]"), rows, kNow));
  EXPECT_TRUE(matches(quantity("120||mmHg"), rows, kNow));  // the human unit
  EXPECT_FALSE(matches(quantity("120|http://unitsofmeasure.org|kPa"), rows, kNow));
  const auto reference = [](std::string param, std::string_view text) {
    return criterion(std::move(param), SearchParamType::Reference, Modifier::None,
                     {parse_reference_value(text, "test")});
  };
  EXPECT_TRUE(matches(reference("subject", "123"), rows, kNow));
  EXPECT_TRUE(matches(reference("subject", "Patient/123"), rows, kNow));
  EXPECT_FALSE(matches(reference("subject", "Group/123"), rows, kNow));
  EXPECT_TRUE(matches(reference("profile", "http://x.org/StructureDefinition/p|2.0"), rows, kNow));
  EXPECT_FALSE(matches(reference("profile", "http://x.org/StructureDefinition/p|1.0"), rows, kNow));
  const auto uri = [](std::string_view text, Modifier modifier) {
    return criterion("url", SearchParamType::Uri, modifier, {UriValue{std::string(text)}});
  };
  EXPECT_TRUE(matches(uri("http://x.org/fhir", Modifier::Below), rows, kNow));
  EXPECT_TRUE(matches(uri("http://x.org/fhir/ValueSet/a/b", Modifier::Above), rows, kNow));
  EXPECT_FALSE(matches(uri("http://x.org/fhir", Modifier::None), rows, kNow));
}

TEST(CriterionMatch, IdAndLastUpdatedReadTheResourceFacts) {
  const IndexRows rows;
  const ResourceFacts facts{.id = "enc-1", .last_updated = utc("2024-05-01T10:00:00.250Z")};
  EXPECT_TRUE(matches(token("_id", "enc-1"), rows, kNow, facts));
  EXPECT_FALSE(matches(token("_id", "enc-1", Modifier::Not), rows, kNow, facts));
  EXPECT_TRUE(matches(criterion("_lastUpdated", SearchParamType::Date, Modifier::None,
                                {parse_date_value("2024-05-01", "test")}),
                      rows, kNow, facts));
  const InputError error =
      expect_input_error([&] { (void)matches(token("_id", "enc-1"), rows, kNow); });
  EXPECT_NE(std::string(error.what()).find("'_id'"), std::string::npos) << error.what();
}

TEST(CriterionMatch, ChainsAndReverseChainsAreRefusedNamingTheParameter) {
  Criterion chained = token("gender", "female");
  chained.chain = Chain{.reference_param = "subject", .target_type = "Patient"};
  EXPECT_TRUE(needs_other_resources(chained));
  const InputError error =
      expect_input_error([&] { (void)matches(chained, patient_rows(), kNow); });
  EXPECT_NE(std::string(error.what()).find("'gender'"), std::string::npos) << error.what();
  EXPECT_NE(std::string(error.what()).find("subject"), std::string::npos) << error.what();
  Criterion reverse = token("code", "1234-5");
  reverse.reverse_chain = ReverseChain{.source_type = "Observation", .reference_param = "patient"};
  EXPECT_THROW((void)matches(reverse, patient_rows(), kNow), InputError);
}

TEST(CriterionMatch, CriteriaAreAnded) {
  const IndexRows rows = patient_rows();
  const std::vector both{token("gender", "female"), string_criterion("eb")};
  EXPECT_TRUE(matches_all(both, rows, kNow));
  const std::vector one_fails{token("gender", "female"), string_criterion("zz")};
  EXPECT_FALSE(matches_all(one_fails, rows, kNow));
  EXPECT_TRUE(matches_all({}, rows, kNow));
}

}  // namespace
}  // namespace ptwin::store::fhir
