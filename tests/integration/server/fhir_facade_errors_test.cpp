// SPDX-License-Identifier: Apache-2.0
// Refusals: invalid resources (with quarantine), media types, unsupported types.
#include <fstream>

#include "fhir_facade_fixture.hpp"

namespace ptwin::server::fhir::testing {
namespace {

using FhirFacadeErrorsTest = FhirFacadeTest;

const std::filesystem::path kBadInputs =
    std::filesystem::path(PTWIN_SOURCE_DIR) / "tests/data/bad_inputs/fhir_resources";

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_P(FhirFacadeErrorsTest, InvalidResourcesAreRefusedNamingTheElementAndQuarantined) {
  const nlohmann::json expected = nlohmann::json::parse(read_text(kBadInputs / "expected.json"));
  int checked = 0;
  for (const char* file : {"observation_status_missing.json", "observation_code_is_string.json",
                           "patient_active_is_string.json", "observation_two_value_types.json"}) {
    const std::string body = read_text(kBadInputs / file);
    const std::string type = nlohmann::json::parse(body).at("resourceType");
    const Reply reply = http("POST", base_ + "/" + type, body, kJson);
    EXPECT_TRUE(reply.status == 400 || reply.status == 422) << file << " " << reply.status;
    const nlohmann::json outcome = reply.json();
    ASSERT_EQ(outcome["resourceType"], "OperationOutcome") << file;
    bool names_element = false;
    for (const auto& issue : outcome["issue"]) {
      for (const auto& expression : issue.value("expression", nlohmann::json::array())) {
        names_element |= expression == expected[file]["expression"];
      }
    }
    EXPECT_TRUE(names_element) << file << ": " << reply.body;
    ++checked;
  }
  EXPECT_EQ(quarantined_.size(), static_cast<std::size_t>(checked));
  EXPECT_EQ(quarantined_.front().resource_type, "Observation");
  EXPECT_EQ(get("/Observation").json()["total"], 0);
}

TEST_P(FhirFacadeErrorsTest, BodyThatIsNotJsonIs400) {
  const Reply reply = http("POST", base_ + "/Patient", "{not json", kJson);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.json()["resourceType"], "OperationOutcome");
}

TEST_P(FhirFacadeErrorsTest, MediaTypesAreNegotiated) {
  EXPECT_EQ(http("POST", base_ + "/Patient", "<Patient/>", {"Content-Type: application/fhir+xml"}).status,
            415);
  EXPECT_EQ(http("POST", base_ + "/Patient", patient("A").dump(), {"Content-Type: text/plain"}).status,
            415);
  EXPECT_EQ(get("/Patient", {"Accept: application/fhir+xml"}).status, 406);
  EXPECT_EQ(get("/Patient?_format=xml").status, 406);
  EXPECT_EQ(get("/Patient?_format=json").status, 200);
  EXPECT_EQ(http("POST", base_ + "/Patient", patient("A").dump(),
                 {"Content-Type: application/json"}).status, 201);
}

TEST_P(FhirFacadeErrorsTest, AcceptAndContentTypeAreStrict) {
  // Accept must cover FHIR JSON for R5; a list is read range by range, q=0 refuses a range.
  EXPECT_EQ(get("/Patient", {"Accept: text/html"}).status, 406);
  EXPECT_EQ(get("/Patient", {"Accept: application/fhir+json; q=0, text/html"}).status, 406);
  EXPECT_EQ(get("/Patient", {"Accept: application/fhir+json; fhirVersion=4.0"}).status, 406);
  EXPECT_EQ(get("/Patient", {"Accept: text/html, application/fhir+json;fhirVersion=5.0"}).status, 200);
  EXPECT_EQ(get("/Patient", {"Accept: application/*"}).status, 200);
  EXPECT_EQ(get("/Patient", {"Accept: */*"}).status, 200);
  const Reply refused = get("/Patient", {"Accept: text/csv"});
  EXPECT_NE(refused.json()["issue"][0]["diagnostics"].get<std::string>().find("text/csv"),
            std::string::npos);
  // The body must be FHIR JSON in UTF-8 for R5.
  EXPECT_EQ(http("POST", base_ + "/Patient", patient("A").dump(),
                 {"Content-Type: application/fhir+json; charset=iso-8859-1"}).status, 415);
  EXPECT_EQ(http("POST", base_ + "/Patient", patient("A").dump(),
                 {"Content-Type: application/fhir+json; fhirVersion=4.0"}).status, 415);
  EXPECT_EQ(http("POST", base_ + "/Patient", patient("A").dump(),
                 {"Content-Type: application/fhir+json; charset=UTF-8; fhirVersion=5.0"}).status, 201);
}

TEST_P(FhirFacadeErrorsTest, PreferReturnShapesWhatAWriteAnswers) {
  const auto with = [](std::string prefer) {
    return std::vector<std::string>{"Content-Type: application/fhir+json", "Prefer: " + prefer};
  };
  const Reply minimal = post("/Patient", patient("Minimal"), with("return=minimal"));
  EXPECT_EQ(minimal.status, 201);
  EXPECT_TRUE(minimal.body.empty()) << minimal.body;
  EXPECT_FALSE(minimal.header("location").empty());
  EXPECT_EQ(minimal.header("preference-applied"), "return=minimal");
  const Reply outcome = post("/Patient", patient("Outcome"), with("return=OperationOutcome"));
  EXPECT_EQ(outcome.status, 201);
  EXPECT_EQ(outcome.json()["resourceType"], "OperationOutcome");
  const Reply full = post("/Patient", patient("Full"), with("return=representation"));
  EXPECT_EQ(full.json()["resourceType"], "Patient");
  EXPECT_EQ(post("/Patient", patient("Bad"), with("return=everything")).status, 400);
  // Preferences the server does not know are ignored (RFC 7240).
  EXPECT_EQ(post("/Patient", patient("Other"), with("respond-async")).status, 201);
}

TEST_P(FhirFacadeErrorsTest, UnsupportedTypeAndMismatchedTypeAndMethod) {
  const Reply unknown = get("/Spaceship/1");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.json()["resourceType"], "OperationOutcome");
  EXPECT_EQ(post("/Observation", patient("A")).status, 400);
  EXPECT_EQ(http("DELETE", base_ + "/metadata").status, 405);
}

INSTANTIATE_TEST_SUITE_P(Backends, FhirFacadeErrorsTest,
                         ::testing::Values(Backend::Sqlite, Backend::Postgres), backend_name);

}  // namespace
}  // namespace ptwin::server::fhir::testing
