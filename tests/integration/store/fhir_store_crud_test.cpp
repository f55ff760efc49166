// SPDX-License-Identifier: Apache-2.0
// Create, read, vread, update, delete, history and conditional create, on every backend
// (FhirStoreTest runs each test on SQLite and PostgreSQL).
#include <string>

#include <gtest/gtest.h>

#include "fhir_store_fixture.hpp"

namespace ptwin::store::fhir {
namespace {

using namespace std::chrono_literals;
using test_support::FhirStoreTest;
using test_support::observation;
using test_support::patient;
using test_support::PatientSpec;
using test_support::string_criterion;
using test_support::token_criterion;
using test_support::utc;

using FhirStoreCrud = FhirStoreTest;
PTWIN_FHIR_STORE_BACKENDS(FhirStoreCrud);

SearchQuery all_of(std::string type) { return SearchQuery{.resource_type = std::move(type)}; }

TEST_P(FhirStoreCrud, CreateAssignsIdVersionOneAndLastUpdated) {
  const ResourceVersion created = create(patient({.family = "Smith", .given = "Eve"}));
  EXPECT_TRUE(is_resource_id(created.id));
  EXPECT_EQ(created.id.size(), 36U);  // UUID text
  EXPECT_EQ(created.version_id, 1);
  EXPECT_EQ(created.last_updated, utc("2024-05-01T12:00:00Z"));
  EXPECT_EQ(created.operation, VersionOperation::Create);
  EXPECT_EQ(created.json.rfind(R"({"resourceType":"Patient","id":")" + created.id +
                                   R"(","meta":{"versionId":"1","lastUpdated":)"
                                   R"("2024-05-01T12:00:00.000Z"},"name":)",
                               0),
            0U)
      << created.json;
  const ReadResult read = store().read("Patient", created.id);
  EXPECT_EQ(read.status, ReadStatus::Found);
  EXPECT_EQ(read.version, created);
}

TEST_P(FhirStoreCrud, CreateKeepsTheDigitsOfDecimals) {
  const ResourceVersion created = create(observation({.value = "1.50"}));
  const ReadResult read = store().read("Observation", created.id);
  EXPECT_NE(read.version->json.find(R"("valueQuantity":{"value":1.50,)"), std::string::npos)
      << read.version->json;
}

TEST_P(FhirStoreCrud, CreateOfAnotherResourceTypeIsRejectedAndWritesNothing) {
  NewResource wrong = patient({.family = "Smith", .given = "Eve"});
  wrong.resource_type = "Observation";
  EXPECT_THROW((void)store().create(wrong), InputError);
  EXPECT_EQ(store().search(all_of("Observation")).total, 0);
  EXPECT_EQ(store().history({}).total, 0);
}

TEST_P(FhirStoreCrud, CreateWithAnIdAlreadyUsedIsRejected) {
  auto transaction = store().begin(TransactionMode::ReadWrite);
  (void)transaction->create_with_id(patient({.family = "A", .given = "B"}), "p-1");
  try {
    (void)transaction->create_with_id(patient({.family = "C", .given = "D"}), "p-1");
    ADD_FAILURE() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "create Patient/p-1");
    EXPECT_EQ(error.value(), "p-1");
  }
}

TEST_P(FhirStoreCrud, UpdateWritesANewVersionAndVreadReturnsEachVersion) {
  const ResourceVersion v1 = create(patient({.family = "Smith", .given = "Eve"}));
  clock_.advance(1s);
  const UpdateResult updated =
      store().update(patient({.family = "Smith-Jones", .given = "Eve"}), v1.id, {});
  ASSERT_EQ(updated.status, UpdateStatus::Updated);
  EXPECT_EQ(updated.version->version_id, 2);
  EXPECT_EQ(updated.version->operation, VersionOperation::Update);
  EXPECT_EQ(updated.version->last_updated, utc("2024-05-01T12:00:01Z"));
  EXPECT_EQ(store().read("Patient", v1.id).version, updated.version);
  const ReadResult old = store().vread("Patient", v1.id, 1);
  EXPECT_EQ(old.status, ReadStatus::Found);
  EXPECT_EQ(old.version, v1);
  EXPECT_EQ(store().vread("Patient", v1.id, 3).status, ReadStatus::NotFound);
  EXPECT_EQ(store().vread("Patient", "no-such-id", 1).status, ReadStatus::NotFound);
}

