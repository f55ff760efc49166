// SPDX-License-Identifier: Apache-2.0
#pragma once
// The FHIR facade with Bulk Data $export over loopback HTTP: a fresh store per test (a SQLite
// file, or a PostgreSQL schema when PTWIN_TEST_POSTGRES_URL is set; otherwise the PostgreSQL
// instances are skipped, saying so), an export directory, and helpers to kick off, poll and
// download. start()/shut_down() let a test stop the facade mid-job and open a new one on the
// same database.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "fhir_facade_fixture.hpp"
#include "ptwin/server/fhir/bulk/bulk_exporter.hpp"

namespace ptwin::server::fhir::testing {

inline const std::vector<std::string> kAsync{"Prefer: respond-async",
                                             "Accept: application/fhir+json"};

class BulkExportTest : public ::testing::TestWithParam<Backend> {
 protected:
  static void SetUpTestSuite() {
    definitions_ = ingest::fhir::definitions::Definitions::open(PTWIN_FHIR_PACKAGE_DIR);
    validator_ = std::make_unique<ingest::fhir::validation::Validator>(*definitions_);
  }
  static void TearDownTestSuite() {
    validator_.reset();
    definitions_.reset();
  }

  void SetUp() override {
    const std::string unique = fmt::format("{:08x}", std::random_device{}());
    directory_ = std::filesystem::temp_directory_path() / fmt::format("ptwin_bulk_{}", unique);
    std::filesystem::create_directories(directory_);
    if (GetParam() == Backend::Postgres) {
      if (postgres_url() == nullptr) {
        GTEST_SKIP() << "PTWIN_TEST_POSTGRES_URL is not set, so the PostgreSQL backend is not "
                        "tested here; run the tests under scripts/with_postgres.sh";
      }
      schema_ = "bulk_export_" + unique;
    }
    settings_.directory = directory_ / "exports";
    settings_.retry_after = std::chrono::seconds(1);
  }

  void TearDown() override {
    shut_down();
    if (!schema_.empty()) {
      PGconn* connection = PQconnectdb(postgres_url());
      PQsetNoticeProcessor(connection, [](void*, const char*) {}, nullptr);
      PQclear(PQexec(connection, fmt::format("DROP SCHEMA \"{}\" CASCADE", schema_).c_str()));
      PQfinish(connection);
    }
    std::filesystem::remove_all(directory_);
  }

  [[nodiscard]] std::unique_ptr<store::fhir::ResourceStore> open_store() {
    if (GetParam() == Backend::Postgres) {
      return std::make_unique<store::fhir::PostgresResourceStore>(
          postgres_url(), clock_, store::fhir::PostgresOptions{.schema = schema_});
    }
    return std::make_unique<store::fhir::SqliteResourceStore>(directory_ / "fhir.db", clock_);
  }

  /// Opens the store, the exporter (which resumes unfinished jobs), the facade and the server.
  void start() {
    store_ = open_store();
    FhirFacadeSettings facade_settings;
    std::vector<std::string> types;
    {
      const FhirFacade probe(*store_, *definitions_, *validator_, {});
      types = probe.resource_types();
    }
    // Group/[id]/$export reads Groups that clients wrote.
    if (!std::binary_search(types.begin(), types.end(), "Group")) {
      types.insert(std::upper_bound(types.begin(), types.end(), "Group"), "Group");
    }
    facade_settings.resource_types = types;
    exporter_ = std::make_unique<bulk::BulkExporter>(*store_, clock_, *definitions_, types,
                                                     settings_);
    facade_settings.bulk_export = exporter_.get();
    facade_ = std::make_unique<FhirFacade>(*store_, *definitions_, *validator_, facade_settings);
    server_ = std::make_unique<HttpServer>(HttpServerSettings{}, facade_->handler());
    base_ = server_->origin();
  }

  void shut_down() {
    server_.reset();
    facade_.reset();
    exporter_.reset();
    store_.reset();
  }

  Reply get(const std::string& path, const std::vector<std::string>& headers = {}) {
    return http("GET", base_ + path, {}, headers);
  }

  /// POST kick-off of `path` with a Parameters body of `parameters` (name, value[x] objects).
  Reply post_kick_off(const std::string& path, const nlohmann::json& parameters,
                      std::vector<std::string> headers = {"Prefer: respond-async",
                                                          "Accept: application/fhir+json",
                                                          "Content-Type: application/fhir+json"}) {
    const nlohmann::json body = {{"resourceType", "Parameters"}, {"parameter", parameters}};
    return http("POST", base_ + path, body.dump(), headers);
  }

