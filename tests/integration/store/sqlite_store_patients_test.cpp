// SPDX-License-Identifier: Apache-2.0
#include <string>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/time.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "store_test_support.hpp"

namespace ptwin::store {
namespace {

using test_support::TempDir;

// Synthetic patient; no real person.
const std::string kPatientJson =
    R"({"resourceType":"Patient","id":"pt-001","name":[{"family":"Synthetic","given":["Ada"]}],)"
    R"("birthDate":"1970-01-01"})";

TEST(SqliteStorePatients, UpsertThenFindReturnsTheSameRecord) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  const PatientRecord patient{.id = "pt-001",
                              .fhir_json = kPatientJson,
                              .updated_at = time::parse_iso8601("2024-05-01T12:00:00.123456789Z")};
  store.upsert_patient(patient);
  EXPECT_EQ(store.find_patient("pt-001"), patient);
}

TEST(SqliteStorePatients, UpsertReplacesTheStoredVersion) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  store.upsert_patient(
      {.id = "pt-001", .fhir_json = kPatientJson, .updated_at = time::from_epoch_ns(1)});
  const PatientRecord newer{
      .id = "pt-001",
      .fhir_json = R"({"resourceType":"Patient","id":"pt-001","active":false})",
      .updated_at = time::from_epoch_ns(2)};
  store.upsert_patient(newer);
  EXPECT_EQ(store.find_patient("pt-001"), newer);
}

TEST(SqliteStorePatients, FindOfAnUnknownIdReturnsNullopt) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  EXPECT_EQ(store.find_patient("nobody"), std::nullopt);
}

TEST(SqliteStorePatients, PatientSurvivesReopen) {
  const TempDir dir;
  const PatientRecord patient{
      .id = "pt-001", .fhir_json = kPatientJson, .updated_at = time::from_epoch_ns(42)};
  { SqliteStore(dir.file("store.sqlite")).upsert_patient(patient); }
  EXPECT_EQ(SqliteStore(dir.file("store.sqlite")).find_patient("pt-001"), patient);
}

TEST(SqliteStorePatients, MalformedJsonIsRejectedWithoutQuotingIt) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  const std::string broken = R"({"resourceType":"Patient","name":"Synthetic Ada")";  // no '}'
  try {
    store.upsert_patient({.id = "pt-001", .fhir_json = broken, .updated_at = {}});
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.code(), ErrorCode::BadInput);
    EXPECT_EQ(error.where(), "patient record 'pt-001': fhir_json");
    EXPECT_EQ(std::string(error.what()).find("Synthetic"), std::string::npos)
        << "the message must not carry the document (PHI): " << error.what();
  }
  EXPECT_EQ(store.find_patient("pt-001"), std::nullopt);
}

TEST(SqliteStorePatients, ResourceOfAnotherTypeIsRejectedNamingTheType) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  try {
    store.upsert_patient(
        {.id = "pt-001", .fhir_json = R"({"resourceType":"Observation"})", .updated_at = {}});
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "patient record 'pt-001': fhir_json.resourceType");
    EXPECT_EQ(error.value(), "\"Observation\"");
  }
}

TEST(SqliteStorePatients, EmptyIdIsRejected) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  EXPECT_THROW(store.upsert_patient({.id = "", .fhir_json = kPatientJson, .updated_at = {}}),
               InputError);
}

}  // namespace
}  // namespace ptwin::store
