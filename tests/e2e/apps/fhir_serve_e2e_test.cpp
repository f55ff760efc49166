// SPDX-License-Identifier: Apache-2.0
// `ptwin fhir-serve` as a user runs it: a separate process on 127.0.0.1, written and read with
// the FHIR client, stopped with SIGINT; a refused body is found raw in the quarantine table of
// the same SQLite file afterwards.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <filesystem>
#include <random>
#include <string>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/fhir/bulk/bulk_export_import.hpp"
#include "ptwin/ingest/fhir/bulk/ndjson_importer.hpp"
#include "ptwin/ingest/fhir/client/fhir_client.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"
#include "ptwin/store/fhir/sqlite_resource_store.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "support/fhir_serve_process.hpp"

namespace ptwin::ingest::fhir {
namespace {

TEST(FhirServeEndToEnd, ServesWritesSearchAndQuarantineAndStopsOnSigint) {
  const auto directory = std::filesystem::temp_directory_path() /
                         ("ptwin_fhir_serve_" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(directory);
  testing::FhirServeProcess server(PTWIN_EXECUTABLE, directory / "fhir.db");

  FhirClientSettings settings;
  settings.base_url = server.base_url();
  settings.timeout = std::chrono::milliseconds(5000);
  FhirClient client(settings);
  EXPECT_EQ(client.capabilities().at("fhirVersion"), "5.0.0");
  const auto page = client.search("Patient", {{"family", "nobody"}});
  EXPECT_TRUE(page.matches.empty());
  EXPECT_THROW((void)client.read("Patient", "missing"), FhirClientError);

  const nlohmann::json patient = {{"resourceType", "Patient"}, {"id", "p1"},
                                  {"name", {{{"family", "Okafor"}}}}};
  EXPECT_EQ(client.update(patient).at("meta").at("versionId"), "1");
  const auto created = client.create({{"resourceType", "Observation"},
                                      {"status", "final"},
                                      {"code", {{"text", "heart rate"}}},
                                      {"subject", {{"reference", "Patient/p1"}}}});
  EXPECT_EQ(client.search("Observation", {{"patient", "Patient/p1"}}).matches.at(0).at("id"),
            created.at("id"));
  const auto bad_patient = nlohmann::json::parse(R"({"resourceType":"Patient","birthDate":"1961-13-45"})");
  const std::string bad_body = bad_patient.dump();  // the bytes the client sends
  try {
    (void)client.create(bad_patient);
    ADD_FAILURE() << "an impossible birth date was accepted";
  } catch (const FhirClientError& error) {
    EXPECT_EQ(error.http_status(), 422);
    EXPECT_NE(std::string(error.what()).find("Patient.birthDate"), std::string::npos) << error.what();
  }

  const int status = server.stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;

  // The refused body, byte for byte, in the resources' own SQLite file.
  const store::SqliteStore database(directory / "fhir.db");
  const auto quarantined = database.quarantined(std::nullopt);
  ASSERT_EQ(quarantined.size(), 1U);
  EXPECT_EQ(quarantined[0].entry.raw_bytes, bad_body);
  EXPECT_NE(quarantined[0].entry.reason.find("Patient.birthDate"), std::string::npos);
  std::filesystem::remove_all(directory);
}

// Bulk Data $export from the fhir-serve process (kick-off with curl, as a user would), then
// the export imported into a second store by status URL: the same resources arrive.
TEST(FhirServeEndToEnd, ExportsInBulkAndAnotherStoreImportsTheExport) {
  const auto directory = std::filesystem::temp_directory_path() /
                         ("ptwin_fhir_export_" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(directory);
  testing::FhirServeProcess server(PTWIN_EXECUTABLE, directory / "fhir.db");
  FhirClientSettings settings;
  settings.base_url = server.base_url();
  settings.timeout = std::chrono::milliseconds(5000);
  FhirClient client(settings);
  for (const char* family : {"Alpha", "Beta"}) {
    (void)client.create({{"resourceType", "Patient"}, {"name", {{{"family", family}}}}});
  }
  (void)client.create({{"resourceType", "Device"}, {"status", "active"}});

  const auto headers = directory / "headers.txt";
  const auto command = "curl -s -o /dev/null -D '" + headers.string() +
                       "' -H 'Accept: application/fhir+json' -H 'Prefer: respond-async' '" +
                       server.base_url() + "/$export'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(headers);
  std::string line;
  std::string status_line;
  std::string status_url;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.starts_with("HTTP/")) status_line = line;
    const std::string location = "content-location:";
    std::string lower = line;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.starts_with(location)) status_url = line.substr(location.size() + 1);
  }
  EXPECT_NE(status_line.find(" 202"), std::string::npos) << status_line;
  ASSERT_FALSE(status_url.empty());

  const auto definitions =
      definitions::Definitions::open(std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  const validation::Validator validator(*definitions);
  const indexing::IndexExtractor extractor(*definitions);
  time::SystemClock clock;
  store::fhir::SqliteResourceStore copy(directory / "copy.db", clock);
  store::SqliteStore quarantine(directory / "copy.db");
  bulk::NdjsonImporter importer(
      copy, validator, extractor,
      [&](const store::QuarantineEntry& entry) { (void)quarantine.quarantine(entry); }, {});
  bulk::BulkExportImport import(client, importer, directory / "downloads");
  const auto report = import.from_status_url(status_url, std::chrono::seconds(60));
  EXPECT_EQ(report.total.accepted, 3);
  EXPECT_EQ(report.total.quarantined(), 0);
  EXPECT_TRUE(report.total.is_conserved());
  const auto patients = copy.begin(store::fhir::TransactionMode::ReadOnly)
                            ->export_scan({.resource_type = "Patient",
                                           .since = std::nullopt,
                                           .until = clock.now() + std::chrono::hours(1),
                                           .after_id = std::nullopt,
                                           .patient_compartment = std::nullopt,
                                           .filters = {},
                                           .limit = 10});
  EXPECT_EQ(patients.size(), 2U);
  const int status = server.stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace ptwin::ingest::fhir
