// SPDX-License-Identifier: Apache-2.0
// ADT^A01/A03/A08 → FHIR R5 Patient and Encounter, and the refusals naming their field.
#include <gtest/gtest.h>

#include <string>

#include "hl7v2_test_support.hpp"
#include "ptwin/ingest/hl7v2/patient_identity.hpp"
#include "ptwin/ingest/hl7v2/reader.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

using nlohmann::json;
using test_support::hl7;

std::string msh(std::string_view trigger) {
  return "MSH|^~\\&|ADMIT|HOSP|PTWIN|HOSP|20240501120000+0000||ADT^" + std::string(trigger) +
         "^ADT_A01|ADT0001|P|2.5.1";
}
constexpr std::string_view kEvn = "EVN|A01|20240501120000+0000||||20240501080000+0000";
constexpr std::string_view kPidFull =
    "PID|1||123456^^^HOSP&1.2.3&ISO^MR~AB99^^^LAB^PI||Doe^Jane^Q^Jr^Dr^^L||19700215|F";
constexpr std::string_view kPv1Admit =
    "PV1|1|I|ICU^01^A||||||||||||||||V777^^^HOSP|||||||||||||||||||||||||20240501081500+0000";

AdtResources map(const std::string& text, const Hl7v2Settings& settings = {}) {
  const auto accepted = accept_message(text, "test.hl7", settings);
  return *map_message(accepted, settings).admission;
}

InputError map_error(const std::string& text) {
  try {
    (void)map(text);
  } catch (const InputError& error) {
    return error;
  }
  ADD_FAILURE() << "mapped";
  return InputError(ErrorCode::Internal, "", "", "");
}

