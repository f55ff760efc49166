// SPDX-License-Identifier: Apache-2.0
// append_rows: one value per FHIR type, mapped by the parameter's type.
#include <gtest/gtest.h>

#include "ptwin/core/time.hpp"
#include "ptwin/ingest/fhir/indexing/value_rows.hpp"

namespace ptwin::ingest::fhir::indexing {
namespace {

namespace sf = store::fhir;

sf::IndexRows rows_of(const nlohmann::json& value, const std::string& type, IndexedType as) {
  sf::IndexRows rows;
  append_rows(fhirpath::Node{&value, nullptr, type, nullptr}, "p", as, rows);
  return rows;
}

TEST(AppendRows, CodeableConceptGivesOneRowPerCodingAndOneForText) {
  const nlohmann::json codeable = {
      {"coding", {{{"system", "http://loinc.org"}, {"code", "8867-4"}, {"display", "Heart rate"}}}},
      {"text", "HR"}};
  const sf::IndexRows rows = rows_of(codeable, "CodeableConcept", IndexedType::Token);
  ASSERT_EQ(rows.tokens.size(), 2U);
  EXPECT_EQ(rows.tokens[0], (sf::TokenIndex{"p", "http://loinc.org", "8867-4", "Heart rate"}));
  EXPECT_EQ(rows.tokens[1], (sf::TokenIndex{"p", std::nullopt, std::nullopt, "HR"}));
}

TEST(AppendRows, BooleanIsATokenCode) {
  const nlohmann::json flag = false;
  EXPECT_EQ(rows_of(flag, "boolean", IndexedType::Token).tokens.at(0).code, "false");
}

TEST(AppendRows, TimingIndexesEventsAndBounds) {
  const nlohmann::json timing = {
      {"event", {"2024-01-02"}},
      {"repeat", {{"boundsPeriod", {{"start", "2024-02-01"}, {"end", "2024-02-03"}}}}}};
  const sf::IndexRows rows = rows_of(timing, "Timing", IndexedType::Date);
  ASSERT_EQ(rows.dates.size(), 2U);
  EXPECT_EQ(rows.dates[0], sf::date_index("p", "2024-01-02"));
  EXPECT_EQ(rows.dates[1].low, time::parse_iso8601("2024-02-01T00:00:00Z"));
}

TEST(AppendRows, ReferenceLocalAbsoluteAndContained) {
  EXPECT_EQ(rows_of({{"reference", "Patient/1/_history/2"}}, "Reference", IndexedType::Reference)
                .references.at(0),
            sf::reference_index("p", "Patient/1/_history/2"));
  EXPECT_EQ(rows_of({{"reference", "http://other.org/fhir/Patient/9"}}, "Reference",
                    IndexedType::Reference)
                .references.at(0)
                .url,
            "http://other.org/fhir/Patient/9");
  EXPECT_TRUE(rows_of({{"reference", "#p1"}}, "Reference", IndexedType::Reference)
                  .references.empty());
  EXPECT_TRUE(rows_of({{"display", "no target"}}, "Reference", IndexedType::Reference)
                  .references.empty());
}

TEST(AppendRows, QuantityAndNumber) {
  const sf::IndexRows quantity = rows_of(
      {{"value", 120}, {"unit", "mmHg"}, {"system", "http://unitsofmeasure.org"}, {"code", "mm[Hg]"}},
      "Quantity", IndexedType::Quantity);
  ASSERT_EQ(quantity.quantities.size(), 1U);
  EXPECT_EQ(quantity.quantities[0].value, 120.0);
  EXPECT_EQ(quantity.quantities[0].code, "mm[Hg]");
  const nlohmann::json count = 3;
  EXPECT_EQ(rows_of(count, "integer", IndexedType::Number).numbers.at(0),
            sf::integer_index("p", 3));
}

TEST(AppendRows, HumanNamePartsAreStrings) {
  const sf::IndexRows rows =
      rows_of({{"family", "Curie"}, {"given", {"Marie", "S."}}}, "HumanName", IndexedType::String);
  ASSERT_EQ(rows.strings.size(), 3U);
  EXPECT_EQ(rows.strings[0].value, "Curie");
  EXPECT_EQ(rows.strings[2].value, "S.");
}

}  // namespace
}  // namespace ptwin::ingest::fhir::indexing
