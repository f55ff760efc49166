// SPDX-License-Identifier: Apache-2.0
// IndexExtractor on official R5 examples: the rows the SearchParameter expressions select.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/time.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"

namespace ptwin::ingest::fhir::indexing {
namespace {

namespace sf = store::fhir;

const std::filesystem::path kPackageParent = PTWIN_FHIR_PACKAGE_DIR;

nlohmann::json example(const std::string& file) {
  std::ifstream in(kPackageParent / "hl7.fhir.r5.examples" / file);
  EXPECT_TRUE(in.good()) << file;
  return nlohmann::json::parse(in);
}

class IndexExtractorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    definitions_ = definitions::Definitions::open(kPackageParent);
    extractor_ = std::make_unique<IndexExtractor>(*definitions_);
  }
  static void TearDownTestSuite() {
    extractor_.reset();
    definitions_.reset();
  }
  static const IndexExtractor& extractor() { return *extractor_; }

 private:
  static inline std::unique_ptr<definitions::Definitions> definitions_;
  static inline std::unique_ptr<IndexExtractor> extractor_;
};

template <typename Row>
bool contains(const std::vector<Row>& rows, const Row& row) {
  return std::find(rows.begin(), rows.end(), row) != rows.end();
}

TEST_F(IndexExtractorTest, PatientExampleNamesIdentifiersAndDates) {
  const Extraction extraction = extractor().extract(example("Patient-example.json"));
  const sf::IndexRows& rows = extraction.rows;
  EXPECT_TRUE(contains(rows.strings, sf::StringIndex{"family", "Chalmers"}));
  EXPECT_TRUE(contains(rows.strings, sf::StringIndex{"given", "Peter"}));
  EXPECT_TRUE(contains(rows.strings, sf::StringIndex{"name", "Windsor"}));
  EXPECT_TRUE(contains(rows.strings, sf::StringIndex{"address-city", "PleasantVille"}));
  EXPECT_TRUE(contains(rows.tokens, sf::TokenIndex{"identifier", "urn:oid:1.2.36.146.595.217.0.1",
                                                   "12345", std::nullopt}));
  EXPECT_TRUE(contains(rows.tokens, sf::TokenIndex{"gender", std::nullopt, "male", std::nullopt}));
  EXPECT_TRUE(contains(rows.tokens, sf::TokenIndex{"active", std::nullopt, "true", std::nullopt}));
  EXPECT_TRUE(contains(rows.tokens,
                       sf::TokenIndex{"phone", std::nullopt, "(03) 5555 6473", std::nullopt}));
  EXPECT_TRUE(contains(rows.dates, sf::date_index("birthdate", "1974-12-25")));
  EXPECT_TRUE(contains(rows.references, sf::reference_index("organization", "Organization/1")));
  EXPECT_NO_THROW(sf::validate(rows, "Patient/example"));
}

TEST_F(IndexExtractorTest, ObservationExampleCodeValueSubjectAndDate) {
  const Extraction extraction = extractor().extract(example("Observation-f001.json"));
  const sf::IndexRows& rows = extraction.rows;
  EXPECT_TRUE(contains(rows.tokens, sf::TokenIndex{"code", "http://loinc.org", "15074-8",
                                                   "Glucose [Moles/volume] in Blood"}));
  EXPECT_TRUE(contains(rows.quantities,
                       sf::quantity_index("value-quantity", "6.3", "http://unitsofmeasure.org",
                                          "mmol/L", "mmol/l")));
  EXPECT_TRUE(contains(rows.references, sf::reference_index("subject", "Patient/f001")));
  // `subject.where(resolve() is Patient)`: the type test works on an unresolved reference.
  EXPECT_TRUE(contains(rows.references, sf::reference_index("patient", "Patient/f001")));
  EXPECT_TRUE(contains(rows.dates, sf::date_index("date", "2013-04-02T09:30:10+01:00")));
  EXPECT_TRUE(contains(rows.tokens, sf::TokenIndex{"status", std::nullopt, "final", std::nullopt}));
  EXPECT_NO_THROW(sf::validate(rows, "Observation/f001"));
}

TEST_F(IndexExtractorTest, PeriodBecomesOneRangeWithOpenEnd) {
  const nlohmann::json encounter = {
      {"resourceType", "Encounter"},
      {"status", "in-progress"},
      {"actualPeriod", {{"start", "2024-05-01T10:00:00Z"}}}};
  const Extraction extraction = extractor().extract(encounter);
  const auto found = std::find_if(extraction.rows.dates.begin(), extraction.rows.dates.end(),
                                  [](const sf::DateIndex& row) { return row.param == "date"; });
  ASSERT_NE(found, extraction.rows.dates.end());
  EXPECT_EQ(found->low, time::parse_iso8601("2024-05-01T10:00:00Z"));
  EXPECT_EQ(found->high, time::Instant::max());
}

TEST_F(IndexExtractorTest, ListsTheIndexedParametersOfAType) {
  EXPECT_NE(extractor().find_parameter("Patient", "birthdate"), nullptr);
  EXPECT_EQ(extractor().find_parameter("Patient", "birthdate")->type, IndexedType::Date);
  EXPECT_EQ(extractor().find_parameter("Patient", "_id"), nullptr);  // answered by the store
  EXPECT_EQ(extractor().find_parameter("Patient", "no-such-parameter"), nullptr);
  EXPECT_TRUE(extractor().parameters("NoSuchType").empty());
}

TEST_F(IndexExtractorTest, RefusesJsonWithoutResourceType) {
  EXPECT_THROW((void)extractor().extract(nlohmann::json::object()), InputError);
  EXPECT_THROW((void)extractor().extract(nlohmann::json::array()), InputError);
}

}  // namespace
}  // namespace ptwin::ingest::fhir::indexing
