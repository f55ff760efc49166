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
  EXPECT_EQ(http("POST", base_ + "/Patient", patient("A").dump(), {"Content-Type: text/plain"}).status,
            415);
  EXPECT_EQ(get("/Patient?_format=csv").status, 406);
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

// FHIR XML in and out (docs/fhir_facade.md#formats): bodies read with ingest/fhir/xml, answers
// written as XML when Accept prefers it or _format asks for it.
TEST_P(FhirFacadeErrorsTest, FhirXmlIsReadAndWritten) {
  const std::string xml_patient =
      "<Patient xmlns=\"http://hl7.org/fhir\"><active value=\"true\"/>"
      "<name><family value=\"Xml\"/><given value=\"Ann\"/></name>"
      "<birthDate value=\"1970-01-01\"/></Patient>";
  const Reply created = http("POST", base_ + "/Patient", xml_patient,
                             {"Content-Type: application/fhir+xml", "Accept: application/fhir+xml"});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.header("content-type").rfind("application/fhir+xml", 0), 0U)
      << created.header("content-type");
  EXPECT_NE(created.body.find("<Patient xmlns=\"http://hl7.org/fhir\">"), std::string::npos)
      << created.body;
  EXPECT_NE(created.body.find("<family value=\"Xml\"/>"), std::string::npos) << created.body;

  // The same resource as JSON, and as XML by _format and by Accept ranges.
  const Reply found = get("/Patient?family=Xml");
  ASSERT_EQ(found.status, 200);
  const auto entry = found.json()["entry"][0]["resource"];
  EXPECT_EQ(entry["name"][0]["given"][0], "Ann");
  EXPECT_EQ(entry["active"], true);
  const std::string id = entry["id"];
  const Reply as_xml = get("/Patient/" + id + "?_format=xml");
  EXPECT_EQ(as_xml.status, 200);
  EXPECT_NE(as_xml.body.find("<birthDate value=\"1970-01-01\"/>"), std::string::npos) << as_xml.body;
  EXPECT_EQ(get("/Patient/" + id, {"Accept: application/fhir+json;q=0.5, application/fhir+xml"})
                .header("content-type")
                .rfind("application/fhir+xml", 0),
            0U);
  EXPECT_EQ(get("/Patient/" + id, {"Accept: application/fhir+xml;q=0.5, application/fhir+json"})
                .header("content-type")
                .rfind("application/fhir+json", 0),
            0U);
  const Reply bundle = get("/Patient?_format=xml&family=Xml");
  EXPECT_NE(bundle.body.find("<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"searchset\"/>"),
            std::string::npos)
      << bundle.body;

  // XML the reader refuses: 400 naming the element, the raw body quarantined.
  const std::string bad = "<Patient xmlns=\"http://hl7.org/fhir\"><colour value=\"red\"/></Patient>";
  const Reply refused = http("POST", base_ + "/Patient", bad, {"Content-Type: application/fhir+xml"});
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("Patient.colour"), std::string::npos) << refused.body;
  ASSERT_FALSE(quarantined_.empty());
  EXPECT_EQ(quarantined_.back().body, bad);
  // An error answered in XML too when XML was asked for.
  const Reply missing = get("/Patient/nobody", {"Accept: application/fhir+xml"});
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("<OperationOutcome xmlns="), std::string::npos) << missing.body;
}

}  // namespace
}  // namespace ptwin::server::fhir::testing
