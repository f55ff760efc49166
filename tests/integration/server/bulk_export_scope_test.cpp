// SPDX-License-Identifier: Apache-2.0
// Bulk Data $export (FHIR Bulk Data Access IG v2) beyond the system level: POST kick-off with a
// Parameters body, Patient/$export and Group/[id]/$export limited to the Patient compartment
// (R5 CompartmentDefinition "patient") of the patients in scope, and _typeFilter searches.
// SQLite, and PostgreSQL under scripts/with_postgres.sh.
#include <set>

#include "bulk_export_fixture.hpp"
#include "ptwin/server/fhir/bulk/patient_compartment.hpp"

namespace ptwin::server::fhir::testing {
namespace {

using nlohmann::json;

std::string diagnostics(const Reply& reply) {
  return reply.json().at("issue").at(0).value("diagnostics", "");
}

json parameter(const std::string& name, const std::string& key, const json& value) {
  return {{"name", name}, {key, value}};
}

json group_of(const std::vector<std::string>& references) {
  json members = json::array();
  for (const std::string& reference : references) {
    members.push_back({{"entity", {{"reference", reference}}}});
  }
  return {{"resourceType", "Group"}, {"type", "person"}, {"membership", "enumerated"},
          {"member", members}};
}

TEST_P(BulkExportTest, PostKickOffTakesItsParametersFromAParametersBody) {
  start();
  const std::string early = create(patient("Early"));
  clock_.advance(std::chrono::hours(1));
  const std::string late = create(patient("Late"));
  (void)create(heart_rate(late, 80));
  Reply reply = post_kick_off("/$export",
                              json::array({parameter("_type", "valueString", "Patient"),
                                           parameter("_since", "valueInstant",
                                                     "2024-05-01T12:30:00Z"),
                                           parameter("_outputFormat", "valueString",
                                                     "application/fhir+ndjson")}));
  ASSERT_EQ(reply.status, 202) << reply.body;
  const Reply done = wait_for(reply.header("content-location"));
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json().at("request"), base_ + "/$export");  // the parameters are in the body
  EXPECT_EQ(exported_keys(done), (std::set<std::string>{"Patient/" + late}));
  (void)early;

