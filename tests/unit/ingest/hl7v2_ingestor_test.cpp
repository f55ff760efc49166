// SPDX-License-Identifier: Apache-2.0
// Hl7v2Ingestor against an in-memory Store: what is stored, what is quarantined (bytes,
// source, reason), what the ACK says, and that every frame is accounted for.
#include <gtest/gtest.h>

#include <string>

#include "hl7v2_test_support.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/hl7v2/ingestor.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

using test_support::hl7;
using test_support::MemoryStore;

class Hl7v2IngestorTest : public ::testing::Test {
 protected:
  Disposition ingest(std::string bytes, FrameKind kind = FrameKind::Message) {
    return ingestor_.ingest({kind, std::move(bytes), "127.0.0.1:4000"});
  }
  void expect_books_balance() const {
    const auto counts = ingestor_.counts();
    EXPECT_EQ(counts.frames, counts.messages_accepted + counts.messages_with_rejected_segments +
                                 counts.frames_quarantined + counts.frames_not_stored);
    EXPECT_EQ(static_cast<std::int64_t>(store_.entries.size()),
              counts.frames_quarantined + counts.segments_quarantined);
    EXPECT_EQ(static_cast<std::int64_t>(store_.samples_stored.size()), counts.samples_stored);
  }

  MemoryStore store_;
  time::ManualClock clock_{time::parse_iso8601("2024-05-01T13:00:00Z")};
  std::vector<nlohmann::json> resources_;
  Hl7v2Ingestor ingestor_{store_, clock_, {},
                          [this](const nlohmann::json& patient, const nlohmann::json& encounter) {
                            resources_.push_back(patient);
                            resources_.push_back(encounter);
                          }};
};

TEST_F(Hl7v2IngestorTest, StoresTheSamplesOfAGoodMessage) {
  const auto disposition = ingest(test_support::good_oru());
  EXPECT_EQ(disposition.status, AckStatus::Accepted);
  EXPECT_TRUE(disposition.problems.empty());
  EXPECT_EQ(store_.samples_stored.size(), 2U);
  EXPECT_TRUE(store_.entries.empty());
  expect_books_balance();
}

TEST_F(Hl7v2IngestorTest, QuarantinesEachBadObxWithItsBytesAndKeepsTheRest) {
  const std::string bad_obx = "OBX|2|NM|8480-6^^LN||120|mmHgg|||||F";
  const auto disposition =
      ingest(hl7({test_support::kOruMsh, test_support::kPid, test_support::kObr,
                  "OBX|1|NM|8867-4^^LN||72|/min|||||F", bad_obx}));
  EXPECT_EQ(disposition.status, AckStatus::ApplicationError);
  ASSERT_EQ(disposition.problems.size(), 1U);
  EXPECT_EQ(disposition.problems[0].location, (ErrorLocation{"OBX", 2, 6}));
  EXPECT_EQ(store_.samples_stored.size(), 1U);
  ASSERT_EQ(store_.entries.size(), 1U);
  const auto& entry = store_.entries[0];
  EXPECT_EQ(entry.source, "hl7v2:MONITOR/ICU");
  EXPECT_EQ(entry.raw_bytes, bad_obx);
  EXPECT_EQ(entry.reason,
            "hl7v2:MONITOR/ICU message MSG0001: OBX[2]-6: 'mmHgg' is not a unit ptwin can read "
            "(unknown atom 'mmHgg') [unknown-unit]");
  EXPECT_EQ(entry.received_at, clock_.now());
  EXPECT_EQ(ingestor_.counts().messages_with_rejected_segments, 1);
  expect_books_balance();
}

TEST_F(Hl7v2IngestorTest, QuarantinesAnUnreadableMessageWholeUnderItsPeer) {
  const std::string garbage = "MSH|^~\\&|A|B|||20240501120000+0000||ORM^O01|1|P|2.5.1\r";
  const auto disposition = ingest(garbage);
  EXPECT_EQ(disposition.status, AckStatus::Rejected);
  EXPECT_EQ(disposition.problems.at(0).condition, ConditionCode::UnsupportedMessageType);
  EXPECT_EQ(disposition.problems.at(0).location, (ErrorLocation{"MSH", 1, 9}));
  ASSERT_EQ(store_.entries.size(), 1U);
  EXPECT_EQ(store_.entries[0].source, "hl7v2:peer 127.0.0.1:4000");
  EXPECT_EQ(store_.entries[0].raw_bytes, garbage);
  EXPECT_NE(store_.entries[0].reason.find("MSH-9: 'ORM' is a message type ptwin does not read"),
            std::string::npos);
  expect_books_balance();
}

