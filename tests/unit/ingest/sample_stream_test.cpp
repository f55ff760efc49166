// SPDX-License-Identifier: Apache-2.0
// The sample stream: a SampleTapStore publishes what it stored with the receipt time of the
// input its thread is handling (nested receipts, other taps and threads apart), publishes
// nothing when the store write fails, and a failing sink is counted without reaching the feed.
#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

#include "ptwin/core/clock.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/stream/sample_stream.hpp"
#include "ptwin/ingest/stream/sample_tap_store.hpp"
#include "ptwin/store/forwarding_store.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace ptwin::ingest::stream {
namespace {

using std::chrono::seconds;

const time::Instant kStart = time::parse_iso8601("2026-11-24T12:00:00Z");

Sample heart_rate(time::Instant taken) {
  return {.patient_id = "p1",
          .code = "8867-4",
          .value_si = 1.2,
          .unit_of_origin = "/min",
          .time = taken,
          .source_id = "test",
          .quality = SampleQuality::Good};
}

// Keeps a copy of what it is given.
class RecordingSink final : public SampleSink {
 public:
  struct Seen {
    std::string feed;
    std::size_t samples;
    time::Instant received_at;
    time::Instant stored_at;
  };
  void on_stored(const StoredSamples& stored) override {
    seen.push_back({std::string(stored.feed), stored.samples.size(), stored.received_at,
                    stored.stored_at});
  }
  std::vector<Seen> seen;
};

class ThrowingSink final : public SampleSink {
 public:
  void on_stored(const StoredSamples&) override { throw std::runtime_error("stage failed"); }
};

// A real store whose sample writes fail, as a full disk would make them.
class FailingWrites final : public store::ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  void append_samples(std::span<const Sample>) override {
    throw Error(ErrorCode::StoreFailure, "disk full");
  }
};

class SampleStreamTest : public ::testing::Test {
 protected:
  store::SqliteStore store_{":memory:"};
  time::ManualClock clock_{kStart};
  SampleStream stream_;
  RecordingSink sink_;
};

TEST_F(SampleStreamTest, PublishesStoredSamplesWithTheReceiptTimeOfTheInput) {
  stream_.attach(sink_);
  SampleTapStore tap(store_, stream_, "hl7v2", clock_);
  const std::vector samples{heart_rate(kStart - seconds(3)), heart_rate(kStart - seconds(2))};
  {
    const SampleTapStore::Receipt receipt(tap, kStart);
    clock_.advance(seconds(1));
    tap.append_samples(samples);
  }
  EXPECT_EQ(store_.count_samples(), 2);
  ASSERT_EQ(sink_.seen.size(), 1U);
  EXPECT_EQ(sink_.seen[0].feed, "hl7v2");
  EXPECT_EQ(sink_.seen[0].samples, 2U);
  EXPECT_EQ(sink_.seen[0].received_at, kStart);
  EXPECT_EQ(sink_.seen[0].stored_at, kStart + seconds(1));
}

TEST_F(SampleStreamTest, UsesTheInnermostReceiptOfThisTapOnThisThreadOnly) {
  stream_.attach(sink_);
  SampleTapStore tap(store_, stream_, "a", clock_);
  SampleTapStore other(store_, stream_, "b", clock_);
  const SampleTapStore::Receipt outer(tap, kStart - seconds(10));
  {
    const SampleTapStore::Receipt inner(tap, kStart - seconds(5));
    const SampleTapStore::Receipt of_other(other, kStart - seconds(1));
    tap.append_samples(std::vector{heart_rate(kStart)});
  }
  tap.append_samples(std::vector{heart_rate(kStart)});
  // Another thread handles no input: the time of the call stands in for the receipt.
  std::thread([&] { tap.append_samples(std::vector{heart_rate(kStart)}); }).join();
  ASSERT_EQ(sink_.seen.size(), 3U);
  EXPECT_EQ(sink_.seen[0].received_at, kStart - seconds(5));
  EXPECT_EQ(sink_.seen[1].received_at, kStart - seconds(10));
  EXPECT_EQ(sink_.seen[2].received_at, kStart);
}

TEST_F(SampleStreamTest, PublishesNothingWhenTheStoreWriteFails) {
  stream_.attach(sink_);
  FailingWrites failing(store_);
  SampleTapStore tap(failing, stream_, "mqtt", clock_);
  EXPECT_THROW(tap.append_samples(std::vector{heart_rate(kStart)}), Error);
  EXPECT_TRUE(sink_.seen.empty());
}

TEST_F(SampleStreamTest, AFailingSinkIsCountedAndTheOthersStillRun) {
  ThrowingSink throwing;
  stream_.attach(throwing);
  stream_.attach(sink_);
  SampleTapStore tap(store_, stream_, "mqtt", clock_);
  EXPECT_NO_THROW(tap.append_samples(std::vector{heart_rate(kStart)}));
  EXPECT_EQ(stream_.sink_failures(), 1U);
  EXPECT_EQ(sink_.seen.size(), 1U);
  EXPECT_EQ(store_.count_samples(), 1);
}

}  // namespace
}  // namespace ptwin::ingest::stream
