// SPDX-License-Identifier: Apache-2.0
// The search value syntax (R5 search.html: prefixes, escaping, token, reference, quantity)
// and the checks validate(SearchQuery) makes before any SQL runs.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fhir_test_support.hpp"
#include "ptwin/store/fhir/search_query.hpp"
#include "ptwin/store/fhir/search_values.hpp"

namespace ptwin::store::fhir {
namespace {

using test_support::expect_input_error;

TEST(SplitPrefix, RecognisesTheNinePrefixesOnlyBeforeAValue) {
  EXPECT_EQ(split_prefix("ge2024"), std::make_pair(Prefix::Ge, std::string_view("2024")));
  EXPECT_EQ(split_prefix("ap-5"), std::make_pair(Prefix::Ap, std::string_view("-5")));
  EXPECT_EQ(split_prefix("2024"), std::make_pair(Prefix::Eq, std::string_view("2024")));
  EXPECT_EQ(split_prefix("sa.5"), std::make_pair(Prefix::Sa, std::string_view(".5")));
  EXPECT_EQ(split_prefix("gtx"), std::make_pair(Prefix::Eq, std::string_view("gtx")));
  EXPECT_EQ(split_prefix("xx1"), std::make_pair(Prefix::Eq, std::string_view("xx1")));
}

TEST(Escaping, SplitKeepsEscapedSeparatorsAndUnescapeRemovesTheBackslash) {
  EXPECT_EQ(split_unescaped("a,b\\,c,d", ','), (std::vector<std::string>{"a", "b\\,c", "d"}));
  EXPECT_EQ(unescape_search_value("b\\,c\\|d\\$e\\\\f", "v"), "b,c|d$e\\f");
}

TEST(Escaping, BackslashBeforeAnOrdinaryCharacterIsIllegal) {
  // search.html#escaping: "The parameter value xx\xx is illegal".
  const InputError error = expect_input_error([] { (void)unescape_search_value("xx\\xx", "q"); });
  EXPECT_EQ(error.where(), "q");
  EXPECT_EQ(error.value(), "xx\\xx");
}

TEST(TokenValue, ReadsTheFourForms) {
  EXPECT_EQ(parse_token_value("1234-5", "t"), (TokenValue{std::nullopt, "1234-5"}));
  EXPECT_EQ(parse_token_value("http://loinc.org|1234-5", "t"),
            (TokenValue{"http://loinc.org", "1234-5"}));
  EXPECT_EQ(parse_token_value("|1234-5", "t"), (TokenValue{"", "1234-5"}));
  EXPECT_EQ(parse_token_value("http://loinc.org|", "t"),
            (TokenValue{"http://loinc.org", std::nullopt}));
  EXPECT_EQ(parse_token_value("a\\|b|c", "t"), (TokenValue{"a|b", "c"}));
}

TEST(TokenValue, EmptyOrDoublePipedValuesAreRejected) {
  for (const char* text : {"", "|", "a|b|c"}) {
    const InputError error = expect_input_error([&] { (void)parse_token_value(text, "code"); });
    EXPECT_EQ(error.where(), "code") << text;
  }
}

TEST(ReferenceValue, ReadsLocalVersionedAndAbsoluteForms) {
  EXPECT_EQ(parse_reference_value("123", "r"), (ReferenceValue{.id = "123"}));
  EXPECT_EQ(parse_reference_value("Patient/123", "r"),
            (ReferenceValue{.type = "Patient", .id = "123"}));
  EXPECT_EQ(parse_reference_value("Patient/123/_history/4", "r"),
            (ReferenceValue{.type = "Patient", .id = "123", .version = "4"}));
  EXPECT_EQ(parse_reference_value("http://other.org/fhir/Patient/9", "r"),
            (ReferenceValue{.url = "http://other.org/fhir/Patient/9"}));
  EXPECT_EQ(parse_reference_value("http://acme.org/Questionnaire/q|3.0", "r"),
            (ReferenceValue{.version = "3.0", .url = "http://acme.org/Questionnaire/q"}));
}

TEST(ReferenceValue, MalformedReferencesAreRejectedNamingTheValue) {
  for (const char* text : {"patient/1", "Patient/", "Patient/1/2", "Patient/a b", "A/1/_hist/2"}) {
    const InputError error = expect_input_error([&] { (void)parse_reference_value(text, "subj"); });
    EXPECT_EQ(error.where(), "subj") << text;
    EXPECT_EQ(error.value(), text);
  }
}

TEST(QuantityValue, ReadsPrefixNumberSystemAndCode) {
  const QuantityValue ucum = parse_quantity_value("le5.4|http://unitsofmeasure.org|mg", "q");
  EXPECT_EQ(ucum.number.prefix, Prefix::Le);
  EXPECT_EQ(ucum.number.value, 5.4);
  EXPECT_EQ(ucum.system, "http://unitsofmeasure.org");
  EXPECT_EQ(ucum.code, "mg");
  const QuantityValue code_only = parse_quantity_value("5.4||mg", "q");
  EXPECT_EQ(code_only.system, std::nullopt);
  EXPECT_EQ(code_only.code, "mg");
  EXPECT_EQ(code_only.number.low, 5.35);
  EXPECT_EQ(parse_quantity_value("5.4", "q").code, std::nullopt);
}

TEST(QuantityValue, TwoPartsOrASystemWithoutCodeAreRejected) {
  EXPECT_THROW((void)parse_quantity_value("5.4|mg", "q"), InputError);
  EXPECT_THROW((void)parse_quantity_value("5.4|http://unitsofmeasure.org|", "q"), InputError);
}

TEST(FhirNames, ResourceTypesAndIdsFollowTheFhirSyntax) {
  EXPECT_TRUE(is_resource_type_name("Observation"));
  EXPECT_FALSE(is_resource_type_name("observation"));
  EXPECT_FALSE(is_resource_type_name("Obs1"));
  EXPECT_TRUE(is_resource_id("a-B.9"));
  EXPECT_FALSE(is_resource_id("a_b"));
  EXPECT_FALSE(is_resource_id(std::string(65, 'a')));
}

// --- validate(SearchQuery) -----------------------------------------------------------------

SearchQuery query_with(Criterion criterion) {
  return SearchQuery{.resource_type = "Patient", .criteria = {std::move(criterion)}};
}

TEST(SearchQueryValidation, ModifierOfAnotherTypeIsRejectedNamingTheParameter) {
  const InputError error = expect_input_error([] {
    validate(query_with(Criterion{.param = "birthdate",
                                  .type = SearchParamType::Date,
                                  .modifier = Modifier::Exact,
                                  .values = {DateValue{}}}));
  });
  EXPECT_EQ(error.where(), "search parameter 'birthdate'");
  EXPECT_EQ(error.value(), ":exact");
}

TEST(SearchQueryValidation, ValueOfTheWrongKindIsRejected) {
  const InputError error = expect_input_error([] {
    validate(query_with(Criterion{
        .param = "name", .type = SearchParamType::String, .values = {TokenValue{{}, "x"}}}));
  });
  EXPECT_EQ(error.where(), "search parameter 'name'");
}

TEST(SearchQueryValidation, CriterionWithoutValuesIsRejected) {
  EXPECT_THROW(validate(query_with(Criterion{.param = "name", .type = SearchParamType::String})),
               InputError);
}

TEST(SearchQueryValidation, PageSizeAndOffsetAreBounded) {
  SearchQuery query{.resource_type = "Patient", .count = kMaxPageSize + 1};
  EXPECT_EQ(expect_input_error([&] { validate(query); }).where(), "search parameter '_count'");
  query.count = 0;
  query.offset = -1;
  EXPECT_THROW(validate(query), InputError);
}

TEST(SearchQueryValidation, IncludeMustStartAtTheSearchedType) {
  const SearchQuery query{.resource_type = "Observation",
                          .includes = {Include{.source_type = "Encounter", .param = "subject"}}};
  const InputError error = expect_input_error([&] { validate(query); });
  EXPECT_EQ(error.where(), "search parameter '_include'");
  EXPECT_EQ(error.value(), "Encounter");
}

TEST(SearchQueryValidation, IdTakesNoSystemAndLastUpdatedNoModifier) {
  EXPECT_THROW(
      validate(query_with(Criterion{
          .param = "_id", .type = SearchParamType::Token, .values = {TokenValue{"sys", "1"}}})),
      InputError);
  EXPECT_THROW(validate(query_with(Criterion{.param = "_lastUpdated",
                                             .type = SearchParamType::Date,
                                             .modifier = Modifier::Missing,
                                             .values = {MissingValue{true}}})),
               InputError);
}

TEST(SearchQueryValidation, ChainAndReverseChainTogetherAreRejected) {
  EXPECT_THROW(
      validate(query_with(Criterion{.param = "name",
                                    .type = SearchParamType::String,
                                    .values = {StringValue{"x"}},
                                    .chain = Chain{"subject", "Patient"},
                                    .reverse_chain = ReverseChain{"Observation", "subject"}})),
      InputError);
}

}  // namespace
}  // namespace ptwin::store::fhir