TEST_F(Hl7v2IngestorTest, QuarantinesFramingProblemsWithTheirBytes) {
  for (const auto kind : {FrameKind::StrayBytes, FrameKind::Incomplete, FrameKind::Oversized,
                          FrameKind::Malformed}) {
    const auto disposition = ingest(std::string("\x00\xff raw", 6), kind);
    EXPECT_EQ(disposition.status, AckStatus::Rejected);
  }
  ASSERT_EQ(store_.entries.size(), 4U);
  EXPECT_EQ(store_.entries[0].raw_bytes, std::string("\x00\xff raw", 6));
  EXPECT_NE(store_.entries[0].reason.find("outside any MLLP frame"), std::string::npos);
  EXPECT_NE(store_.entries[2].reason.find("larger than the receiver's bound"), std::string::npos);
  expect_books_balance();
}

TEST_F(Hl7v2IngestorTest, HandsAdtResourcesToTheSinkAndStoresThePatient) {
  const auto disposition = ingest(hl7(
      {"MSH|^~\\&|ADMIT|HOSP|||20240501120000+0000||ADT^A01|A1|P|2.5.1",
       "PID|1||42^^^HOSP^MR||Doe^Jane", "PV1|1|I|||||||||||||||||V9^^^HOSP" + std::string(25, '|') +
                                            "20240501081500+0000"}));
  EXPECT_EQ(disposition.status, AckStatus::Accepted);
  ASSERT_EQ(resources_.size(), 2U);
  EXPECT_EQ(resources_[1].at("resourceType"), "Encounter");
  ASSERT_EQ(store_.patients.size(), 1U);
  EXPECT_EQ(store_.patients[0].id, resources_[0].at("id"));
  EXPECT_EQ(nlohmann::json::parse(store_.patients[0].fhir_json), resources_[0]);
  expect_books_balance();
}

TEST_F(Hl7v2IngestorTest, QuarantinesAnAdtMessageItCannotMapAsAnApplicationError) {
  const auto message = hl7({"MSH|^~\\&|ADMIT|HOSP|||20240501120000+0000||ADT^A01|A1|P|2.5.1",
                            "PID|1||42^^^HOSP^MR", "PV1|1|I"});
  const auto disposition = ingest(message);
  EXPECT_EQ(disposition.status, AckStatus::ApplicationError);
  EXPECT_EQ(disposition.problems.at(0).location, (ErrorLocation{"PV1", 1, 19}));
  ASSERT_EQ(store_.entries.size(), 1U);
  EXPECT_EQ(store_.entries[0].source, "hl7v2:ADMIT/HOSP");
  EXPECT_EQ(store_.entries[0].raw_bytes, message);
  expect_books_balance();
}

TEST(Hl7v2Ingestor, QuarantinesAdtMessagesWhenNoSinkIsConfigured) {
  MemoryStore store;
  const time::ManualClock clock;
  Hl7v2Ingestor ingestor(store, clock);
  const auto disposition = ingestor.ingest(
      {FrameKind::Message,
       hl7({"MSH|^~\\&|ADMIT|HOSP|||20240501120000+0000||ADT^A08|A1|P|2.5.1",
            "PID|1||42^^^HOSP^MR", "PV1|1|I|||||||||||||||||V9"}),
       "peer"});
  EXPECT_EQ(disposition.status, AckStatus::Rejected);
  ASSERT_EQ(store.entries.size(), 1U);
  EXPECT_NE(store.entries[0].reason.find("need a FHIR resource sink"), std::string::npos);
  EXPECT_TRUE(store.patients.empty());
}

TEST_F(Hl7v2IngestorTest, LetsStoreFailuresReachTheCallerAndCountsThem) {
  store_.is_failing = true;
  EXPECT_THROW((void)ingest(test_support::good_oru()), Error);
  EXPECT_EQ(ingestor_.counts().frames_not_stored, 1);
  expect_books_balance();
}

TEST(Hl7v2Ingestor, RefusesInvalidSettings) {
  MemoryStore store;
  const time::ManualClock clock;
  Hl7v2Settings settings;
  settings.processing_ids.clear();
  EXPECT_THROW(Hl7v2Ingestor(store, clock, settings), InputError);
}

}  // namespace
}  // namespace ptwin::ingest::hl7v2