TEST_P(FhirStoreCrud, UpdateOfAnUnknownIdCreatesItOnlyWhenAllowed) {
  const NewResource resource = patient({.family = "Smith", .given = "Eve"});
  EXPECT_EQ(store().update(resource, "p-7", {}).status, UpdateStatus::NotFound);
  EXPECT_EQ(store().read("Patient", "p-7").status, ReadStatus::NotFound);
  const UpdateResult created = store().update(resource, "p-7", {.allows_create = true});
  ASSERT_EQ(created.status, UpdateStatus::Created);
  EXPECT_EQ(created.version->version_id, 1);
  EXPECT_EQ(created.version->operation, VersionOperation::Update);
  EXPECT_EQ(store().read("Patient", "p-7").status, ReadStatus::Found);
}

TEST_P(FhirStoreCrud, UpdateWithAStaleExpectedVersionIsAConflictAndWritesNothing) {
  const ResourceVersion v1 = create(patient({.family = "Smith", .given = "Eve"}));
  (void)store().update(patient({.family = "Jones", .given = "Eve"}), v1.id, {});
  const UpdateResult conflict =
      store().update(patient({.family = "Brown", .given = "Eve"}), v1.id, {.expected_version = 1});
  EXPECT_EQ(conflict.status, UpdateStatus::VersionConflict);
  EXPECT_EQ(conflict.current_version_id, 2);
  EXPECT_EQ(store().read("Patient", v1.id).version->version_id, 2);
  EXPECT_EQ(
      store()
          .update(patient({.family = "Brown", .given = "Eve"}), v1.id, {.expected_version = 2})
          .status,
      UpdateStatus::Updated);
}

TEST_P(FhirStoreCrud, UpdateWhoseBodyNamesAnotherIdIsRejected) {
  const ResourceVersion v1 = create(patient({.family = "Smith", .given = "Eve"}));
  NewResource other = patient({.family = "Smith", .given = "Eve"});
  other.json = R"({"resourceType":"Patient","id":"someone-else"})";
  try {
    (void)store().update(other, v1.id, {});
    ADD_FAILURE() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), fmt::format("update Patient/{}: id", v1.id));
    EXPECT_EQ(error.value(), "someone-else");
  }
  EXPECT_EQ(store().read("Patient", v1.id).version->version_id, 1);
}

TEST_P(FhirStoreCrud, DeleteMakesReadGoneKeepsHistoryAndAllowsResurrection) {
  const ResourceVersion v1 = create(patient({.family = "Smith", .given = "Eve"}));
  clock_.advance(1s);
  const DeleteResult deleted = store().remove("Patient", v1.id);
  ASSERT_EQ(deleted.status, DeleteStatus::Deleted);
  EXPECT_EQ(deleted.version->version_id, 2);
  EXPECT_TRUE(deleted.version->is_deletion());
  EXPECT_TRUE(deleted.version->json.empty());

  const ReadResult gone = store().read("Patient", v1.id);
  EXPECT_EQ(gone.status, ReadStatus::Gone);
  EXPECT_EQ(gone.version, deleted.version);
  EXPECT_EQ(store().vread("Patient", v1.id, 1).status, ReadStatus::Found);
  EXPECT_EQ(store().vread("Patient", v1.id, 2).status, ReadStatus::Gone);
  EXPECT_EQ(store().search(all_of("Patient")).total, 0);

  const DeleteResult again = store().remove("Patient", v1.id);
  EXPECT_EQ(again.status, DeleteStatus::AlreadyDeleted);
  EXPECT_EQ(again.version, deleted.version);
  EXPECT_EQ(store().remove("Patient", "never-was").status, DeleteStatus::NotFound);

  const UpdateResult back = store().update(patient({.family = "Smith", .given = "Eve"}), v1.id, {});
  EXPECT_EQ(back.status, UpdateStatus::Updated);
  EXPECT_EQ(back.version->version_id, 3);
  EXPECT_EQ(store().read("Patient", v1.id).status, ReadStatus::Found);
}