  /// "Type/id" of every exported resource of a complete status reply.
  std::set<std::string> exported_keys(const Reply& done) {
    std::set<std::string> keys;
    for (const nlohmann::json& resource : download_all(done.json())) {
      EXPECT_TRUE(keys.insert(fmt::format("{}/{}", resource.at("resourceType").get<std::string>(),
                                          resource.at("id").get<std::string>()))
                      .second)
          << "written twice";
    }
    return keys;
  }

  std::string create(const nlohmann::json& resource) {
    std::string path = "/";
    path += resource.at("resourceType").get<std::string>();
    const Reply reply = http("POST", base_ + path, resource.dump(), kJson);
    EXPECT_EQ(reply.status, 201) << reply.body;
    return reply.json().value("id", "");
  }

  /// Kicks off `path` ("/$export?...") and returns the status URL.
  std::string kick_off(const std::string& path) {
    const Reply reply = get(path, kAsync);
    EXPECT_EQ(reply.status, 202) << reply.body;
    return reply.header("content-location");
  }

  /// Polls the status URL until it stops answering 202 (at most 60 s).
  Reply wait_for(const std::string& status_url) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    Reply reply = http("GET", status_url);
    while (reply.status == 202 && std::chrono::steady_clock::now() < deadline) {
      EXPECT_FALSE(reply.header("x-progress").empty());
      EXPECT_EQ(reply.header("retry-after"), "1");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      reply = http("GET", status_url);
    }
    return reply;
  }

  /// Every line of every output file of a manifest, parsed, with the file's type checked.
  std::vector<nlohmann::json> download_all(const nlohmann::json& manifest) {
    std::vector<nlohmann::json> resources;
    for (const auto& output : manifest.at("output")) {
      const Reply file = http("GET", output.at("url").get<std::string>(), {},
                              {"Accept: application/fhir+ndjson"});
      EXPECT_EQ(file.status, 200) << file.body;
      EXPECT_EQ(file.header("content-type"), "application/fhir+ndjson");
      std::istringstream lines(file.body);
      std::int64_t count = 0;
      for (std::string line; std::getline(lines, line);) {
        resources.push_back(nlohmann::json::parse(line));
        EXPECT_EQ(resources.back().at("resourceType"), output.at("type"));
        ++count;
      }
      EXPECT_EQ(count, output.at("count").get<std::int64_t>());
    }
    return resources;
  }

  static nlohmann::json patient(const std::string& family) {
    return {{"resourceType", "Patient"}, {"name", {{{"family", family}}}}, {"gender", "female"}};
  }
  static nlohmann::json heart_rate(const std::string& patient_id, double value) {
    return {{"resourceType", "Observation"},
            {"status", "final"},
            {"code", {{"coding", {{{"system", "http://loinc.org"}, {"code", "8867-4"}}}}}},
            {"subject", {{"reference", "Patient/" + patient_id}}},
            {"effectiveDateTime", "2024-05-01T10:00:00Z"},
            {"valueQuantity",
             {{"value", value}, {"unit", "/min"}, {"system", "http://unitsofmeasure.org"},
              {"code", "/min"}}}};
  }

  static nlohmann::json observation_coded(const std::string& patient_id, const std::string& code,
                                          const std::string& status) {
    nlohmann::json observation = heart_rate(patient_id, 70);
    observation["code"]["coding"][0]["code"] = code;
    observation["status"] = status;
    return observation;
  }

  time::ManualClock clock_{time::parse_iso8601("2024-05-01T12:00:00Z")};
  bulk::BulkExportSettings settings_;
  std::filesystem::path directory_;
  std::unique_ptr<store::fhir::ResourceStore> store_;
  std::unique_ptr<bulk::BulkExporter> exporter_;
  std::unique_ptr<FhirFacade> facade_;
  std::unique_ptr<HttpServer> server_;
  std::string base_;
  static inline std::unique_ptr<ingest::fhir::definitions::Definitions> definitions_;
  static inline std::unique_ptr<ingest::fhir::validation::Validator> validator_;

 private:
  std::string schema_;
};

}  // namespace ptwin::server::fhir::testing
