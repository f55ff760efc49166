// SPDX-License-Identifier: Apache-2.0
// Property check: for random stored ranges and random search values, each backend's SQL for
// every prefix selects exactly the resources that the reference predicate range_matches()
// selects (range_match.hpp). The seed is fixed and printed, so a failure replays.
#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "fhir_store_fixture.hpp"
#include "ptwin/store/fhir/decimal_range.hpp"
#include "ptwin/store/fhir/range_match.hpp"

namespace ptwin::store::fhir {
namespace {

using test_support::FhirStoreTest;

using FhirStoreSemantics = FhirStoreTest;
PTWIN_FHIR_STORE_BACKENDS(FhirStoreSemantics);

constexpr unsigned kSeed = 20240501;
constexpr int kResources = 80;
constexpr int kValuesPerPrefix = 6;
constexpr std::array kPrefixes{Prefix::Eq, Prefix::Ne, Prefix::Gt, Prefix::Lt, Prefix::Ge,
                               Prefix::Le, Prefix::Sa, Prefix::Eb, Prefix::Ap};

struct Stored {
  std::string id;
  std::int64_t date_low = 0;
  std::int64_t date_high = 0;
  double number_low = 0.0;
  double number_high = 0.0;
};

class RandomValues {
 public:
  explicit RandomValues(unsigned seed) : engine_(seed) {}

  int integer(int low, int high) { return std::uniform_int_distribution<int>(low, high)(engine_); }

  // A FHIR date of random precision between 2020 and 2026.
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

  // A decimal between 0 and 20 with 0 to 2 decimals.
  std::string number_text() {
    const int decimals = integer(0, 2);
    const int scaled = integer(0, 20 * 100);
    if (decimals == 0) return fmt::format("{}", scaled / 100);
    if (decimals == 1) return fmt::format("{}.{}", scaled / 100, (scaled / 10) % 10);
    return fmt::format("{}.{:02}", scaled / 100, scaled % 100);
  }

 private:
  std::mt19937 engine_;
};

DateIndex random_date_row(RandomValues& random) {
  DateIndex row = date_index("date", random.date_text());
  switch (random.integer(0, 4)) {
    case 0:
      row.high = row.low;
      break;  // an instant
    case 1:
      row.high = time::Instant::max();
      break;  // a Period without end
    case 2:
      row.low = time::Instant::min();
      break;  // a Period without start
    default:
      break;  // the value's own precision
  }
  return row;
}

NumberIndex random_number_row(RandomValues& random) {
  const std::string text = random.number_text();
  return random.integer(0, 1) == 0 ? number_index("n", text)
                                   : integer_index("n", std::stoll(text.substr(0, text.find('.'))));
}

std::vector<Stored> store_random_resources(ResourceStore& store, RandomValues& random) {
  std::vector<Stored> stored;
  auto transaction = store.begin(TransactionMode::ReadWrite);
  for (int i = 0; i < kResources; ++i) {
    const DateIndex date = random_date_row(random);
    const NumberIndex number = random_number_row(random);
    NewResource resource{
        .resource_type = "Observation", .json = R"({"resourceType":"Observation"})", .index = {}};
    resource.index.dates = {date};
    resource.index.numbers = {number};
    stored.push_back(Stored{.id = transaction->create(resource).id,
                            .date_low = time::to_epoch_ns(date.low),
                            .date_high = time::to_epoch_ns(date.high),
                            .number_low = number.low,
                            .number_high = number.high});
  }
  transaction->commit();
  return stored;
}

std::set<std::string> found(ResourceStore& store, Criterion criterion) {
  const SearchResult result = store.search(SearchQuery{
      .resource_type = "Observation", .criteria = {std::move(criterion)}, .count = kMaxPageSize});
  std::set<std::string> ids;
  for (const ResourceVersion& match : result.matches) ids.insert(match.id);
  EXPECT_EQ(std::ssize(ids), result.total);
  return ids;
}

TEST_P(FhirStoreSemantics, EveryPrefixSelectsWhatTheReferencePredicateSelects) {
  RecordProperty("seed", static_cast<int>(kSeed));
  SCOPED_TRACE(fmt::format("seed {}", kSeed));
  RandomValues random(kSeed);
  const std::vector<Stored> stored = store_random_resources(store(), random);
  int non_trivial = 0;  // searches that select some but not all resources
  for (const Prefix prefix : kPrefixes) {
    for (int k = 0; k < kValuesPerPrefix; ++k) {
      DateValue date = parse_date_value(random.date_text(), "date");
      date.prefix = prefix;
      NumberValue number = parse_number_value(random.number_text(), "n");
      number.prefix = prefix;
      const auto date_bounds = date_match_bounds(date, clock_.now());
      const auto number_bounds = number_match_bounds(number);
      std::set<std::string> expected_dates;
      std::set<std::string> expected_numbers;
      for (const Stored& row : stored) {
        if (range_matches(prefix, date_bounds, row.date_low, row.date_high)) {
          expected_dates.insert(row.id);
        }
        if (range_matches(prefix, number_bounds, row.number_low, row.number_high)) {
          expected_numbers.insert(row.id);
        }
      }
      EXPECT_EQ(found(store(),
                      Criterion{.param = "date", .type = SearchParamType::Date, .values = {date}}),
                expected_dates)
          << "date prefix " << to_string(prefix) << " value " << k;
      EXPECT_EQ(found(store(),
                      Criterion{.param = "n", .type = SearchParamType::Number, .values = {number}}),
                expected_numbers)
          << "number prefix " << to_string(prefix) << " value " << k;
      for (const auto* expected : {&expected_dates, &expected_numbers}) {
        if (!expected->empty() && std::ssize(*expected) < kResources) ++non_trivial;
      }
    }
  }
  // The check means something only if most searches split the data.
  EXPECT_GT(non_trivial, static_cast<int>(kPrefixes.size()) * kValuesPerPrefix);
}

}  // namespace
}  // namespace ptwin::store::fhir