TEST(Hl7v2Adt, MapsAnAdmissionToPatientAndEncounter) {
  const auto resources = map(hl7({msh("A01"), kEvn, kPidFull, kPv1Admit}));
  const auto patient_id = patient_id_of("HOSP", "123456");
  EXPECT_EQ(resources.patient_id, patient_id);
  const json expected_patient = json::parse(R"({
    "resourceType": "Patient",
    "identifier": [
      {"value": "123456", "system": "urn:oid:1.2.3", "assigner": {"display": "HOSP"},
       "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                            "code": "MR"}]}},
      {"value": "AB99", "assigner": {"display": "LAB"},
       "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                            "code": "PI"}]}}],
    "name": [{"family": "Doe", "given": ["Jane", "Q"], "suffix": ["Jr"], "prefix": ["Dr"],
              "use": "official"}],
    "gender": "female",
    "birthDate": "1970-02-15"})");
  auto patient = resources.patient;
  EXPECT_EQ(patient.at("id"), patient_id);
  patient.erase("id");
  EXPECT_EQ(patient, expected_patient) << patient.dump(2);
  const auto& encounter = resources.encounter;
  EXPECT_EQ(encounter.at("resourceType"), "Encounter");
  EXPECT_EQ(encounter.at("status"), "in-progress");
  EXPECT_EQ(encounter.at("subject").at("reference"), "Patient/" + patient_id);
  EXPECT_EQ(encounter.at("class").at(0).at("coding").at(0).at("code"), "IMP");
  EXPECT_EQ(encounter.at("class").at(0).at("coding").at(0).at("system"),
            "http://terminology.hl7.org/CodeSystem/v3-ActCode");
  EXPECT_EQ(encounter.at("actualPeriod"), json::parse(R"({"start": "2024-05-01T08:15:00Z"})"));
  EXPECT_EQ(encounter.at("identifier").at(0).at("value"), "V777");
  EXPECT_EQ(encounter.at("id").get<std::string>().size(), 38U);
}

TEST(Hl7v2Adt, DischargeAndUpdateWriteTheSameEncounter) {
  const auto admit = map(hl7({msh("A01"), kEvn, kPidFull, kPv1Admit}));
  const std::string discharged_pv1 = std::string(kPv1Admit) + "|20240503100000+0200";
  const auto discharge = map(hl7({msh("A03"), kPidFull, discharged_pv1}));
  EXPECT_EQ(discharge.encounter.at("id"), admit.encounter.at("id"));
  EXPECT_EQ(discharge.encounter.at("status"), "completed");
  EXPECT_EQ(discharge.encounter.at("actualPeriod"),
            json::parse(R"({"start": "2024-05-01T08:15:00Z", "end": "2024-05-03T08:00:00Z"})"));
  const auto update = map(hl7({msh("A08"), kPidFull, kPv1Admit}));
  EXPECT_EQ(update.encounter.at("id"), admit.encounter.at("id"));
  EXPECT_EQ(update.encounter.at("status"), "in-progress");
  EXPECT_EQ(map(hl7({msh("A08"), kPidFull, discharged_pv1})).encounter.at("status"), "completed");
}

TEST(Hl7v2Adt, FallsBackOnEvn6ForTheEventTime) {
  const std::string pv1_without_times = "PV1|1|E|||||||||||||||||V1^^^HOSP";
  const auto admit = map(hl7({msh("A01"), kEvn, kPidFull, pv1_without_times}));
  EXPECT_EQ(admit.encounter.at("actualPeriod").at("start"), "2024-05-01T08:00:00Z");
  EXPECT_EQ(admit.encounter.at("class").at(0).at("coding").at(0).at("code"), "EMER");
  const auto discharge = map(hl7({msh("A03"), kEvn, kPidFull, pv1_without_times}));
  EXPECT_EQ(discharge.encounter.at("actualPeriod").at("end"), "2024-05-01T08:00:00Z");
  const auto error = map_error(hl7({msh("A01"), kPidFull, pv1_without_times}));
  EXPECT_EQ(error.code(), ErrorCode::MissingField);
  EXPECT_EQ(error.where(), "hl7v2:ADMIT/HOSP message ADT0001: PV1[1]-44");
}

TEST(Hl7v2Adt, MapsPatientClassesAndLeavesUnknownOnesOut) {
  const auto with_class = [](std::string_view code) {
    return hl7({msh("A08"), kPidFull,
                "PV1|1|" + std::string(code) + "|||||||||||||||||V1^^^HOSP"});
  };
  EXPECT_EQ(map(with_class("O")).encounter.at("class").at(0).at("coding").at(0).at("code"),
            "AMB");
  EXPECT_EQ(map(with_class("P")).encounter.at("class").at(0).at("coding").at(0).at("code"),
            "PRENC");
  EXPECT_FALSE(map(with_class("U")).encounter.contains("class"));
  EXPECT_FALSE(map(with_class("")).encounter.contains("class"));
  const auto error = map_error(with_class("Q"));
  EXPECT_EQ(error.where(), "hl7v2:ADMIT/HOSP message ADT0001: PV1[1]-2");
  EXPECT_EQ(error.value(), "Q");
}

TEST(Hl7v2Adt, RefusesMessagesItCannotMapNamingTheField) {
  struct Case {
    std::string message;
    std::string where;
    ErrorCode code;
  };
  const std::string prefix = "hl7v2:ADMIT/HOSP message ADT0001: ";
  const std::vector<Case> cases{
      {hl7({msh("A01"), kEvn, kPv1Admit}), prefix + "PID", ErrorCode::MissingField},
      {hl7({msh("A01"), kEvn, kPidFull}), prefix + "PV1", ErrorCode::MissingField},
      {hl7({msh("A01"), kEvn, "PID|1||||Doe", kPv1Admit}), prefix + "PID[1]-3",
       ErrorCode::MissingField},
      {hl7({msh("A01"), kEvn, kPidFull, "PV1|1|I"}), prefix + "PV1[1]-19",
       ErrorCode::MissingField},
      {hl7({msh("A01"), kEvn, "PID|1||1^^^H^MR||Doe||19700215|X", kPv1Admit}),
       prefix + "PID[1]-8", ErrorCode::BadInput},
      {hl7({msh("A01"), kEvn, "PID|1||1^^^H^MR||Doe||19701315", kPv1Admit}),
       prefix + "PID[1]-7", ErrorCode::BadInput},
      {hl7({msh("A03"), kPidFull, std::string(kPv1Admit) + "|20240430000000+0000"}),
       prefix + "PV1[1]-45", ErrorCode::BadInput},
      {hl7({msh("A01"), kPidFull, "PV1|1|I|||||||||||||||||V1^^^H|||||||||||||||||||||||||"
                                  "202405010815"}),
       prefix + "PV1[1]-44", ErrorCode::AmbiguousTime},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.where);
    const auto error = map_error(c.message);
    EXPECT_EQ(error.where(), c.where) << error.what();
    EXPECT_EQ(error.code(), c.code) << error.what();
  }
}

TEST(Hl7v2Adt, TreatsExplicitNullsAsAbsent) {
  const auto resources = map(hl7(
      {msh("A08"), "PID|1||1^^^H^MR||\"\"^Jane||\"\"|\"\"", "PV1|1|\"\"|||||||||||||||||V1"}));
  EXPECT_FALSE(resources.patient.contains("gender"));
  EXPECT_FALSE(resources.patient.contains("birthDate"));
  EXPECT_EQ(resources.patient.at("name").at(0), json::parse(R"({"given": ["Jane"]})"));
  EXPECT_FALSE(resources.encounter.contains("class"));
  EXPECT_FALSE(resources.encounter.contains("actualPeriod"));
}

}  // namespace
}  // namespace ptwin::ingest::hl7v2
