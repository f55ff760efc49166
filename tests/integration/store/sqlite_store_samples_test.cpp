// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/time.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "store_test_support.hpp"

namespace ptwin::store {
namespace {

using test_support::make_sample;
using test_support::TempDir;

constexpr std::int64_t kSecondNs = 1'000'000'000;
const std::string kSystolic = "8480-6";
const std::string kHeartRate = "8867-4";

TEST(SqliteStoreSamples, AppendThenQueryReturnsEveryFieldExactly) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  const std::vector<Sample> batch{
      Sample{.patient_id = "pt-001",
             .code = kSystolic,
             .value_si = 15998.6842,  // 120 mmHg in Pa
             .unit_of_origin = "mm[Hg]",
             .time = time::parse_iso8601("2024-05-01T12:00:00.000000001Z"),
             .source_id = "fhir:Observation/bp-1",
             .quality = SampleQuality::Questionable},
      Sample{.patient_id = "pt-001",
             .code = kSystolic,
             .value_si = -0.0,
             .unit_of_origin = "",
             .time = time::from_epoch_ns(-5),  // before 1970: negative ns must round-trip
             .source_id = "mqtt:icu/bed4/abp",
             .quality = SampleQuality::Artefact},
  };
  store.append_samples(batch);
  const auto found = store.samples("pt-001", kSystolic, time::from_epoch_ns(-10),
                                   time::parse_iso8601("2025-01-01T00:00:00Z"));
  ASSERT_EQ(found.size(), 2U);
  EXPECT_EQ(found[0], batch[1]);  // ordered by time
  EXPECT_EQ(found[1], batch[0]);
  EXPECT_EQ(store.count_samples(), 2);
}

TEST(SqliteStoreSamples, QueryIsHalfOpenFilteredAndOrderedByTime) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  const std::vector<Sample> batch{
      make_sample("pt-001", kSystolic, 3 * kSecondNs, 3.0),
      make_sample("pt-001", kSystolic, 1 * kSecondNs, 1.0),
      make_sample("pt-001", kSystolic, 2 * kSecondNs, 2.0),
      make_sample("pt-001", kHeartRate, 2 * kSecondNs, 1.2),  // other code
      make_sample("pt-002", kSystolic, 2 * kSecondNs, 9.0),   // other patient
  };
  store.append_samples(batch);
  const auto found = store.samples("pt-001", kSystolic, time::from_epoch_ns(1 * kSecondNs),
                                   time::from_epoch_ns(3 * kSecondNs));
  ASSERT_EQ(found.size(), 2U);
  EXPECT_EQ(found[0].value_si, 1.0);
  EXPECT_EQ(found[1].value_si, 2.0);  // t = 3 s is excluded: the range is [from, to)
  EXPECT_EQ(store.count_samples(), 5);
}

TEST(SqliteStoreSamples, BatchWithANonFiniteValueLeavesNothingBehind) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  store.append_samples(std::vector{make_sample("pt-001", kSystolic, 0, 1.0)});
  for (const double bad :
       {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity()}) {
    std::vector<Sample> batch;
    for (int i = 0; i < 100; ++i) batch.push_back(make_sample("pt-001", kSystolic, i + 1, 2.0));
    batch[57].value_si = bad;
    try {
      store.append_samples(batch);
      FAIL() << "expected a StoreFailure for value " << bad;
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::StoreFailure);
      const std::string message = error.what();
      EXPECT_NE(message.find("sample 57 of 100"), std::string::npos) << message;
      EXPECT_NE(message.find("value_si"), std::string::npos) << message;
    }
    EXPECT_EQ(store.count_samples(), 1) << "a failed batch must leave nothing behind";
  }
}

TEST(SqliteStoreSamples, BatchWithAnEmptyPatientIdLeavesNothingBehind) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  std::vector<Sample> batch;
  for (int i = 0; i < 10; ++i) batch.push_back(make_sample("pt-001", kSystolic, i, 1.0));
  batch.back().patient_id = "";
  EXPECT_THROW(store.append_samples(batch), Error);
  EXPECT_EQ(store.count_samples(), 0);
  batch.back().patient_id = "pt-001";
  store.append_samples(batch);  // the store is usable after a failed batch
  EXPECT_EQ(store.count_samples(), 10);
}

TEST(SqliteStoreSamples, EmptyBatchStoresNothing) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  store.append_samples({});
  EXPECT_EQ(store.count_samples(), 0);
}

TEST(SqliteStoreSamples, QueryWithReversedRangeThrowsInputError) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  try {
    static_cast<void>(
        store.samples("pt-001", kSystolic, time::from_epoch_ns(2), time::from_epoch_ns(1)));
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "sample query: time range");
  }
}

TEST(SqliteStoreSamples, OneStoreSharedByTwoThreadsKeepsEveryBatch) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"), {.synchronous = SqliteSynchronous::Normal});
  constexpr int kBatches = 50;
  constexpr int kBatchSize = 20;
  const auto writer = [&store](const std::string& patient) {
    for (int b = 0; b < kBatches; ++b) {
      std::vector<Sample> batch;
      for (int i = 0; i < kBatchSize; ++i) {
        batch.push_back(make_sample(patient, kSystolic, b * kBatchSize + i, 1.0));
      }
      store.append_samples(batch);
    }
  };
  std::thread first(writer, "pt-001");
  std::thread second(writer, "pt-002");
  first.join();
  second.join();
  EXPECT_EQ(store.count_samples(), 2 * kBatches * kBatchSize);
}

TEST(SqliteStoreSamples, TwoStoresOnOneFileWriteConcurrently) {
  const TempDir dir;
  const auto path = dir.file("store.sqlite");
  SqliteStore first_store(path, {.synchronous = SqliteSynchronous::Normal});
  SqliteStore second_store(path, {.synchronous = SqliteSynchronous::Normal});
  constexpr int kBatches = 50;
  const auto writer = [](SqliteStore& store, const std::string& patient) {
    for (int b = 0; b < kBatches; ++b) {
      store.append_samples(std::vector{make_sample(patient, kSystolic, b, 1.0),
                                       make_sample(patient, kSystolic, b, 2.0)});
    }
  };
  std::thread first(writer, std::ref(first_store), "pt-001");
  std::thread second(writer, std::ref(second_store), "pt-002");
  first.join();
  second.join();
  EXPECT_EQ(first_store.count_samples(), 2 * 2 * kBatches);
  EXPECT_EQ(second_store
                .samples("pt-001", kSystolic, time::from_epoch_ns(0), time::from_epoch_ns(kBatches))
                .size(),
            2U * kBatches);
}

}  // namespace
}  // namespace ptwin::store
