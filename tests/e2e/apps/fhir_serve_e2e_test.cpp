// SPDX-License-Identifier: Apache-2.0
// `ptwin fhir-serve` as a user runs it: a separate process on 127.0.0.1, written and read with
// the FHIR client, stopped with SIGINT; a refused body is found raw in the quarantine table of
// the same SQLite file afterwards.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>

#include "ptwin/ingest/fhir/client/fhir_client.hpp"
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

}  // namespace
}  // namespace ptwin::ingest::fhir
