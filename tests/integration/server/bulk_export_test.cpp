// SPDX-License-Identifier: Apache-2.0
// Bulk Data $export through the facade over HTTP (FHIR Bulk Data Access IG v2): kick-off
// checks, status polling, the manifest and its files, _type, _since, Patient-level export,
// files split by size, DELETE, the CapabilityStatement, and a job that survives a restart.
#include <future>
#include <set>
#include <sstream>

#include "bulk_export_fixture.hpp"

namespace ptwin::server::fhir::testing {
namespace {

using nlohmann::json;

std::string diagnostics(const Reply& reply) {
  const json outcome = reply.json();
  return outcome.at("issue").at(0).value("diagnostics", "");
}

TEST_P(BulkExportTest, KickOffRefusesWhatItDoesNotSupportSayingWhat) {
  start();
  Reply reply = get("/$export", {"Accept: application/fhir+json"});
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(diagnostics(reply).find("Prefer: respond-async"), std::string::npos);
  reply = get("/$export?_outputFormat=text/csv", kAsync);
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(diagnostics(reply).find("text/csv"), std::string::npos);
  reply = get("/$export?organizeOutputBy=Patient&includeAssociatedData=x", kAsync);
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(diagnostics(reply).find("organizeOutputBy, includeAssociatedData"), std::string::npos);
  reply = get("/$export?patient=Patient/1", kAsync);  // not at system level
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(diagnostics(reply).find("patient 'Patient/1'"), std::string::npos);
  reply = get("/$export?_type=Observation,Spaceship", kAsync);
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(diagnostics(reply).find("'Spaceship'"), std::string::npos);
  reply = get("/$export?_since=2024-05-01T10:00:00", kAsync);  // no time zone
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(diagnostics(reply).find("_since"), std::string::npos);
  reply = get("/$export", {"Prefer: respond-async", "Accept: text/html"});
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(get("/$export-status/0123abcd").status, 404);
  EXPECT_EQ(get("/$export-file/0123abcd/Patient-1.ndjson").status, 404);
  // "+" in a query is a space (forms): the client percent-encodes it.
  for (const char* format : {"application/fhir%2Bndjson", "application/ndjson", "ndjson"}) {
    EXPECT_EQ(get(fmt::format("/$export?_type=Patient&_outputFormat={}", format), kAsync).status,
              202)
        << format;
  }
}

TEST_P(BulkExportTest, SystemExportWritesEveryResourceOnceWithAManifest) {
  start();
  std::set<std::string> patients;
  std::set<std::string> observations;
  for (int p = 0; p < 3; ++p) {
    const std::string id = create(patient(fmt::format("Family{}", p)));
    patients.insert(id);
    for (int o = 0; o < 4; ++o) observations.insert(create(heart_rate(id, 60.0 + o)));
  }
  const std::string status_url = kick_off("/$export?_outputFormat=application%2Ffhir%2Bndjson");
  EXPECT_TRUE(status_url.starts_with(base_ + "/$export-status/")) << status_url;
  const Reply done = wait_for(status_url);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.header("content-type"), "application/json");
  const json manifest = done.json();
  EXPECT_EQ(manifest.at("transactionTime"), "2024-05-01T12:00:00Z");
  EXPECT_EQ(manifest.at("request"), base_ + "/$export?_outputFormat=application%2Ffhir%2Bndjson");
  EXPECT_EQ(manifest.at("requiresAccessToken"), false);
  EXPECT_TRUE(manifest.at("error").empty());
  std::set<std::string> exported_patients;
  std::set<std::string> exported_observations;
  for (const json& resource : download_all(manifest)) {
    auto& ids = resource.at("resourceType") == "Patient" ? exported_patients : exported_observations;
    EXPECT_TRUE(ids.insert(resource.at("id").get<std::string>()).second) << "written twice";
  }
  EXPECT_EQ(exported_patients, patients);
  EXPECT_EQ(exported_observations, observations);
  // A file is served once the job is complete, and DELETE then removes the job and its files.
  EXPECT_EQ(http("DELETE", status_url).status, 202);
  EXPECT_EQ(http("GET", status_url).status, 404);
  EXPECT_EQ(http("GET", manifest.at("output").at(0).at("url").get<std::string>()).status, 404);
}

TEST_P(BulkExportTest, TypeAndSinceSelectWhatIsExported) {
  start();
  const std::string early = create(patient("Early"));
  (void)create(heart_rate(early, 61));
  clock_.advance(std::chrono::minutes(10));
  const std::string late = create(patient("Late"));
  const std::string late_observation = create(heart_rate(late, 62));
  (void)create({{"resourceType", "Device"}, {"status", "active"}});
  const Reply done = wait_for(kick_off("/$export?_type=Observation,Patient&_since=2024-05-01T12:05:00Z"));
  ASSERT_EQ(done.status, 200) << done.body;
  const json manifest = done.json();
  ASSERT_EQ(manifest.at("output").size(), 2U);
  // Files in the order of _type.
  EXPECT_EQ(manifest.at("output").at(0).at("type"), "Observation");
  EXPECT_EQ(manifest.at("output").at(1).at("type"), "Patient");
  const auto resources = download_all(manifest);
  ASSERT_EQ(resources.size(), 2U);
  EXPECT_EQ(resources[0].at("id"), late_observation);
  EXPECT_EQ(resources[1].at("id"), late);
}

// _until (Bulk Data IG, export OperationDefinition): only what was last updated up to it; an
// _until after the kick-off exports what _until-less would (transactionTime bounds it).
TEST_P(BulkExportTest, UntilLeavesOutWhatWasUpdatedAfterIt) {
  start();
  const std::string early = create(patient("Early"));  // 2024-05-01T12:00:00Z
  clock_.advance(std::chrono::minutes(10));
  const std::string late = create(patient("Late"));  // 12:10
  clock_.advance(std::chrono::minutes(10));
  nlohmann::json renamed = patient("Renamed");
  renamed["id"] = early;
  ASSERT_EQ(http("PUT", base_ + "/Patient/" + early, renamed.dump(), kJson).status, 200)
      << "12:20: early is now updated late too";
  const Reply until_five = wait_for(kick_off("/$export?_type=Patient&_until=2024-05-01T12:05:00Z"));
  ASSERT_EQ(until_five.status, 200) << until_five.body;
  EXPECT_TRUE(download_all(until_five.json()).empty());
  const Reply until_fifteen =
      wait_for(kick_off("/$export?_type=Patient&_until=2024-05-01T12:15:00Z"));
  ASSERT_EQ(until_fifteen.status, 200) << until_fifteen.body;
  const auto middle = download_all(until_fifteen.json());
  ASSERT_EQ(middle.size(), 1U);
  EXPECT_EQ(middle[0].at("id"), late);
  const Reply window = wait_for(
      kick_off("/$export?_type=Patient&_since=2024-05-01T12:15:00Z&_until=2099-01-01T00:00:00Z"));
  ASSERT_EQ(window.status, 200) << window.body;
  const auto renamed_only = download_all(window.json());
  ASSERT_EQ(renamed_only.size(), 1U);
  EXPECT_EQ(renamed_only[0].at("id"), early);
  // Refusals name the parameter.
  Reply reply = get("/$export?_until=2024-05-01", kAsync);
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(diagnostics(reply).find("_until '2024-05-01'"), std::string::npos) << reply.body;
  reply = get("/$export?_since=2024-05-01T12:00:00Z&_until=2024-05-01T11:00:00Z", kAsync);
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(diagnostics(reply).find("is not later than _since"), std::string::npos) << reply.body;
}

// _elements (Bulk Data IG v2): selected and mandatory root elements only, tagged SUBSETTED;
// a type no selection applies to is exported whole.
TEST_P(BulkExportTest, ElementsKeepTheSelectedAndMandatoryRootElementsTaggedSubsetted) {
  start();
  const std::string id = create(patient("Subset"));
  (void)create(heart_rate(id, 64));
  (void)create({{"resourceType", "Device"}, {"status", "active"}});
  const Reply done = wait_for(
      kick_off("/$export?_type=Patient,Observation,Device&_elements=Patient.name,subject,value"));
  ASSERT_EQ(done.status, 200) << done.body;
  const auto resources = download_all(done.json());
  ASSERT_EQ(resources.size(), 3U);
  const auto keys_of = [](const json& resource) {
    std::set<std::string> keys;
    for (const auto& [key, value] : resource.items()) keys.insert(key);
    return keys;
  };
  const auto is_subsetted = [](const json& resource) {
    for (const json& tag : resource.at("meta").value("tag", json::array())) {
      if (tag.value("code", "") == "SUBSETTED" &&
          tag.value("system", "") == "http://terminology.hl7.org/CodeSystem/v3-ObservationValue") {
        return true;
      }
    }
    return false;
  };
  for (const json& resource : resources) {
    const std::string type = resource.at("resourceType");
    SCOPED_TRACE(type);
    if (type == "Patient") {
      EXPECT_EQ(keys_of(resource), (std::set<std::string>{"resourceType", "id", "meta", "name"}));
      EXPECT_TRUE(is_subsetted(resource));
    } else if (type == "Observation") {
      // status and code are mandatory (1..1); subject and value[x] were selected.
      EXPECT_EQ(keys_of(resource), (std::set<std::string>{"resourceType", "id", "meta", "status",
                                                          "code", "subject", "valueQuantity"}));
      EXPECT_TRUE(is_subsetted(resource));
      EXPECT_EQ(resource.at("meta").at("versionId"), "1");  // meta as stored, plus the tag
    } else {
      EXPECT_EQ(resource.at("status"), "active");  // Device has no subject or value: whole
      EXPECT_FALSE(resource.contains("meta") && is_subsetted(resource));
    }
  }
  // Refusals name the selection.
  const std::vector<std::pair<std::string, std::string>> refusals{
      {"/$export?_type=Patient&_elements=Patient.nope", "'Patient.nope' is not a root element"},
      {"/$export?_type=Patient&_elements=Encounter.status", "names type Encounter"},
      {"/$export?_type=Patient&_elements=valueQuantity", "none of the exported types"},
      {"/$export?_elements=Patient.name.given", "'Patient.name.given' is not [Type.]element"},
  };
  for (const auto& [path, fragment] : refusals) {
    const Reply reply = get(path, kAsync);
    EXPECT_EQ(reply.status, 400) << path;
    EXPECT_NE(diagnostics(reply).find(fragment), std::string::npos) << path << reply.body;
  }
}

TEST_P(BulkExportTest, PatientExportTakesPatientsAndWhatReferencesThem) {
  start();
  const std::string id = create(patient("Compartment"));
  const std::string observation = create(heart_rate(id, 70));
  (void)create({{"resourceType", "Device"}, {"status", "active"}});
  const Reply done = wait_for(kick_off("/Patient/$export"));
  ASSERT_EQ(done.status, 200) << done.body;
  std::set<std::string> exported;
  for (const json& resource : download_all(done.json())) {
    exported.insert(fmt::format("{}/{}", resource.at("resourceType").get<std::string>(),
                                resource.at("id").get<std::string>()));
  }
  EXPECT_EQ(exported, (std::set<std::string>{"Patient/" + id, "Observation/" + observation}));
  // The system export has the Device too.
  const Reply system = wait_for(kick_off("/$export"));
  EXPECT_EQ(download_all(system.json()).size(), 3U);
}

TEST_P(BulkExportTest, SplitsFilesAtTheSizeLimit) {
  settings_.max_file_bytes = 1500;  // a heart-rate Observation line is ~400 bytes
  start();
  const std::string id = create(patient("Split"));
  for (int o = 0; o < 20; ++o) (void)create(heart_rate(id, 50.0 + o));
  const Reply done = wait_for(kick_off("/$export?_type=Observation"));
  ASSERT_EQ(done.status, 200) << done.body;
  const json manifest = done.json();
  EXPECT_GT(manifest.at("output").size(), 3U);
  std::int64_t total = 0;
  for (const json& output : manifest.at("output")) {
    const Reply file = http("GET", output.at("url").get<std::string>());
    EXPECT_LE(file.body.size(), 1500U);
    total += output.at("count").get<std::int64_t>();
  }
  EXPECT_EQ(total, 20);
  EXPECT_EQ(download_all(manifest).size(), 20U);
}

TEST_P(BulkExportTest, CapabilityStatementDeclaresTheExportOperations) {
  start();
  const json statement = get("/metadata").json();
  EXPECT_EQ(statement.at("instantiates").at(0),
            "http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data");
  const json& rest = statement.at("rest").at(0);
  EXPECT_EQ(rest.at("operation").at(0).at("name"), "export");
  bool has_patient_export = false;
  for (const json& resource : rest.at("resource")) {
    if (resource.at("type") == "Patient") {
      has_patient_export = resource.at("operation").at(0).at("definition") ==
                           "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export";
    } else if (resource.at("type") == "Group") {
      EXPECT_EQ(resource.at("operation").at(0).at("definition"),
                "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export");
    } else {
      EXPECT_FALSE(resource.contains("operation")) << resource.at("type");
    }
  }
  EXPECT_TRUE(has_patient_export);
}

TEST_P(BulkExportTest, AJobStoppedMidwayCompletesInTheNextFacadeOnTheSameDatabase) {
  settings_.page_size = 3;
  // The first facade stops itself on its first page of Observations (Patients done by then).
  std::promise<void> stopped;
  bool has_stopped = false;
  settings_.on_page = [&](const std::string&, std::int64_t written) {
    if (written > 4 && !has_stopped) {
      has_stopped = true;
      exporter_->request_stop();
      stopped.set_value();
    }
  };
  start();
  std::set<std::string> expected;
  for (int p = 0; p < 4; ++p) {
    const std::string id = create(patient(fmt::format("Restart{}", p)));
    expected.insert("Patient/" + id);
    for (int o = 0; o < 5; ++o) expected.insert("Observation/" + create(heart_rate(id, 70.0 + o)));
  }
  const std::string status_url = kick_off("/$export?_type=Patient,Observation");
  ASSERT_EQ(stopped.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
  const std::string job_id = status_url.substr(status_url.rfind('/') + 1);
  shut_down();
  {  // What the interrupted job left in the store: running, Patients finished.
    const auto store = open_store();
    const auto transaction = store->begin(store::fhir::TransactionMode::ReadOnly);
    const auto row = transaction->export_job(job_id);
    transaction->commit();
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(row->state, "running");
    EXPECT_EQ(json::parse(row->progress_json).at("next_type"), 1);
  }
  settings_.on_page = nullptr;
  start();
  const Reply done = wait_for(base_ + status_url.substr(status_url.find("/$export-status")));
  ASSERT_EQ(done.status, 200) << done.body;
  std::set<std::string> exported;
  for (const json& resource : download_all(done.json())) {
    const bool is_new = exported
                            .insert(fmt::format("{}/{}", resource.at("resourceType").get<std::string>(),
                                                resource.at("id").get<std::string>()))
                            .second;
    EXPECT_TRUE(is_new) << "written twice: " << resource.at("id");
  }
  EXPECT_EQ(exported, expected);
}

TEST_P(BulkExportTest, DeleteCancelsARunningJobAndTheNextJobStillRuns) {
  settings_.page_size = 2;
  // The client deletes the job while its first page is being written.
  std::promise<std::string> kicked_off;  // the worker may start before kick-off has answered
  std::shared_future<std::string> status_url_known = kicked_off.get_future().share();
  std::promise<long> deleted;
  bool has_deleted = false;
  settings_.on_page = [&](const std::string&, std::int64_t) {
    if (!has_deleted) {
      has_deleted = true;
      deleted.set_value(http("DELETE", status_url_known.get()).status);
    }
  };
  start();
  const std::string id = create(patient("Cancelled"));
  for (int o = 0; o < 9; ++o) (void)create(heart_rate(id, 80.0 + o));
  const std::string status_url = kick_off("/$export?_type=Observation");
  kicked_off.set_value(status_url);
  auto answer = deleted.get_future();
  ASSERT_EQ(answer.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_EQ(answer.get(), 202);
  EXPECT_EQ(http("GET", status_url).status, 404);
  const std::string job_id = status_url.substr(status_url.rfind('/') + 1);
  // The worker leaves the cancelled job at its next page and takes the next one.
  const Reply next = wait_for(kick_off("/$export?_type=Patient"));
  ASSERT_EQ(next.status, 200) << next.body;
  EXPECT_EQ(download_all(next.json()).size(), 1U);
  EXPECT_FALSE(std::filesystem::exists(settings_.directory / job_id));
  EXPECT_EQ(http("GET", status_url).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, BulkExportTest,
                         ::testing::Values(Backend::Sqlite, Backend::Postgres), backend_name);

}  // namespace
}  // namespace ptwin::server::fhir::testing
