// SPDX-License-Identifier: Apache-2.0
// create, read, vread, update, delete, conditional create and history over HTTP.
#include "fhir_facade_fixture.hpp"
#include "ptwin/server/fhir/fhir_response.hpp"

namespace ptwin::server::fhir::testing {
namespace {

TEST_P(FhirFacadeTest, CreateAnswers201WithLocationEtagAndLastModified) {
  const Reply reply = post("/Patient", patient("Curie"));
  ASSERT_EQ(reply.status, 201) << reply.body;
  const std::string id = reply.json().at("id");
  EXPECT_EQ(reply.header("location"), fmt::format("{}/Patient/{}/_history/1", base_, id));
  EXPECT_EQ(reply.header("etag"), "W/\"1\"");
  EXPECT_EQ(reply.header("last-modified"), "Wed, 01 May 2024 12:00:00 GMT");
  EXPECT_TRUE(reply.header("content-type").starts_with("application/fhir+json"));
}

TEST_P(FhirFacadeTest, WarmUpValidatesAndIndexesWithoutStoringAndRefusesAsAWriteWould) {
  facade_->warm_up(patient("Curie"));
  const Reply search = get("/Patient?family=Curie");
  ASSERT_EQ(search.status, 200) << search.body;
  EXPECT_EQ(search.json().value("entry", nlohmann::json::array()).size(), 0U);
  auto bad = patient("Curie");
  bad["birthDate"] = "not a date";
  int warm_up_status = 0;
  try {
    facade_->warm_up(bad);
  } catch (const FhirError& e) {
    warm_up_status = e.status();
  }
  EXPECT_TRUE(quarantined_.empty());  // a warm-up is not an input: nothing to quarantine
  EXPECT_EQ(warm_up_status, post("/Patient", bad).status);
  EXPECT_GE(warm_up_status, 400);
}

TEST_P(FhirFacadeTest, ReadAndVreadReturnTheStoredVersion) {
  const std::string id = create(patient("Curie"));
  const Reply read = get("/Patient/" + id);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.json()["name"][0]["family"], "Curie");
  EXPECT_EQ(read.json()["meta"]["versionId"], "1");
  EXPECT_EQ(get("/Patient/" + id + "/_history/1").status, 200);
  const Reply missing_version = get("/Patient/" + id + "/_history/7");
  EXPECT_EQ(missing_version.status, 404);
  const Reply missing = get("/Patient/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json()["resourceType"], "OperationOutcome");
}

TEST_P(FhirFacadeTest, UpdateCreatesOnUnknownIdAndHonoursIfMatch) {
  nlohmann::json resource = patient("Curie");
  resource["id"] = "p1";
  const Reply created = put("/Patient/p1", resource);
  EXPECT_EQ(created.status, 201) << created.body;
  resource["gender"] = "male";
  const Reply updated = put("/Patient/p1", resource, {kJson[0], "If-Match: W/\"1\""});
  EXPECT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.header("etag"), "W/\"2\"");
  const Reply conflict = put("/Patient/p1", resource, {kJson[0], "If-Match: W/\"1\""});
  EXPECT_EQ(conflict.status, 412);
  EXPECT_EQ(conflict.json()["resourceType"], "OperationOutcome");
  resource["id"] = "other";
  EXPECT_EQ(put("/Patient/p1", resource).status, 400);
}

TEST_P(FhirFacadeTest, DeleteThenReadIsGone) {
  const std::string id = create(patient("Curie"));
  EXPECT_EQ(del("/Patient/" + id).status, 200);
  const Reply gone = get("/Patient/" + id);
  EXPECT_EQ(gone.status, 410);
  EXPECT_EQ(gone.json()["issue"][0]["code"], "deleted");
  EXPECT_EQ(del("/Patient/never-was").status, 200);
}

TEST_P(FhirFacadeTest, ConditionalCreateFindsExistingOrRefusesMultiple) {
  const std::string id = create(patient("Curie"));
  const std::vector<std::string> headers{kJson[0], "If-None-Exist: family=Curie"};
  const Reply existing = post("/Patient", patient("Curie"), headers);
  EXPECT_EQ(existing.status, 200) << existing.body;
  EXPECT_EQ(existing.json()["id"], id);
  (void)create(patient("Curie"));
  EXPECT_EQ(post("/Patient", patient("Curie"), headers).status, 412);
  EXPECT_EQ(post("/Patient", patient("Bohr"), {kJson[0], "If-None-Exist: family=Bohr"}).status, 201);
}

TEST_P(FhirFacadeTest, HistoryOfInstanceTypeAndSystem) {
  nlohmann::json resource = patient("Curie");
  resource["id"] = "h1";
  ASSERT_EQ(put("/Patient/h1", resource).status, 201);
  resource["gender"] = "male";
  ASSERT_EQ(put("/Patient/h1", resource).status, 200);
  ASSERT_EQ(del("/Patient/h1").status, 200);
  const Reply instance = get("/Patient/h1/_history");
  ASSERT_EQ(instance.status, 200) << instance.body;
  const nlohmann::json bundle = instance.json();
  EXPECT_EQ(bundle["type"], "history");
  EXPECT_EQ(bundle["total"], 3);
  EXPECT_EQ(bundle["entry"][0]["request"]["method"], "DELETE");
  EXPECT_FALSE(bundle["entry"][0].contains("resource"));
  EXPECT_EQ(bundle["entry"][2]["request"]["method"], "PUT");
  (void)create(heart_rate("h1", 70));
  EXPECT_EQ(get("/Patient/_history").json()["total"], 3);
  EXPECT_EQ(get("/_history").json()["total"], 4);
  const Reply paged = get("/_history?_count=1");
  EXPECT_EQ(paged.json()["entry"].size(), 1U);
  EXPECT_EQ(paged.json()["link"][1]["relation"], "next");
  EXPECT_EQ(get("/Patient/unknown/_history").status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, FhirFacadeTest,
                         ::testing::Values(Backend::Sqlite, Backend::Postgres), backend_name);

}  // namespace
}  // namespace ptwin::server::fhir::testing