  // Refusals, each naming what is wrong.
  reply = post_kick_off("/$export", json::array({parameter("_type", "valueString", "Spaceship")}));
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(diagnostics(reply).find("'Spaceship'"), std::string::npos) << reply.body;
  reply = post_kick_off("/$export", json::array({parameter("_since", "valueInstant", "2024")}));
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(diagnostics(reply).find("_since '2024'"), std::string::npos) << reply.body;
  reply = post_kick_off("/$export", json::array({{{"name", "_type"}}}));  // no value
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(diagnostics(reply).find("Parameters.parameter[0]"), std::string::npos);
  reply = post_kick_off("/$export", json::array({parameter("_type", "valueString", "Patient")}),
                        {"Accept: application/fhir+json", "Content-Type: application/fhir+json"});
  EXPECT_EQ(reply.status, 400);  // no Prefer: respond-async
  EXPECT_NE(diagnostics(reply).find("respond-async"), std::string::npos);
  reply = http("POST", base_ + "/$export", R"({"resourceType":"Patient"})",
               {"Prefer: respond-async", "Content-Type: application/fhir+json"});
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(diagnostics(reply).find("Parameters"), std::string::npos);
  reply = http("POST", base_ + "/$export?_type=Patient",
               R"({"resourceType":"Parameters"})",
               {"Prefer: respond-async", "Content-Type: application/fhir+json"});
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(diagnostics(reply).find("'_type' was given in the URL"), std::string::npos);
  EXPECT_EQ(http("PUT", base_ + "/$export", "{}", {"Prefer: respond-async"}).status, 405);
}

TEST_P(BulkExportTest, PatientExportTakesTheCompartmentOfTheListedPatientsOnly) {
  start();
  const std::string first = create(patient("First"));
  const std::string second = create(patient("Second"));
  const std::string first_rate = create(heart_rate(first, 70));
  (void)create(heart_rate(second, 71));
  const Reply reply = post_kick_off(
      "/Patient/$export",
      json::array({parameter("patient", "valueReference", {{"reference", "Patient/" + first}}),
                   parameter("_type", "valueString", "Patient,Observation")}));
  ASSERT_EQ(reply.status, 202) << reply.body;
  const Reply done = wait_for(reply.header("content-location"));
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(exported_keys(done),
            (std::set<std::string>{"Patient/" + first, "Observation/" + first_rate}));
  const Reply bad = post_kick_off(
      "/Patient/$export",
      json::array({parameter("patient", "valueReference", {{"reference", "Device/x"}})}));
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(diagnostics(bad).find("patient 'Device/x'"), std::string::npos) << bad.body;
}

TEST_P(BulkExportTest, GroupExportTakesTheCompartmentOfItsPatients) {
  start();
  std::vector<std::string> patients;
  std::vector<std::string> rates;
  for (int p = 0; p < 3; ++p) {
    patients.push_back(create(patient(fmt::format("Member{}", p))));
    rates.push_back(create(heart_rate(patients.back(), 60.0 + p)));
  }
  (void)create({{"resourceType", "Device"}, {"status", "active"}});  // not in the compartment
  const std::string group = create(group_of({"Patient/" + patients[0], "Patient/" + patients[2]}));
  Reply reply = get(fmt::format("/Group/{}/$export", group), kAsync);
  ASSERT_EQ(reply.status, 202) << reply.body;
  Reply done = wait_for(reply.header("content-location"));
  ASSERT_EQ(done.status, 200) << done.body;
  // The Group itself references the patients through `member`, one of the compartment's
  // params for Group, so it is in their compartment too.
  EXPECT_EQ(exported_keys(done),
            (std::set<std::string>{"Patient/" + patients[0], "Patient/" + patients[2],
                                   "Observation/" + rates[0], "Observation/" + rates[2],
                                   "Group/" + group}));
  // With `patient`, only the members also in that list.
  reply = post_kick_off(fmt::format("/Group/{}/$export", group),
                        json::array({parameter("patient", "valueReference",
                                               {{"reference", "Patient/" + patients[2]}}),
                                     parameter("patient", "valueReference",
                                               {{"reference", "Patient/" + patients[1]}})}));
  ASSERT_EQ(reply.status, 202) << reply.body;
  done = wait_for(reply.header("content-location"));
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(exported_keys(done),
            (std::set<std::string>{"Patient/" + patients[2], "Observation/" + rates[2],
                                   "Group/" + group}));

  reply = get("/Group/no-such-group/$export", kAsync);
  EXPECT_EQ(reply.status, 404);
  EXPECT_NE(diagnostics(reply).find("Group/no-such-group"), std::string::npos) << reply.body;
  const std::string device = create({{"resourceType", "Device"}, {"status", "active"}});
  const std::string mixed = create(group_of({"Patient/" + patients[0], "Device/" + device}));
  reply = get(fmt::format("/Group/{}/$export", mixed), kAsync);
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(diagnostics(reply).find("member[1].entity 'Device/" + device + "'"),
            std::string::npos)
      << reply.body;
}

TEST_P(BulkExportTest, TypeFiltersAreSearchesOredPerType) {
  start();
  const std::string id = create(patient("Filtered"));
  const std::string heart = create(observation_coded(id, "8867-4", "final"));
  const std::string breath = create(observation_coded(id, "9279-1", "final"));
  const std::string temperature_preliminary = create(observation_coded(id, "8310-5", "preliminary"));
  (void)create(observation_coded(id, "8310-5", "final"));
  // Two filters for Observation (ORed), none for Patient (all Patients).
  const std::string path =
      "/$export?_type=Patient,Observation"
      "&_typeFilter=Observation%3Fcode%3Dhttp%3A%2F%2Floinc.org%7C8867-4%2C9279-1"
      "&_typeFilter=Observation%3Fcode%3D8310-5%26status%3Dpreliminary";
  const Reply done = wait_for(kick_off(path));
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(exported_keys(done),
            (std::set<std::string>{"Patient/" + id, "Observation/" + heart,
                                   "Observation/" + breath,
                                   "Observation/" + temperature_preliminary}));
  // The same through POST, with a filter for Patient as well.
  const Reply posted = post_kick_off(
      "/Patient/$export",
      json::array({parameter("_typeFilter", "valueString", "Observation?status=preliminary"),
                   parameter("_typeFilter", "valueString", "Patient?family=Nobody")}));
  ASSERT_EQ(posted.status, 202) << posted.body;
  const Reply posted_done = wait_for(posted.header("content-location"));
  ASSERT_EQ(posted_done.status, 200) << posted_done.body;
  EXPECT_EQ(exported_keys(posted_done),
            (std::set<std::string>{"Observation/" + temperature_preliminary}));

  Reply reply = get("/$export?_type=Patient&_typeFilter=Observation%3Fstatus%3Dfinal", kAsync);
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(diagnostics(reply).find("Observation is not among the types exported"),
            std::string::npos)
      << reply.body;
  reply = get("/$export?_typeFilter=Observation%3Fcolour%3Dred%26status%3Dfinal%26smell%3Dx",
              kAsync);
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(diagnostics(reply).find("'colour'"), std::string::npos) << reply.body;
  EXPECT_NE(diagnostics(reply).find("'smell'"), std::string::npos) << reply.body;
  reply = get("/$export?_typeFilter=Observation", kAsync);
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(diagnostics(reply).find("_typeFilter 'Observation'"), std::string::npos);
  reply = get("/$export?_typeFilter=Observation%3F_count%3D5", kAsync);  // a result parameter
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(diagnostics(reply).find("_count"), std::string::npos) << reply.body;
}

// Instantiated for both backends in bulk_export_test.cpp.

}  // namespace

TEST(PatientCompartment, ComesFromTheCoreCompartmentDefinition) {
  const auto definitions =
      ingest::fhir::definitions::Definitions::open(std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  const auto compartment = bulk::PatientCompartment::from_package(definitions->package());
  EXPECT_EQ(compartment.params_of("Observation"),
            (std::vector<std::string>{"subject", "performer"}));
  EXPECT_EQ(compartment.params_of("Encounter"), std::vector<std::string>{"patient"});
  EXPECT_TRUE(compartment.params_of("Device").empty());  // listed without params
  EXPECT_FALSE(compartment.contains("Device"));
  EXPECT_TRUE(compartment.contains("Patient"));
  EXPECT_THROW((void)bulk::PatientCompartment::from_definition(
                   {{"resourceType", "CompartmentDefinition"}, {"code", "Device"}}),
               InputError);
}

}  // namespace ptwin::server::fhir::testing
