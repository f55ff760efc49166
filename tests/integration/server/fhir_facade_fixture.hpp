// SPDX-License-Identifier: Apache-2.0
#pragma once
// The FHIR facade served over loopback HTTP for the tests: each test gets a fresh store
// (a SQLite file, or a PostgreSQL schema when PTWIN_TEST_POSTGRES_URL is set; otherwise the
// PostgreSQL instances are skipped, saying so) and a small libcurl client.

#include <cstdlib>
#include <cctype>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <curl/curl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <nlohmann/json.hpp>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/validation/fhirpath_invariants.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"
#include "ptwin/server/fhir/fhir_facade.hpp"
#include "ptwin/server/http/http_server.hpp"
#include "ptwin/store/fhir/postgres_resource_store.hpp"
#include "ptwin/store/fhir/sqlite_resource_store.hpp"

namespace ptwin::server::fhir::testing {

enum class Backend { Sqlite, Postgres };

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::Sqlite ? "Sqlite" : "Postgres";
}

inline const char* postgres_url() {
  const char* url = std::getenv("PTWIN_TEST_POSTGRES_URL");
  return url != nullptr && *url != '\0' ? url : nullptr;
}

struct Reply {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  [[nodiscard]] nlohmann::json json() const { return nlohmann::json::parse(body); }
  [[nodiscard]] std::string header(const std::string& name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
  }
};

/// One request with libcurl; `headers` as "Name: value".
inline Reply http(const std::string& method, const std::string& url, const std::string& body = {},
                  const std::vector<std::string>& headers = {}) {
  Reply reply;
  CURL* curl = curl_easy_init();
  curl_slist* list = nullptr;
  for (const std::string& header : headers) list = curl_slist_append(list, header.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "POST" || method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION,
                   +[](char* data, size_t size, size_t count, void* out) -> size_t {
                     static_cast<std::string*>(out)->append(data, size * count);
                     return size * count;
                   });
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION,
                   +[](char* data, size_t size, size_t count, void* out) -> size_t {
                     const std::string line(data, size * count);
                     const auto colon = line.find(':');
                     if (colon != std::string::npos) {
                       std::string name = line.substr(0, colon);
                       for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                       std::string value = line.substr(colon + 1);
                       value.erase(0, value.find_first_not_of(' '));
                       value.erase(value.find_last_not_of("\r\n") + 1);
                       (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
                     }
                     return size * count;
                   });
  const CURLcode code = curl_easy_perform(curl);
  EXPECT_EQ(code, CURLE_OK) << curl_easy_strerror(code);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return reply;
}

inline const std::vector<std::string> kJson{"Content-Type: application/fhir+json"};

class FhirFacadeTest : public ::testing::TestWithParam<Backend> {
 protected:
  static void SetUpTestSuite() {
    definitions_ = ingest::fhir::definitions::Definitions::open(PTWIN_FHIR_PACKAGE_DIR);
    // As `ptwin fhir-serve` builds it: invariants (FHIRPath constraints) on.
    ingest::fhir::validation::ValidatorOptions validator_options;
    validator_options.invariant_evaluator =
        ingest::fhir::validation::make_fhirpath_invariant_evaluator(*definitions_);
    validator_ = std::make_unique<ingest::fhir::validation::Validator>(
        *definitions_, std::move(validator_options));
  }
  static void TearDownTestSuite() {
    validator_.reset();
    definitions_.reset();
  }

  void SetUp() override {
    const std::string unique = fmt::format("{:08x}", std::random_device{}());
    if (GetParam() == Backend::Postgres) {
      if (postgres_url() == nullptr) {
        GTEST_SKIP() << "PTWIN_TEST_POSTGRES_URL is not set, so the PostgreSQL backend is not "
                        "tested here; run the tests under scripts/with_postgres.sh";
      }
      schema_ = "fhir_facade_" + unique;
      store_ = std::make_unique<store::fhir::PostgresResourceStore>(
          postgres_url(), clock_, store::fhir::PostgresOptions{.schema = schema_});
    } else {
      directory_ = std::filesystem::temp_directory_path() /
                   fmt::format("ptwin_fhir_facade_{}", unique);
      std::filesystem::create_directories(directory_);
      store_ = std::make_unique<store::fhir::SqliteResourceStore>(directory_ / "fhir.db", clock_);
    }
    FhirFacadeSettings settings;
    settings.quarantine = [this](const QuarantinedBody& body) { quarantined_.push_back(body); };
    facade_ = std::make_unique<FhirFacade>(*store_, *definitions_, *validator_, settings);
    server_ = std::make_unique<HttpServer>(HttpServerSettings{}, facade_->handler());
    base_ = server_->origin();
  }

  void TearDown() override {
    server_.reset();
    facade_.reset();
    store_.reset();
    if (!schema_.empty()) {
      PGconn* connection = PQconnectdb(postgres_url());
      PQsetNoticeProcessor(connection, [](void*, const char*) {}, nullptr);
      PQclear(PQexec(connection, fmt::format("DROP SCHEMA \"{}\" CASCADE", schema_).c_str()));
      PQfinish(connection);
    }
    if (!directory_.empty()) std::filesystem::remove_all(directory_);
  }

  Reply get(const std::string& path, const std::vector<std::string>& headers = {}) {
    return http("GET", base_ + path, {}, headers);
  }
  Reply post(const std::string& path, const nlohmann::json& body,
             std::vector<std::string> headers = kJson) {
    return http("POST", base_ + path, body.dump(), headers);
  }
  Reply put(const std::string& path, const nlohmann::json& body,
            std::vector<std::string> headers = kJson) {
    return http("PUT", base_ + path, body.dump(), headers);
  }
  Reply del(const std::string& path) { return http("DELETE", base_ + path); }

  /// Creates and returns the new id.
  std::string create(const nlohmann::json& resource) {
    // Appending instead of "/" + type: GCC 12 reports a false -Wrestrict on the latter.
    std::string path = "/";
    path += resource.at("resourceType").get<std::string>();
    const Reply reply = post(path, resource);
    EXPECT_EQ(reply.status, 201) << reply.body;
    return reply.json().value("id", "");
  }

  static nlohmann::json patient(const std::string& family, const std::string& birth_date = "1970-01-01") {
    return {{"resourceType", "Patient"},
            {"name", {{{"family", family}, {"given", {"Ann"}}}}},
            {"gender", "female"},
            {"birthDate", birth_date}};
  }
  static nlohmann::json heart_rate(const std::string& patient_id, double value) {
    return {{"resourceType", "Observation"},
            {"status", "final"},
            {"code", {{"coding", {{{"system", "http://loinc.org"}, {"code", "8867-4"}}}}}},
            {"subject", {{"reference", "Patient/" + patient_id}}},
            {"effectiveDateTime", "2024-05-01T10:00:00Z"},
            {"valueQuantity",
             {{"value", value}, {"unit", "/min"}, {"system", "http://unitsofmeasure.org"}, {"code", "/min"}}}};
  }

  time::ManualClock clock_{time::parse_iso8601("2024-05-01T12:00:00Z")};
  std::unique_ptr<store::fhir::ResourceStore> store_;
  std::unique_ptr<FhirFacade> facade_;
  std::unique_ptr<HttpServer> server_;
  std::string base_;
  std::vector<QuarantinedBody> quarantined_;

 private:
  static inline std::unique_ptr<ingest::fhir::definitions::Definitions> definitions_;
  static inline std::unique_ptr<ingest::fhir::validation::Validator> validator_;
  std::string schema_;
  std::filesystem::path directory_;
};

}  // namespace ptwin::server::fhir::testing
