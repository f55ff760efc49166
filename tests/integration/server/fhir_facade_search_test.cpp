// SPDX-License-Identifier: Apache-2.0
// search over HTTP: criteria, paging links, _include/_revinclude, _sort, _total, POST _search.
#include "fhir_facade_fixture.hpp"

namespace ptwin::server::fhir::testing {
namespace {

using FhirFacadeSearchTest = FhirFacadeTest;

std::vector<std::string> families(const nlohmann::json& bundle) {
  std::vector<std::string> names;
  for (const auto& entry : bundle.value("entry", nlohmann::json::array())) {
    if (entry["search"]["mode"] == "match") names.push_back(entry["resource"]["name"][0]["family"]);
  }
  return names;
}

TEST_P(FhirFacadeSearchTest, StringDateAndTokenCriteria) {
  (void)create(patient("Curie", "1867-11-07"));
  (void)create(patient("Bohr", "1885-10-07"));
  const Reply by_name = get("/Patient?family=cur");
  ASSERT_EQ(by_name.status, 200) << by_name.body;
  EXPECT_EQ(by_name.json()["type"], "searchset");
  EXPECT_EQ(by_name.json()["total"], 1);
  EXPECT_EQ(families(by_name.json()), std::vector<std::string>{"Curie"});
  EXPECT_EQ(families(get("/Patient?birthdate=ge1880&_sort=family").json()),
            std::vector<std::string>{"Bohr"});
  EXPECT_EQ(get("/Patient?gender=female").json()["total"], 2);
  EXPECT_EQ(get("/Patient?family:exact=curie").json()["total"], 0);
}

TEST_P(FhirFacadeSearchTest, PagingLinksAndCount) {
  for (const char* name : {"A", "B", "C"}) (void)create(patient(name));
  const nlohmann::json first = get("/Patient?_count=2&_sort=family").json();
  EXPECT_EQ(families(first), (std::vector<std::string>{"A", "B"}));
  std::string next;
  for (const auto& link : first["link"]) {
    if (link["relation"] == "next") next = link["url"];
  }
  ASSERT_FALSE(next.empty());
  const nlohmann::json second = http("GET", next).json();
  EXPECT_EQ(families(second), std::vector<std::string>{"C"});
  bool has_previous = false;
  for (const auto& link : second["link"]) has_previous |= link["relation"] == "previous";
  EXPECT_TRUE(has_previous);
  EXPECT_FALSE(get("/Patient?_total=none").json().contains("total"));
}

TEST_P(FhirFacadeSearchTest, IncludeRevincludeAndReferenceSearch) {
  const std::string id = create(patient("Curie"));
  (void)create(heart_rate(id, 72));
  const nlohmann::json observations =
      get("/Observation?subject=Patient/" + id + "&_include=Observation:subject").json();
  ASSERT_EQ(observations["entry"].size(), 2U) << observations.dump();
  EXPECT_EQ(observations["entry"][1]["search"]["mode"], "include");
  EXPECT_EQ(observations["entry"][1]["resource"]["resourceType"], "Patient");
  const nlohmann::json patients = get("/Patient?_id=" + id + "&_revinclude=Observation:subject").json();
  EXPECT_EQ(patients["entry"].size(), 2U);
  EXPECT_EQ(get("/Observation?code=http://loinc.org|8867-4&value-quantity=gt70").json()["total"], 1);
  EXPECT_EQ(get("/Observation?subject:Patient.family=Curie").json()["total"], 1);
}

TEST_P(FhirFacadeSearchTest, PostSearchTakesAForm) {
  (void)create(patient("Curie"));
  const Reply reply = http("POST", base_ + "/Patient/_search", "family=Curie",
                           {"Content-Type: application/x-www-form-urlencoded"});
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json()["total"], 1);
}

TEST_P(FhirFacadeSearchTest, UnknownParameterIs400NamingIt) {
  const Reply reply = get("/Patient?shoe-size=42");
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(reply.json()["issue"][0]["diagnostics"].get<std::string>().find("shoe-size"),
            std::string::npos);
  EXPECT_EQ(get("/Patient?_bogus=1").status, 400);
  EXPECT_EQ(get("/Patient?family:fuzzy=x").status, 400);
  EXPECT_EQ(get("/Patient?birthdate=notadate").status, 400);
}

TEST_P(FhirFacadeSearchTest, CapabilityStatementListsTypesAndParameters) {
  const Reply reply = get("/metadata");
  ASSERT_EQ(reply.status, 200);
  const nlohmann::json statement = reply.json();
  EXPECT_EQ(statement["resourceType"], "CapabilityStatement");
  EXPECT_EQ(statement["fhirVersion"], "5.0.0");
  bool has_patient_family = false;
  for (const auto& resource : statement["rest"][0]["resource"]) {
    EXPECT_NE(resource["type"], "OperationOutcome");
    if (resource["type"] != "Patient") continue;
    for (const auto& param : resource["searchParam"]) has_patient_family |= param["name"] == "family";
  }
  EXPECT_TRUE(has_patient_family);
}

INSTANTIATE_TEST_SUITE_P(Backends, FhirFacadeSearchTest,
                         ::testing::Values(Backend::Sqlite, Backend::Postgres), backend_name);

}  // namespace
}  // namespace ptwin::server::fhir::testing
