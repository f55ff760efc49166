// SPDX-License-Identifier: Apache-2.0
// transaction and batch Bundles over HTTP.
#include "fhir_facade_fixture.hpp"

namespace ptwin::server::fhir::testing {
namespace {

using FhirFacadeBundleTest = FhirFacadeTest;

nlohmann::json transaction_with(const nlohmann::json& observation) {
  return {{"resourceType", "Bundle"},
          {"type", "transaction"},
          {"entry",
           {{{"fullUrl", "urn:uuid:6b5a1e2c-0d4f-4c2e-9a7b-1c2d3e4f5a6b"},
             {"resource", {{"resourceType", "Patient"}, {"name", {{{"family", "Meitner"}}}}}},
             {"request", {{"method", "POST"}, {"url", "Patient"}}}},
            {{"fullUrl", "urn:uuid:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"},
             {"resource", observation},
             {"request", {{"method", "POST"}, {"url", "Observation"}}}}}}};
}

nlohmann::json observation_of(const std::string& reference) {
  return {{"resourceType", "Observation"},
          {"status", "final"},
          {"code", {{"text", "heart rate"}}},
          {"subject", {{"reference", reference}}}};
}

TEST_P(FhirFacadeBundleTest, TransactionRewritesUuidReferences) {
  const Reply reply =
      post("", transaction_with(observation_of("urn:uuid:6b5a1e2c-0d4f-4c2e-9a7b-1c2d3e4f5a6b")));
  ASSERT_EQ(reply.status, 200) << reply.body;
  const nlohmann::json bundle = reply.json();
  EXPECT_EQ(bundle["type"], "transaction-response");
  ASSERT_EQ(bundle["entry"].size(), 2U);
  EXPECT_EQ(bundle["entry"][0]["response"]["status"], "201 Created");
  const std::string patient_id = bundle["entry"][0]["resource"]["id"];
  EXPECT_EQ(bundle["entry"][1]["resource"]["subject"]["reference"], "Patient/" + patient_id);
  EXPECT_EQ(get("/Observation?subject=Patient/" + patient_id).json()["total"], 1);
}

TEST_P(FhirFacadeBundleTest, FailedTransactionWritesNothing) {
  nlohmann::json bad = observation_of("Patient/x");
  bad.erase("status");  // Observation.status is 1..1
  const Reply reply = post("", transaction_with(bad));
  EXPECT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(reply.json()["resourceType"], "OperationOutcome");
  EXPECT_EQ(get("/Patient").json()["total"], 0);
}

TEST_P(FhirFacadeBundleTest, BatchReportsEachEntry) {
  const std::string id = create(patient("Curie"));
  const nlohmann::json batch = {
      {"resourceType", "Bundle"},
      {"type", "batch"},
      {"entry",
       {{{"request", {{"method", "GET"}, {"url", "Patient/" + id}}}},
        {{"request", {{"method", "GET"}, {"url", "Patient/missing"}}}},
        {{"resource", patient("Bohr")}, {"request", {{"method", "POST"}, {"url", "Patient"}}}},
        {{"request", {{"method", "GET"}, {"url", "Patient?family=Bohr"}}}}}}};
  const Reply reply = post("", batch);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const nlohmann::json entries = reply.json()["entry"];
  EXPECT_EQ(entries[0]["response"]["status"], "200 OK");
  EXPECT_EQ(entries[1]["response"]["status"], "404");
  EXPECT_EQ(entries[2]["response"]["status"], "201 Created");
  EXPECT_EQ(entries[3]["resource"]["total"], 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, FhirFacadeBundleTest,
                         ::testing::Values(Backend::Sqlite, Backend::Postgres), backend_name);

}  // namespace
}  // namespace ptwin::server::fhir::testing
