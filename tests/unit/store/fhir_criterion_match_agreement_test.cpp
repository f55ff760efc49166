// SPDX-License-Identifier: Apache-2.0
// Property check: for random index rows and random criteria of every indexed type (string,
// token, date, number, quantity, reference, uri, with their modifiers, _id and _lastUpdated),
// store::fhir::matches() on each resource's rows selects exactly the resources the SQLite
// store's search selects. The store runs on a private in-memory database (":memory:"). The seed
// is fixed and printed, so a failure replays.
#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ptwin/core/clock.hpp"
#include "ptwin/store/fhir/criterion_match.hpp"
#include "ptwin/store/fhir/search_values.hpp"
#include "ptwin/store/fhir/sqlite_resource_store.hpp"

namespace ptwin::store::fhir {
namespace {

constexpr unsigned kSeed = 20240612;
constexpr int kResources = 60;
constexpr int kCriteriaPerType = 40;

// Values chosen to collide: case, accents, punctuation and prefixes of one another.
constexpr std::array<std::string_view, 14> kNames{
    "Ébert", "ebert", "Eberhardt", "O'Brien",      "obrien", "Smith-Jones", "smith jones",
    "Σοφία", "σοφια", "Zoë",       "van der Berg", "Anna",   "  anna  ",    "Ödön"};
constexpr std::array<std::string_view, 14> kNameSearches{
    "eb", "Eb", "ébe", "o'b", "obr", "smith", "jones", "σοφ", "zo", "zoë", "ann", "", "er b", "öd"};
constexpr std::array<std::string_view, 3> kSystems{"http://a.org", "http://b.org", ""};
constexpr std::array<std::string_view, 4> kCodes{"x", "y", "X", "x-1"};
constexpr std::array<std::string_view, 4> kTexts{"Blood pressure", "blood sugar", "Ödem", ""};
constexpr std::array<std::string_view, 9> kTokenSearches{
    "x", "X", "http://a.org|x", "|x", "http://a.org|", "http://b.org|y", "z", "|y", "x-1"};
constexpr std::array<std::string_view, 5> kTextSearches{"blood", "BLOOD p", "öd", "od", ""};
constexpr std::array<std::string_view, 3> kUnits{"mm[Hg]", "kPa", ""};
constexpr std::array<std::string_view, 6> kReferences{"Patient/1",
                                                      "Patient/2",
                                                      "Group/1",
                                                      "Patient/1/_history/3",
                                                      "http://other.org/fhir/Patient/1",
                                                      "http://x.org/ValueSet/vs|2.0"};
constexpr std::array<std::string_view, 9> kReferenceSearches{"1",
                                                             "2",
                                                             "Patient/1",
                                                             "Group/1",
                                                             "Patient/1/_history/3",
                                                             "http://other.org/fhir/Patient/1",
                                                             "http://x.org/ValueSet/vs|2.0",
                                                             "http://x.org/ValueSet/vs",
                                                             "Device/1"};
constexpr std::array<std::string_view, 4> kUris{"http://a.org/fhir", "http://a.org/fhir/x",
                                                "http://b.org", "urn:oid:1.2"};
constexpr std::array<std::string_view, 6> kUriSearches{"http://a.org",          "http://a.org/fhir",
                                                       "http://a.org/fhir/x/y", "urn:oid:1.2.3",
                                                       "http://b.org",          "urn:oid:1.2"};

class Random {
 public:
  explicit Random(unsigned seed) : engine_(seed) {}
  int integer(int low, int high) { return std::uniform_int_distribution<int>(low, high)(engine_); }
  bool chance(int percent) { return integer(1, 100) <= percent; }
  template <typename Array>
  std::string pick(const Array& values) {
    const int last = static_cast<int>(values.size()) - 1;
    return std::string(values[static_cast<std::size_t>(integer(0, last))]);
  }
  std::optional<std::string> maybe(std::string value) {
    return value.empty() ? std::nullopt : std::optional<std::string>(std::move(value));
  }

  std::string date_text() {
    const int year = integer(2020, 2026);
    switch (integer(0, 3)) {
      case 0:
        return fmt::format("{}", year);
      case 1:
        return fmt::format("{}-{:02}", year, integer(1, 12));
      case 2:
        return fmt::format("{}-{:02}-{:02}", year, integer(1, 12), integer(1, 28));
      default:
        return fmt::format("{}-{:02}-{:02}T{:02}:{:02}Z", year, integer(1, 12), integer(1, 28),
                           integer(0, 23), integer(0, 59));
    }
  }
  std::string number_text() {
    const int scaled = integer(0, 20 * 100);
    switch (integer(0, 2)) {
      case 0:
        return fmt::format("{}", scaled / 100);
      case 1:
        return fmt::format("{}.{}", scaled / 100, (scaled / 10) % 10);
      default:
        return fmt::format("{}.{:02}", scaled / 100, scaled % 100);
    }
  }
  std::string prefix() {
    constexpr std::array<std::string_view, 10> kPrefixes{"",   "eq", "ne", "gt", "lt",
                                                         "ge", "le", "sa", "eb", "ap"};
    return pick(kPrefixes);
  }

