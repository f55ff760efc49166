// SPDX-License-Identifier: Apache-2.0
// Search by each parameter type, modifier and prefix, chaining, _has, _sort, paging and
// _include/_revinclude, on every backend. The examples follow the R5 search page.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fhir_store_fixture.hpp"

namespace ptwin::store::fhir {
namespace {

using namespace std::chrono_literals;
using test_support::date_criterion;
using test_support::FhirStoreTest;
using test_support::observation;
using test_support::patient;
using test_support::quantity_criterion;
using test_support::reference_criterion;
using test_support::string_criterion;
using test_support::token_criterion;
using test_support::utc;

using FhirStoreSearch = FhirStoreTest;
PTWIN_FHIR_STORE_BACKENDS(FhirStoreSearch);

SearchQuery patients(std::vector<Criterion> criteria) {
  return SearchQuery{.resource_type = "Patient", .criteria = std::move(criteria)};
}
SearchQuery observations(std::vector<Criterion> criteria) {
  return SearchQuery{.resource_type = "Observation", .criteria = std::move(criteria)};
}
std::vector<std::string> sorted(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST_P(FhirStoreSearch, StringMatchesAreCaseAndAccentInsensitivePrefixesUnlessExact) {
  // search.html#string: given=eve matches Eve and Evelyn; :contains also Severine; :exact=Eve
  // only Eve.
  const std::string eve = create(patient({.family = "Smith", .given = "Eve"})).id;
  const std::string evelyne = create(patient({.family = "Dupont", .given = "\u00C9velyne"})).id;
  const std::string severine = create(patient({.family = "Roux", .given = "S\u00E9verine"})).id;
  (void)create(patient({.family = "Other", .given = "Adam"}));
  EXPECT_EQ(sorted(ids_of(patients({string_criterion("given", "eve")}))), sorted({eve, evelyne}));
  EXPECT_EQ(sorted(ids_of(patients({string_criterion("given", "EVE", Modifier::Contains)}))),
            sorted({eve, evelyne, severine}));
  EXPECT_EQ(ids_of(patients({string_criterion("given", "Eve", Modifier::Exact)})),
            std::vector{eve});
  EXPECT_TRUE(ids_of(patients({string_criterion("given", "eve", Modifier::Exact)})).empty());
}

TEST_P(FhirStoreSearch, ContainsFindsTheTextAnywhereInTheValue) {
  // search.html#modifiercontains: family:contains=son matches Son, Sonder, Erikson, Samsonite.
  std::vector<std::string> expected;
  for (const char* family : {"Son", "Sonder", "Erikson", "Samsonite"}) {
    expected.push_back(create(patient({.family = family, .given = "X"})).id);
  }
  (void)create(patient({.family = "Smith", .given = "X"}));
  EXPECT_EQ(sorted(ids_of(patients({string_criterion("family", "son", Modifier::Contains)}))),
            sorted(expected));
  EXPECT_EQ(ids_of(patients({string_criterion("family", "son")})).size(), 2U);  // starts with
}

TEST_P(FhirStoreSearch, TokenFormsMatchSystemAndCodeAsTheSpecSays) {
  const std::string loinc = create(observation({.code = "1234-5"})).id;
  NewResource other_system = observation({.code = "1234-5"});
  other_system.index.tokens = {TokenIndex{
      .param = "code", .system = "http://snomed.info/sct", .code = "1234-5", .text = std::nullopt}};
  const std::string snomed = create(other_system).id;
  NewResource no_system = observation({.code = "1234-5"});
  no_system.index.tokens = {
      TokenIndex{.param = "code", .system = std::nullopt, .code = "1234-5", .text = std::nullopt}};
  const std::string bare = create(no_system).id;
  (void)create(observation({.code = "9999-9"}));

  EXPECT_EQ(sorted(ids_of(observations({token_criterion("code", "1234-5")}))),
            sorted({loinc, snomed, bare}));
  EXPECT_EQ(ids_of(observations({token_criterion("code", "http://loinc.org|1234-5")})),
            std::vector{loinc});
  EXPECT_EQ(ids_of(observations({token_criterion("code", "|1234-5")})), std::vector{bare});
  EXPECT_EQ(ids_of(observations({token_criterion("code", "http://snomed.info/sct|")})),
            std::vector{snomed});
  EXPECT_TRUE(ids_of(observations({token_criterion("code", "1234-5a")})).empty());
}

TEST_P(FhirStoreSearch, TokenNotIncludesResourcesWithoutTheParameter) {
  // search.html#token: gender:not=male includes patients without a gender.
  (void)create(patient({.family = "A", .given = "A", .gender = "male"}));
  const std::string female = create(patient({.family = "B", .given = "B", .gender = "female"})).id;
  const std::string none = create(patient({.family = "C", .given = "C"})).id;
  EXPECT_EQ(sorted(ids_of(patients({token_criterion("gender", "male", Modifier::Not)}))),
            sorted({female, none}));
}

TEST_P(FhirStoreSearch, TokenTextMatchesTheStartOfTheDisplay) {
  const std::string headache =
      create(observation({.code = "25064002", .display = "Headache finding"})).id;
  (void)create(observation({.code = "735938006", .display = "Acute headache"}));
  const Criterion text{.param = "code",
                       .type = SearchParamType::Token,
                       .modifier = Modifier::Text,
                       .values = {StringValue{"HEADACHE"}}};
  EXPECT_EQ(ids_of(observations({text})), std::vector{headache});
}

TEST_P(FhirStoreSearch, MissingSelectsResourcesWithOrWithoutTheParameter) {
  const std::string with = create(patient({.family = "A", .given = "A", .gender = "male"})).id;
  const std::string without = create(patient({.family = "B", .given = "B"})).id;
  const auto missing = [](bool is_missing) {
    return Criterion{.param = "gender",
                     .type = SearchParamType::Token,
                     .modifier = Modifier::Missing,
                     .values = {MissingValue{is_missing}}};
  };
  EXPECT_EQ(ids_of(patients({missing(true)})), std::vector{without});
  EXPECT_EQ(ids_of(patients({missing(false)})), std::vector{with});
}

TEST_P(FhirStoreSearch, DatePrefixesCompareRanges) {
  const std::string april = create(observation({.effective = "2024-04-30T23:00:00Z"})).id;
  const std::string may_1 = create(observation({.effective = "2024-05-01T10:00:00Z"})).id;
  const std::string may_31 = create(observation({.effective = "2024-05-31"})).id;  // a whole day
  const std::string june = create(observation({.effective = "2024-06-01T00:00:00Z"})).id;
  const auto date = [&](std::string_view value) {
    return sorted(ids_of(observations({date_criterion("date", value)})));
  };
  EXPECT_EQ(date("2024-05"), sorted({may_1, may_31}));
  EXPECT_EQ(date("2024-05-01"), std::vector{may_1});
  EXPECT_EQ(date("ne2024-05"), sorted({april, june}));
  EXPECT_EQ(date("lt2024-05-01"), std::vector{april});
  EXPECT_EQ(date("le2024-05-01"), sorted({april, may_1}));
  EXPECT_EQ(date("gt2024-05-31T12:00Z"), sorted({may_31, june}));  // the day extends past noon
  EXPECT_EQ(date("sa2024-05-31T12:00Z"), std::vector{june});
  EXPECT_EQ(date("eb2024-05-01"), std::vector{april});
  EXPECT_EQ(date("ge2024-06"), std::vector{june});
}

TEST_P(FhirStoreSearch, OpenEndedPeriodsAreRangesToTheEndOfTime) {
  // search.html#date: ge2013-03-14 includes "from 21-Jan 2013 onwards"; sa does not.
  NewResource ongoing = observation({});
  ongoing.index.dates = {
      DateIndex{.param = "date", .low = utc("2013-01-21T00:00:00Z"), .high = time::Instant::max()}};
  const std::string id = create(ongoing).id;
  EXPECT_EQ(ids_of(observations({date_criterion("date", "ge2013-03-14")})), std::vector{id});
  EXPECT_EQ(ids_of(observations({date_criterion("date", "le2013-03-14")})), std::vector{id});
  EXPECT_TRUE(ids_of(observations({date_criterion("date", "sa2013-03-14")})).empty());
  EXPECT_TRUE(ids_of(observations({date_criterion("date", "eb2013-03-14")})).empty());
}

TEST_P(FhirStoreSearch, QuantityUsesImplicitPrecisionAndUnitRules) {
  const std::string a = create(observation({.value = "5.4", .unit = "mg"})).id;
  const std::string b = create(observation({.value = "5.40", .unit = "mg"})).id;
  const std::string c = create(observation({.value = "5.46", .unit = "mg"})).id;
  const std::string gram = create(observation({.value = "5.4", .unit = "g"})).id;
  const auto quantity = [&](std::string_view value) {
    return sorted(ids_of(observations({quantity_criterion("value-quantity", value)})));
  };
  // search.html#quantity: 5.4 means 5.4(+/-0.05) irrespective of the unit.
  EXPECT_EQ(quantity("5.4"), sorted({a, b, gram}));
  EXPECT_EQ(quantity("5.4|http://unitsofmeasure.org|mg"), sorted({a, b}));
  EXPECT_EQ(quantity("5.4||mg"), sorted({a, b}));
  EXPECT_EQ(quantity("5.40||mg"), std::vector{b});
  // A stored 5.4 covers [5.35, 5.45), part of which lies above 5.4: gt matches it (the range
  // reading of search.html#prefix); a caller wanting points indexes low == high == value.
  EXPECT_EQ(quantity("gt5.4||mg"), sorted({a, b, c}));
  EXPECT_EQ(quantity("gt5.45||mg"), std::vector{c});
  EXPECT_EQ(quantity("le5.4||g"), std::vector{gram});
  EXPECT_EQ(quantity("ap5.4||mg"), sorted({a, b, c}));
}

TEST_P(FhirStoreSearch, ReferencesMatchByTypeAndIdOrById) {
  const std::string p1 = create(patient({.family = "A", .given = "A"})).id;
  const std::string p2 = create(patient({.family = "B", .given = "B"})).id;
  const std::string o1 = create(observation({.subject = "Patient/" + p1})).id;
  const std::string o2 = create(observation({.subject = "Patient/" + p2})).id;
  NewResource external = observation({});
  external.index.references = {reference_index("subject", "http://other.org/fhir/Patient/9")};
  const std::string o3 = create(external).id;
  EXPECT_EQ(ids_of(observations({reference_criterion("subject", "Patient/" + p1)})),
            std::vector{o1});
  EXPECT_EQ(ids_of(observations({reference_criterion("subject", p2)})), std::vector{o2});
  EXPECT_TRUE(ids_of(observations({reference_criterion("subject", "Group/" + p2)})).empty());
  EXPECT_EQ(
      ids_of(observations({reference_criterion("subject", "http://other.org/fhir/Patient/9")})),
      std::vector{o3});
}

TEST_P(FhirStoreSearch, UriMatchesExactlyOrBelowOrAbove) {
  const auto with_url = [](std::string url) {
    NewResource resource{
        .resource_type = "ValueSet", .json = R"({"resourceType":"ValueSet"})", .index = {}};
    resource.index.uris = {UriIndex{.param = "url", .uri = std::move(url)}};
    return resource;
  };
  const std::string exact = create(with_url("http://acme.org/fhir/ValueSet/123")).id;
  const std::string root = create(with_url("http://acme.org/fhir")).id;
  (void)create(with_url("http://other.org/ValueSet/1"));
  const auto uri = [&](Modifier modifier, std::string value) {
    const Criterion criterion{.param = "url",
                              .type = SearchParamType::Uri,
                              .modifier = modifier,
                              .values = {UriValue{std::move(value)}}};
    return sorted(ids_of(SearchQuery{.resource_type = "ValueSet", .criteria = {criterion}}));
  };
  EXPECT_EQ(uri(Modifier::None, "http://acme.org/fhir/ValueSet/123"), std::vector{exact});
  EXPECT_EQ(uri(Modifier::Below, "http://acme.org/fhir"), sorted({exact, root}));
  EXPECT_EQ(uri(Modifier::Above, "http://acme.org/fhir/ValueSet/123/_history/5"),
            sorted({exact, root}));
}

TEST_P(FhirStoreSearch, IdAndLastUpdatedSearchTheResourceItself) {
  const std::string first = create(patient({.family = "A", .given = "A"})).id;
  clock_.advance(24h);
  const std::string second = create(patient({.family = "B", .given = "B"})).id;
  const Criterion by_id{
      .param = "_id", .type = SearchParamType::Token, .values = {TokenValue{std::nullopt, second}}};
  EXPECT_EQ(ids_of(patients({by_id})), std::vector{second});
  EXPECT_EQ(ids_of(patients({date_criterion("_lastUpdated", "2024-05-01")})), std::vector{first});
  EXPECT_EQ(ids_of(patients({date_criterion("_lastUpdated", "gt2024-05-01")})),
            std::vector{second});
}

TEST_P(FhirStoreSearch, ValuesOfOneParameterAreOredAndParametersAnded) {
  const std::string male_smith =
      create(patient({.family = "Smith", .given = "A", .gender = "male"})).id;
  const std::string female_smith =
      create(patient({.family = "Smith", .given = "B", .gender = "female"})).id;
  (void)create(patient({.family = "Jones", .given = "C", .gender = "male"}));
  Criterion either = string_criterion("family", "smith");
  either.values.push_back(StringValue{"nobody"});
  EXPECT_EQ(sorted(ids_of(patients({either}))), sorted({male_smith, female_smith}));
  EXPECT_EQ(ids_of(patients({either, token_criterion("gender", "male")})), std::vector{male_smith});
  // A repeated parameter is two criteria: both must hold.
  EXPECT_TRUE(
      ids_of(patients({token_criterion("gender", "male"), token_criterion("gender", "female")}))
          .empty());
}

TEST_P(FhirStoreSearch, ChainedParameterSearchesTheReferencedResource) {
  const std::string smith = create(patient({.family = "Smith", .given = "Eve"})).id;
  const std::string jones = create(patient({.family = "Jones", .given = "Bob"})).id;
  const std::string of_smith = create(observation({.subject = "Patient/" + smith})).id;
  (void)create(observation({.subject = "Patient/" + jones}));
  Criterion chained = string_criterion("family", "smi");
  chained.chain = Chain{.reference_param = "subject", .target_type = "Patient"};
  EXPECT_EQ(ids_of(observations({chained})), std::vector{of_smith});
  chained.chain->target_type = std::nullopt;  // subject.family=smi
  EXPECT_EQ(ids_of(observations({chained})), std::vector{of_smith});
  (void)store().remove("Patient", smith);
  EXPECT_TRUE(ids_of(observations({chained})).empty());
}

TEST_P(FhirStoreSearch, HasSelectsResourcesReferencedByMatchingResources) {
  // search.html#has: Patient?_has:Observation:patient:code=1234-5
  const std::string with = create(patient({.family = "A", .given = "A"})).id;
  const std::string without = create(patient({.family = "B", .given = "B"})).id;
  (void)create(observation({.code = "1234-5", .subject = "Patient/" + with}));
  (void)create(observation({.code = "9999-9", .subject = "Patient/" + without}));
  Criterion has = token_criterion("code", "1234-5");
  has.reverse_chain = ReverseChain{.source_type = "Observation", .reference_param = "patient"};
  EXPECT_EQ(ids_of(patients({has})), std::vector{with});
}

TEST_P(FhirStoreSearch, SortByDateThenStringWithMissingValuesLast) {
  const std::string b = create(patient({.family = "Brown", .given = "B", .birth_date = "1990"})).id;
  const std::string a = create(patient({.family = "adams", .given = "A", .birth_date = "1990"})).id;
  const std::string c =
      create(patient({.family = "Clark", .given = "C", .birth_date = "1980-01-01"})).id;
  const std::string none = create(patient({.family = "Doe", .given = "D"})).id;
  SearchQuery query{.resource_type = "Patient",
                    .sort = {SortKey{.param = "birthdate", .type = SearchParamType::Date},
                             SortKey{.param = "family", .type = SearchParamType::String}}};
  // a and b tie on the date; "adams" sorts case-insensitively before "Brown"; no date: last.
  EXPECT_EQ(ids_of(query), (std::vector{c, a, b, none}));
  query.sort = {SortKey{.param = "family", .type = SearchParamType::String, .is_descending = true}};
  EXPECT_EQ(ids_of(query), (std::vector{none, c, b, a}));
  query.sort = {
      SortKey{.param = "birthdate", .type = SearchParamType::Date, .is_descending = true}};
  EXPECT_EQ(ids_of(query), (std::vector{b, a, c, none}));  // tie: creation order
}

TEST_P(FhirStoreSearch, PagesAreStableCompleteAndReportTotalAndNextOffset) {
  std::vector<std::string> created;
  for (int i = 0; i < 7; ++i) {
    created.push_back(create(patient({.family = "Same", .given = "X", .birth_date = "2000"})).id);
  }
  SearchQuery query{.resource_type = "Patient",
                    .sort = {SortKey{.param = "birthdate", .type = SearchParamType::Date}},
                    .count = 3};
  std::vector<std::string> seen;
  std::vector<std::optional<std::int64_t>> next_offsets;
  for (query.offset = 0; query.offset < 9; query.offset += 3) {
    const SearchResult page = store().search(query);
    EXPECT_EQ(page.total, 7);
    next_offsets.push_back(page.next_offset);
    for (const ResourceVersion& match : page.matches) seen.push_back(match.id);
  }
  EXPECT_EQ(seen, created);  // ties broken by creation order
  EXPECT_EQ(next_offsets, (std::vector<std::optional<std::int64_t>>{3, 6, std::nullopt}));
}

TEST_P(FhirStoreSearch, CountZeroReturnsTheTotalOnly) {
  for (int i = 0; i < 3; ++i) (void)create(patient({.family = "A", .given = "A"}));
  const SearchResult result = store().search(SearchQuery{.resource_type = "Patient", .count = 0});
  EXPECT_EQ(result.total, 3);
  EXPECT_TRUE(result.matches.empty());
  EXPECT_EQ(result.next_offset, std::nullopt);
}

TEST_P(FhirStoreSearch, IncludeAndRevincludeReturnRelatedResourcesOnceAndSeparately) {
  const std::string p1 = create(patient({.family = "A", .given = "A"})).id;
  const std::string p2 = create(patient({.family = "B", .given = "B"})).id;
  const std::string o1 = create(observation({.subject = "Patient/" + p1})).id;
  const std::string o2 = create(observation({.subject = "Patient/" + p1, .value = "130"})).id;
  (void)create(observation({.subject = "Patient/" + p2}));

  SearchQuery included{.resource_type = "Observation",
                       .criteria = {reference_criterion("subject", "Patient/" + p1)},
                       .includes = {Include{.source_type = "Observation", .param = "subject"}}};
  const SearchResult with_subjects = store().search(included);
  EXPECT_EQ(with_subjects.matches.size(), 2U);
  ASSERT_EQ(with_subjects.included.size(), 1U);  // p1 once, although two matches point to it
  EXPECT_EQ(with_subjects.included.front().id, p1);
  included.includes.front().target_type = "Group";
  EXPECT_TRUE(store().search(included).included.empty());

  const SearchQuery revincluded{
      .resource_type = "Patient",
      .criteria = {string_criterion("family", "a")},
      .revincludes = {Include{.source_type = "Observation", .param = "subject"}}};
  const SearchResult with_observations = store().search(revincluded);
  ASSERT_EQ(with_observations.matches.size(), 1U);
  std::vector<std::string> rev_ids;
  for (const ResourceVersion& version : with_observations.included) rev_ids.push_back(version.id);
  EXPECT_EQ(sorted(rev_ids), sorted({o1, o2}));
}

TEST_P(FhirStoreSearch, InvalidQueryIsRejectedBeforeAnySql) {
  const SearchQuery query{.resource_type = "Patient",
                          .criteria = {Criterion{.param = "gender",
                                                 .type = SearchParamType::Token,
                                                 .modifier = Modifier::Exact,
                                                 .values = {TokenValue{std::nullopt, "x"}}}}};
  try {
    (void)store().search(query);
    ADD_FAILURE() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "search parameter 'gender'");
    EXPECT_EQ(error.value(), ":exact");
  }
}

}  // namespace
}  // namespace ptwin::store::fhir
