// SPDX-License-Identifier: Apache-2.0
#pragma once
// One test suite, two backends: every FHIR store test is a TEST_P over FhirStoreTest and runs
// on SQLite (a fresh file per test) and on PostgreSQL (a fresh schema per test, dropped after).
// PostgreSQL runs only when PTWIN_TEST_POSTGRES_URL names a server (scripts/with_postgres.sh
// starts one); without it those instances are skipped, saying so.

#include <cctype>
#include <cstdlib>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include "ptwin/core/clock.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/store/fhir/postgres_resource_store.hpp"
#include "ptwin/store/fhir/resource_store.hpp"
#include "ptwin/store/fhir/search_values.hpp"
#include "ptwin/store/fhir/sqlite_resource_store.hpp"
#include "store_test_support.hpp"

namespace ptwin::store::fhir::test_support {

enum class Backend { Sqlite, Postgres };

/// How GoogleTest prints the parameter (test names in CTest show "GetParam() = Sqlite").
inline void PrintTo(Backend backend, std::ostream* out) {
  *out << (backend == Backend::Sqlite ? "Sqlite" : "Postgres");
}

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::Sqlite ? "Sqlite" : "Postgres";
}

inline time::Instant utc(std::string_view iso8601) { return time::parse_iso8601(iso8601); }

inline const char* postgres_url() {
  const char* url = std::getenv("PTWIN_TEST_POSTGRES_URL");
  return url != nullptr && *url != '\0' ? url : nullptr;
}

class FhirStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::Postgres) {
      if (postgres_url() == nullptr) {
        GTEST_SKIP() << "PTWIN_TEST_POSTGRES_URL is not set, so the PostgreSQL backend is not "
                        "tested here; run the tests under scripts/with_postgres.sh";
      }
      schema_ = unique_schema_name();
    }
    store_ = open_store();
  }

  void TearDown() override {
    store_.reset();
    if (!schema_.empty()) drop_schema(schema_);
  }

  /// Another store on the same database (file or schema): a second connection.
  [[nodiscard]] std::unique_ptr<ResourceStore> open_store() {
    if (GetParam() == Backend::Postgres) {
      return std::make_unique<PostgresResourceStore>(postgres_url(), clock_,
                                                     PostgresOptions{.schema = schema_});
    }
    return std::make_unique<SqliteResourceStore>(dir_.file("fhir.sqlite"), clock_);
  }

  ResourceStore& store() { return *store_; }

  /// Creates in its own transaction and returns the new version.
  ResourceVersion create(const NewResource& resource) { return store().create(resource); }

  /// The ids of the matches, in result order.
  std::vector<std::string> ids_of(const SearchQuery& query) {
    std::vector<std::string> ids;
    for (const ResourceVersion& match : store().search(query).matches) ids.push_back(match.id);
    return ids;
  }

  time::ManualClock clock_{utc("2024-05-01T12:00:00Z")};

 private:
  static std::string unique_schema_name() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = "t_";
    for (const char c : std::string(info->name()).substr(0, 40)) {
      name += std::isalnum(static_cast<unsigned char>(c)) != 0
                  ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                  : '_';
    }
    return fmt::format("{}_{:08x}", name, std::random_device{}());
  }

  static void drop_schema(const std::string& schema) {
    PGconn* connection = PQconnectdb(postgres_url());
    if (PQstatus(connection) == CONNECTION_OK) {
      // "drop cascades to ..." notices would otherwise go to stderr.
      PQsetNoticeProcessor(connection, [](void*, const char*) {}, nullptr);
      PGresult* result =
          PQexec(connection, fmt::format("DROP SCHEMA \"{}\" CASCADE", schema).c_str());
      if (PQresultStatus(result) != PGRES_COMMAND_OK) {
        ADD_FAILURE() << "drop schema " << schema << ": " << PQresultErrorMessage(result);
      }
      PQclear(result);
    } else {
      ADD_FAILURE() << "drop schema " << schema << ": " << PQerrorMessage(connection);
    }
    PQfinish(connection);
  }

  store::test_support::TempDir dir_;
  std::string schema_;
  std::unique_ptr<ResourceStore> store_;
};

#define PTWIN_FHIR_STORE_BACKENDS(suite)                                        \
  INSTANTIATE_TEST_SUITE_P(                                                     \
      Backends, suite,                                                          \
      ::testing::Values(::ptwin::store::fhir::test_support::Backend::Sqlite,    \
                        ::ptwin::store::fhir::test_support::Backend::Postgres), \
      ::ptwin::store::fhir::test_support::backend_name)

// --- resources with their index rows, as an extractor would produce them -------------------