 private:
  std::mt19937 engine_;
};

IndexRows random_rows(Random& random) {
  IndexRows rows;
  const auto times = [&] { return random.integer(0, 2); };  // 0 rows tests :missing and :not
  for (int i = times(); i > 0; --i) rows.strings.push_back({"name", random.pick(kNames)});
  for (int i = times(); i > 0; --i) {
    TokenIndex row{.param = "code",
                   .system = random.maybe(random.pick(kSystems)),
                   .code = random.maybe(random.chance(80) ? random.pick(kCodes) : ""),
                   .text = random.maybe(random.pick(kTexts))};
    if (!row.code && !row.text) row.code = "x";
    rows.tokens.push_back(std::move(row));
  }
  for (int i = times(); i > 0; --i) {
    DateIndex row = date_index("date", random.date_text());
    if (random.chance(20)) row.high = time::Instant::max();  // a Period without end
    rows.dates.push_back(row);
  }
  for (int i = times(); i > 0; --i) rows.numbers.push_back(number_index("n", random.number_text()));
  for (int i = times(); i > 0; --i) {
    // One draw per statement: the order of evaluation of arguments is unspecified.
    const std::string unit = random.pick(kUnits);
    const std::string value = random.number_text();
    const bool has_system = random.chance(70);
    rows.quantities.push_back(quantity_index(
        "q", value,
        has_system ? std::optional<std::string>("http://unitsofmeasure.org") : std::nullopt,
        random.maybe(unit), random.maybe(unit == "mm[Hg]" ? "mmHg" : unit)));
  }
  for (int i = times(); i > 0; --i) {
    rows.references.push_back(reference_index("subject", random.pick(kReferences)));
  }
  for (int i = times(); i > 0; --i) rows.uris.push_back({"url", random.pick(kUris)});
  return rows;
}

// One or two values made by `make`.
std::vector<SearchValue> values(Random& random, const std::function<SearchValue()>& make) {
  std::vector<SearchValue> out;
  for (int i = random.integer(1, 2); i > 0; --i) out.push_back(make());
  return out;
}

void randomise_string(Random& random, Criterion& criterion) {
  constexpr std::array kModifiers{Modifier::None, Modifier::Contains, Modifier::Exact};
  criterion.modifier = kModifiers[static_cast<std::size_t>(random.integer(0, 2))];
  criterion.values = values(random, [&]() -> SearchValue {
    return StringValue{criterion.modifier == Modifier::Exact ? random.pick(kNames)
                                                             : random.pick(kNameSearches)};
  });
}

void randomise_token(Random& random, Criterion& criterion) {
  const int kind = random.integer(0, 3);
  if (kind == 0) {
    criterion.modifier = Modifier::Text;
    criterion.values =
        values(random, [&]() -> SearchValue { return StringValue{random.pick(kTextSearches)}; });
    return;
  }
  if (kind == 1) criterion.modifier = Modifier::Not;
  criterion.values = values(random, [&]() -> SearchValue {
    return parse_token_value(random.pick(kTokenSearches), "code");
  });
}

// Dates, numbers and quantities: a random prefix before a random value.
void randomise_range(Random& random, Criterion& criterion) {
  criterion.values = values(random, [&]() -> SearchValue {
    const std::string prefix = random.prefix();
    if (criterion.type == SearchParamType::Date) {
      return parse_date_value(prefix + random.date_text(), "date");
    }
    const std::string number = random.number_text();
    if (criterion.type == SearchParamType::Number) return parse_number_value(prefix + number, "n");
    constexpr std::array<std::string_view, 5> kUnitForms{"", "|http://unitsofmeasure.org|mm[Hg]",
                                                         "||mmHg", "||kPa",
                                                         "|http://unitsofmeasure.org|kPa"};
    return parse_quantity_value(prefix + number + random.pick(kUnitForms), "q");
  });
}

void randomise_link(Random& random, Criterion& criterion) {
  if (criterion.type == SearchParamType::Reference) {
    criterion.values = values(random, [&]() -> SearchValue {
      return parse_reference_value(random.pick(kReferenceSearches), "subject");
    });
    return;
  }
  constexpr std::array kModifiers{Modifier::None, Modifier::Below, Modifier::Above};
  criterion.modifier = kModifiers[static_cast<std::size_t>(random.integer(0, 2))];
  criterion.values =
      values(random, [&]() -> SearchValue { return UriValue{random.pick(kUriSearches)}; });
}

std::string param_of(SearchParamType type) {
  switch (type) {
    case SearchParamType::String:
      return "name";
    case SearchParamType::Token:
      return "code";
    case SearchParamType::Date:
      return "date";
    case SearchParamType::Number:
      return "n";
    case SearchParamType::Quantity:
      return "q";
    case SearchParamType::Reference:
      return "subject";
    case SearchParamType::Uri:
      return "url";
  }
  return "";
}

// A criterion on the parameter of `type`: one or two values with a random modifier the type
// allows, or (one time in ten) :missing.
Criterion random_criterion(Random& random, SearchParamType type) {
  Criterion criterion{
      .param = param_of(type), .type = type, .modifier = Modifier::None, .values = {}};
  if (random.chance(10)) {
    criterion.modifier = Modifier::Missing;
    criterion.values = {MissingValue{random.chance(50)}};
  } else if (type == SearchParamType::String) {
    randomise_string(random, criterion);
  } else if (type == SearchParamType::Token) {
    randomise_token(random, criterion);
  } else if (type == SearchParamType::Reference || type == SearchParamType::Uri) {
    randomise_link(random, criterion);
  } else {
    randomise_range(random, criterion);
  }
  validate(criterion);
  return criterion;
}

struct Stored {
  std::string id;
  time::Instant last_updated;
  IndexRows rows;
};

std::string describe(const Criterion& criterion) {
  return fmt::format("{}{} with {} value(s)", criterion.param, to_string(criterion.modifier),
                     criterion.values.size());
}

class CriterionMatchAgreement : public ::testing::Test {
 protected:
  void store_random_resources(Random& random) {
    for (int i = 0; i < kResources; ++i) {
      NewResource resource{.resource_type = "Observation",
                           .json = R"({"resourceType":"Observation"})",
                           .index = random_rows(random)};
      const ResourceVersion version = store_.create(resource);
      stored_.push_back({version.id, version.last_updated, std::move(resource.index)});
      (void)clock_.advance(std::chrono::hours(7));  // _lastUpdated spreads over ~18 days
    }
  }