TEST_P(FhirStoreCrud, IndexRowsAreReplacedOnUpdateAndRemovedOnDelete) {
  const ResourceVersion v1 = create(patient({.family = "Smith", .given = "Eve"}));
  const SearchQuery smith{.resource_type = "Patient",
                          .criteria = {string_criterion("family", "smith")}};
  const SearchQuery jones{.resource_type = "Patient",
                          .criteria = {string_criterion("family", "jones")}};
  EXPECT_EQ(ids_of(smith), std::vector{v1.id});
  (void)store().update(patient({.family = "Jones", .given = "Eve"}), v1.id, {});
  EXPECT_TRUE(ids_of(smith).empty());
  EXPECT_EQ(ids_of(jones), std::vector{v1.id});
  (void)store().remove("Patient", v1.id);
  EXPECT_TRUE(ids_of(jones).empty());
}

TEST_P(FhirStoreCrud, HistoryIsNewestFirstPerInstanceTypeAndServerWithSinceAndPaging) {
  const ResourceVersion a = create(patient({.family = "A", .given = "A"}));  // 12:00:00
  clock_.advance(1s);
  const ResourceVersion b = create(patient({.family = "B", .given = "B"}));  // 12:00:01
  clock_.advance(1s);
  (void)store().update(patient({.family = "A2", .given = "A"}), a.id, {});  // 12:00:02
  clock_.advance(1s);
  (void)store().remove("Patient", a.id);  // 12:00:03
  clock_.advance(1s);
  const ResourceVersion o = create(observation({}));  // 12:00:04

  const HistoryPage instance = store().history({.resource_type = "Patient", .id = a.id});
  ASSERT_EQ(instance.total, 3);
  EXPECT_EQ(instance.versions[0].operation, VersionOperation::Delete);
  EXPECT_EQ(instance.versions[1].version_id, 2);
  EXPECT_EQ(instance.versions[2], a);

  EXPECT_EQ(store().history({.resource_type = "Patient"}).total, 4);
  const HistoryPage everything = store().history({});
  ASSERT_EQ(everything.total, 5);
  EXPECT_EQ(everything.versions.front(), o);
  EXPECT_EQ(everything.versions.back(), a);
  EXPECT_EQ(everything.versions[3], b);

  const HistoryPage since = store().history({.since = utc("2024-05-01T12:00:02Z")});
  EXPECT_EQ(since.total, 3);
  const HistoryPage page = store().history({.count = 2, .offset = 4});
  EXPECT_EQ(page.total, 5);
  ASSERT_EQ(page.versions.size(), 1U);
  EXPECT_EQ(page.versions.front(), a);
}

TEST_P(FhirStoreCrud, HistoryOfAnIdWithoutTypeIsRejected) {
  EXPECT_THROW((void)store().history({.id = "x"}), InputError);
}

TEST_P(FhirStoreCrud, ConditionalCreateCreatesOnceThenFindsTheExisting) {
  const std::vector criteria{token_criterion("identifier", "http://hospital.example/mrn|123")};
  const NewResource resource = patient({.family = "Smith", .given = "Eve", .mrn = "123"});
  const ConditionalCreateResult first = store().conditional_create(resource, criteria);
  ASSERT_EQ(first.status, ConditionalCreateStatus::Created);
  const ConditionalCreateResult second = store().conditional_create(resource, criteria);
  EXPECT_EQ(second.status, ConditionalCreateStatus::Existing);
  EXPECT_EQ(second.version, first.version);
  EXPECT_EQ(second.match_count, 1);

  (void)create(resource);  // a plain create does not check
  const ConditionalCreateResult third = store().conditional_create(resource, criteria);
  EXPECT_EQ(third.status, ConditionalCreateStatus::MultipleMatches);
  EXPECT_EQ(third.match_count, 2);
  EXPECT_EQ(store().search(all_of("Patient")).total, 2);
}

TEST_P(FhirStoreCrud, ReopeningTheDatabaseKeepsEverything) {
  const ResourceVersion v1 = create(patient({.family = "Smith", .given = "Eve"}));
  const std::unique_ptr<ResourceStore> reopened = open_store();
  EXPECT_EQ(reopened->read("Patient", v1.id).version, v1);
}

}  // namespace
}  // namespace ptwin::store::fhir