inline constexpr std::string_view kLoinc = "http://loinc.org";
inline constexpr std::string_view kUcum = "http://unitsofmeasure.org";
inline constexpr std::string_view kMrn = "http://hospital.example/mrn";

struct PatientSpec {
  std::string family{};
  std::string given{};
  std::string birth_date{};  // FHIR date text, "" for none
  std::string gender{};      // "" for none
  std::string mrn{};         // "" for none
};

inline NewResource patient(const PatientSpec& spec) {
  NewResource resource{.resource_type = "Patient", .json = {}, .index = {}};
  std::string json =
      fmt::format(R"({{"resourceType":"Patient","name":[{{"family":"{}","given":["{}"]}}])",
                  spec.family, spec.given);
  resource.index.strings = {
      {"family", spec.family}, {"given", spec.given}, {"name", spec.family}, {"name", spec.given}};
  if (!spec.birth_date.empty()) {
    json += fmt::format(R"(,"birthDate":"{}")", spec.birth_date);
    resource.index.dates.push_back(date_index("birthdate", spec.birth_date));
  }
  if (!spec.gender.empty()) {
    json += fmt::format(R"(,"gender":"{}")", spec.gender);
    resource.index.tokens.push_back(
        TokenIndex{.param = "gender",
                   .system = "http://hl7.org/fhir/administrative-gender",
                   .code = spec.gender,
                   .text = std::nullopt});
  }
  if (!spec.mrn.empty()) {
    json += fmt::format(R"(,"identifier":[{{"system":"{}","value":"{}"}}])", kMrn, spec.mrn);
    resource.index.tokens.push_back(TokenIndex{
        .param = "identifier", .system = std::string(kMrn), .code = spec.mrn, .text = {}});
  }
  resource.json = json + "}";
  return resource;
}

struct ObservationSpec {
  std::string code = "8480-6";
  std::string display = "Systolic blood pressure";
  std::string subject{};      // "Patient/<id>", "" for none
  std::string value = "120";  // decimal text
  std::string unit = "mm[Hg]";
  std::string effective = "2024-05-01T10:00:00Z";
};

inline NewResource observation(const ObservationSpec& spec) {
  NewResource resource{.resource_type = "Observation", .json = {}, .index = {}};
  std::string json = fmt::format(
      R"({{"resourceType":"Observation","status":"final","code":{{"coding":[{{"system":"{}",)"
      R"("code":"{}","display":"{}"}}]}},"effectiveDateTime":"{}","valueQuantity":{{"value":{},)"
      R"("unit":"{}","system":"{}","code":"{}"}})",
      kLoinc, spec.code, spec.display, spec.effective, spec.value, spec.unit, kUcum, spec.unit);
  resource.index.tokens.push_back(TokenIndex{
      .param = "code", .system = std::string(kLoinc), .code = spec.code, .text = spec.display});
  resource.index.dates.push_back(date_index("date", spec.effective));
  resource.index.quantities.push_back(
      quantity_index("value-quantity", spec.value, std::string(kUcum), spec.unit, spec.unit));
  if (!spec.subject.empty()) {
    json += fmt::format(R"(,"subject":{{"reference":"{}"}})", spec.subject);
    resource.index.references.push_back(reference_index("subject", spec.subject));
    resource.index.references.push_back(reference_index("patient", spec.subject));
  }
  resource.json = json + "}";
  return resource;
}

// --- criteria ------------------------------------------------------------------------------

inline Criterion string_criterion(std::string param, std::string text,
                                  Modifier modifier = Modifier::None) {
  return Criterion{.param = std::move(param),
                   .type = SearchParamType::String,
                   .modifier = modifier,
                   .values = {StringValue{std::move(text)}}};
}

inline Criterion token_criterion(std::string param, std::string_view token,
                                 Modifier modifier = Modifier::None) {
  return Criterion{.param = std::move(param),
                   .type = SearchParamType::Token,
                   .modifier = modifier,
                   .values = {parse_token_value(token, "test")}};
}

inline Criterion date_criterion(std::string param, std::string_view value) {
  return Criterion{.param = std::move(param),
                   .type = SearchParamType::Date,
                   .values = {parse_date_value(value, "test")}};
}

inline Criterion quantity_criterion(std::string param, std::string_view value) {
  return Criterion{.param = std::move(param),
                   .type = SearchParamType::Quantity,
                   .values = {parse_quantity_value(value, "test")}};
}

inline Criterion reference_criterion(std::string param, std::string_view value) {
  return Criterion{.param = std::move(param),
                   .type = SearchParamType::Reference,
                   .values = {parse_reference_value(value, "test")}};
}

}  // namespace ptwin::store::fhir::test_support