  std::set<std::string> searched(const std::vector<Criterion>& criteria) {
    const SearchResult result =
        store_.begin(TransactionMode::ReadOnly)
            ->search(SearchQuery{
                .resource_type = "Observation", .criteria = criteria, .count = kMaxPageSize});
    std::set<std::string> ids;
    for (const ResourceVersion& match : result.matches) ids.insert(match.id);
    return ids;
  }

  std::set<std::string> matched(const std::vector<Criterion>& criteria) {
    std::set<std::string> ids;
    for (const Stored& resource : stored_) {
      const ResourceFacts facts{.id = resource.id, .last_updated = resource.last_updated};
      if (matches_all(criteria, resource.rows, clock_.now(), facts)) ids.insert(resource.id);
    }
    return ids;
  }

  time::ManualClock clock_{time::parse_iso8601("2024-05-01T12:00:00Z")};
  SqliteResourceStore store_{":memory:", clock_};
  std::vector<Stored> stored_;
};

TEST_F(CriterionMatchAgreement, EveryTypeAndModifierSelectsWhatTheSqliteSearchSelects) {
  RecordProperty("seed", static_cast<int>(kSeed));
  SCOPED_TRACE(fmt::format("seed {}", kSeed));
  Random random(kSeed);
  store_random_resources(random);
  int non_trivial = 0;  // searches that select some but not all resources
  int searches = 0;
  for (const SearchParamType type :
       {SearchParamType::String, SearchParamType::Token, SearchParamType::Date,
        SearchParamType::Number, SearchParamType::Quantity, SearchParamType::Reference,
        SearchParamType::Uri}) {
    for (int k = 0; k < kCriteriaPerType; ++k) {
      const std::vector criteria{random_criterion(random, type)};
      const std::set<std::string> expected = searched(criteria);
      EXPECT_EQ(matched(criteria), expected) << describe(criteria.front()) << ", search " << k;
      ++searches;
      if (!expected.empty() && std::ssize(expected) < kResources) ++non_trivial;
    }
  }
  // The comparison means something only if most searches split the data.
  EXPECT_GT(non_trivial, searches / 2) << non_trivial << " of " << searches;
}

TEST_F(CriterionMatchAgreement, IdLastUpdatedAndAndedCriteriaSelectWhatTheSqliteSearchSelects) {
  SCOPED_TRACE(fmt::format("seed {}", kSeed + 1));
  Random random(kSeed + 1);
  store_random_resources(random);
  for (int k = 0; k < kCriteriaPerType; ++k) {
    const Stored& some = stored_[static_cast<std::size_t>(random.integer(0, kResources - 1))];
    Criterion id{.param = std::string(kIdParam),
                 .type = SearchParamType::Token,
                 .modifier = random.chance(30) ? Modifier::Not : Modifier::None,
                 .values = {TokenValue{.system = std::nullopt, .code = some.id}}};
    const std::string prefix = random.prefix();
    Criterion last_updated{
        .param = std::string(kLastUpdatedParam),
        .type = SearchParamType::Date,
        .modifier = Modifier::None,
        .values = {parse_date_value(prefix + time::format_iso8601(some.last_updated).substr(0, 10),
                                    "lu")}};
    std::vector<Criterion> criteria;
    criteria.push_back(random_criterion(random, SearchParamType::Token));
    criteria.push_back(random_criterion(random, SearchParamType::Date));
    for (const std::vector<Criterion>& query :
         {std::vector{id}, std::vector{last_updated}, criteria}) {
      EXPECT_EQ(matched(query), searched(query))
          << describe(query.front()) << " and " << query.size() - 1 << " more, search " << k;
    }
  }
}

}  // namespace
}  // namespace ptwin::store::fhir
