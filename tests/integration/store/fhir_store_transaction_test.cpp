// SPDX-License-Identifier: Apache-2.0
// Transactions: a FHIR transaction Bundle is all-or-nothing, on every backend, and concurrent
// conditional creates cannot both create.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "fhir_store_fixture.hpp"

namespace ptwin::store::fhir {
namespace {

using test_support::FhirStoreTest;
using test_support::observation;
using test_support::patient;
using test_support::token_criterion;

using FhirStoreTransaction = FhirStoreTest;
PTWIN_FHIR_STORE_BACKENDS(FhirStoreTransaction);

SearchQuery all_of(std::string type) { return SearchQuery{.resource_type = std::move(type)}; }

TEST_P(FhirStoreTransaction, CommittedBundleWritesEveryEntryWithPreassignedIds) {
  auto transaction = store().begin(TransactionMode::ReadWrite);
  const std::string patient_id = transaction->new_id();
  (void)transaction->create_with_id(patient({.family = "Smith", .given = "Eve"}), patient_id);
  (void)transaction->create(observation({.subject = "Patient/" + patient_id}));
  (void)transaction->create(observation({.subject = "Patient/" + patient_id, .value = "130"}));
  EXPECT_EQ(transaction->search(all_of("Observation")).total, 2);  // sees its own writes
  transaction->commit();
  EXPECT_EQ(store().read("Patient", patient_id).status, ReadStatus::Found);
  EXPECT_EQ(store().search(all_of("Observation")).total, 2);
}

TEST_P(FhirStoreTransaction, FailingEntryInTheMiddleLeavesNothingBehind) {
  const ResourceVersion existing = create(patient({.family = "Old", .given = "One"}));
  {
    auto transaction = store().begin(TransactionMode::ReadWrite);
    (void)transaction->create(patient({.family = "Smith", .given = "Eve"}));
    (void)transaction->update(patient({.family = "Changed", .given = "One"}), existing.id, {});
    NewResource broken = observation({});
    broken.json = R"({"resourceType":"Observation",)";  // syntax error: entry 3 of 4
    EXPECT_THROW((void)transaction->create(broken), InputError);
    // After a failure the transaction only rolls back.
    EXPECT_THROW((void)transaction->create(observation({})), Error);
    EXPECT_THROW(transaction->commit(), Error);
  }  // destroyed without commit: rolled back
  EXPECT_EQ(store().search(all_of("Patient")).total, 1);
  EXPECT_EQ(store().read("Patient", existing.id).version, existing);
  EXPECT_EQ(store().history({}).total, 1);
}

TEST_P(FhirStoreTransaction, ExplicitRollbackUndoesWritesAndEndsTheTransaction) {
  auto transaction = store().begin(TransactionMode::ReadWrite);
  (void)transaction->create(patient({.family = "Smith", .given = "Eve"}));
  transaction->rollback();
  EXPECT_THROW(transaction->commit(), Error);
  EXPECT_EQ(store().search(all_of("Patient")).total, 0);
}

TEST_P(FhirStoreTransaction, ReadOnlyTransactionRefusesWrites) {
  auto transaction = store().begin(TransactionMode::ReadOnly);
  try {
    (void)transaction->create(patient({.family = "Smith", .given = "Eve"}));
    ADD_FAILURE() << "expected Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::Internal);
    EXPECT_NE(std::string(error.what()).find("read-only"), std::string::npos) << error.what();
  }
}

TEST_P(FhirStoreTransaction, BeginningTwiceOnOneThreadThrowsInsteadOfWaitingForever) {
  auto transaction = store().begin(TransactionMode::ReadWrite);
  EXPECT_THROW((void)store().begin(TransactionMode::ReadOnly), Error);
  EXPECT_THROW((void)store().read("Patient", "x"), Error);
  transaction->commit();
  EXPECT_EQ(store().read("Patient", "x").status, ReadStatus::NotFound);
}

TEST_P(FhirStoreTransaction, ConcurrentConditionalCreatesOnTwoConnectionsCreateOnce) {
  constexpr int kThreads = 4;
  constexpr int kAttemptsPerThread = 5;
  const std::vector criteria{token_criterion("identifier", "http://hospital.example/mrn|777")};
  std::vector<std::unique_ptr<ResourceStore>> stores;
  for (int i = 0; i < kThreads; ++i) stores.push_back(open_store());
  std::atomic<int> created{0};
  std::atomic<int> existing{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int attempt = 0; attempt < kAttemptsPerThread; ++attempt) {
        const auto result = stores[static_cast<std::size_t>(i)]->conditional_create(
            patient({.family = "Race", .given = "Eve", .mrn = "777"}), criteria);
        (result.status == ConditionalCreateStatus::Created ? created : existing)++;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(existing.load(), kThreads * kAttemptsPerThread - 1);
  EXPECT_EQ(store().search(all_of("Patient")).total, 1);
}

}  // namespace
}  // namespace ptwin::store::fhir
