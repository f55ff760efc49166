// SPDX-License-Identifier: Apache-2.0
// The Bulk Data kick-off parameters (FHIR Bulk Data Access IG v2): a POST's Parameters body as
// name/value pairs, parse_export_request's checks, and the request's JSON form in the job row.
// Bad inputs: tests/data/bad_inputs/bulk_kickoff/ (`body`: parameters_body refuses the file;
// `request`: parameters_body reads it and parse_export_request refuses it at system level).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <functional>

#include "ptwin/server/fhir/bulk/export_request.hpp"
#include "ptwin/server/fhir/fhir_response.hpp"
#include "support/bad_input_corpus.hpp"

namespace ptwin::server::fhir::bulk {
namespace {

const std::vector<std::string> kServed{"Encounter", "Observation", "Patient"};
using Params = std::vector<std::pair<std::string, std::string>>;

std::string refusal_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const FhirError& error) {
    EXPECT_EQ(error.status(), 400);
    return error.outcome().at("issue").at(0).value("diagnostics", "");
  }
  ADD_FAILURE() << "accepted";
  return {};
}

TEST(BulkKickOff, AParametersBodyBecomesNameValuePairs) {
  const Params pairs = parameters_body(R"({"resourceType":"Parameters","parameter":[
      {"name":"_type","valueString":"Patient,Observation"},
      {"name":"_since","valueInstant":"2024-05-01T12:00:00Z"},
      {"name":"_outputFormat","valueCode":"ndjson"},
      {"name":"patient","valueReference":{"reference":"Patient/p1"}},
      {"name":"_typeFilter","valueString":"Observation?code=8867-4"}]})");
  EXPECT_EQ(pairs, (Params{{"_type", "Patient,Observation"},
                           {"_since", "2024-05-01T12:00:00Z"},
                           {"_outputFormat", "ndjson"},
                           {"patient", "Patient/p1"},
                           {"_typeFilter", "Observation?code=8867-4"}}));
  EXPECT_TRUE(parameters_body(R"({"resourceType":"Parameters"})").empty());
}

TEST(BulkKickOff, ParsedRequestsKeepFiltersPatientsAndGroupAcrossTheJobRow) {
  ExportRequest request = parse_export_request(
      ExportLevel::Group,
      {{"_type", "Observation, Patient"},
       {"_typeFilter", "Observation?code=8867-4"},
       {"_typeFilter", "Observation?status=final&subject=Patient/p2"},
       {"patient", "Patient/p1,Patient/p2"},
       {"patient", "Patient/p1"},
       {"_since", "2024-05-01T12:00:00+02:00"},
       {"_until", "2024-05-02T00:00:00Z"}},
      kServed, "http://h/fhir/Group/g1/$export");
  EXPECT_EQ(request.types, (std::vector<std::string>{"Observation", "Patient"}));
  ASSERT_EQ(request.type_filters.size(), 2U);
  EXPECT_EQ(request.type_filters[1],
            (TypeFilter{.type = "Observation", .query = "status=final&subject=Patient/p2"}));
  EXPECT_EQ(request.patients, (std::vector<std::string>{"p1", "p2"}));
  EXPECT_EQ(request.since, time::parse_iso8601("2024-05-01T10:00:00Z"));
  EXPECT_EQ(request.until, time::parse_iso8601("2024-05-02T00:00:00Z"));
  request.group_id = "g1";
  request.group_patients = {"p2"};
  request.base_url = "http://h/fhir";
  EXPECT_EQ(export_request_from_json(to_json(request)), request);
  // Without _type: every served type; a system request has no patients.
  const ExportRequest system = parse_export_request(ExportLevel::System, {}, kServed, "u");
  EXPECT_EQ(system.types, kServed);
  EXPECT_FALSE(system.patients.has_value());
  EXPECT_EQ(export_request_from_json(to_json(system)), system);
}

TEST(BulkKickOff, PatientReferencesMustNamePatients) {
  for (const char* value : {"Device/x", "Patient/", "p1", "Patient/a b", "Patient/x/_history/2"}) {
    const std::string why = refusal_of([&] {
      (void)parse_export_request(ExportLevel::Patient, {{"patient", value}}, kServed, "u");
    });
    EXPECT_NE(why.find(fmt::format("patient '{}'", value)), std::string::npos) << why;
  }
}

TEST(BulkKickOff, TheBadInputCorpusIsRefusedNamingWhat) {
  const std::filesystem::path directory =
      std::filesystem::path(PTWIN_SOURCE_DIR) / "tests/data/bad_inputs/bulk_kickoff";
  const std::vector<std::string> scopes{"body", "request"};
  std::size_t count = 0;
  for (const std::string& scope : scopes) {
    for (const auto& bad : ptwin::testing::scoped_corpus(directory, ".json", scopes, scope)) {
      SCOPED_TRACE(bad.input.filename().string());
      ++count;
      const std::string text = ptwin::testing::read_bytes(bad.input);
      const std::string why = refusal_of([&] {
        const Params pairs = parameters_body(text);
        if (scope == "body") return;  // must have thrown
        (void)parse_export_request(ExportLevel::System, pairs, kServed, "u");
      });
      EXPECT_EQ(bad.code_name, "400");
      ptwin::testing::expect_fragments(why, bad);
    }
  }
  EXPECT_GE(count, 16U);
}

}  // namespace
}  // namespace ptwin::server::fhir::bulk
