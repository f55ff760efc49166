// SPDX-License-Identifier: Apache-2.0
// The MLLP listener over real TCP on 127.0.0.1, feeding Hl7v2Ingestor and a SQLite store in a
// temp dir: ACK codes per message, bad frames survived, and conservation: every frame sent is
// accounted for as stored or quarantined, the quarantine holding the bytes as sent.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/hl7v2/ingestor.hpp"
#include "ptwin/ingest/hl7v2/message.hpp"
#include "ptwin/ingest/hl7v2/mllp_listener.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "support/mllp_test_client.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

using namespace std::chrono_literals;

// How long a test waits for the listener's threads before it fails; a hang, not a timing.
constexpr auto kDeadline = 20s;

class TempDir {
 public:
  TempDir() {
    std::string name = (std::filesystem::temp_directory_path() / "ptwin-hl7v2-XXXXXX").string();
    if (mkdtemp(name.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(), "mkdtemp " + name);
    }
    path_ = name;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&&) = delete;
  TempDir& operator=(TempDir&&) = delete;
  [[nodiscard]] std::filesystem::path file(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::string segments(std::initializer_list<std::string_view> list) {
  std::string text;
  for (const auto segment : list) {
    text.append(segment);
    text.push_back('\r');
  }
  return text;
}

std::string oru(std::string_view control_id, std::string_view obx_unit = "mm[Hg]") {
  return segments(
      {"MSH|^~\\&|MONITOR|ICU|PTWIN|HOSP|20240501120000+0000||ORU^R01^ORU_R01|" +
           std::string(control_id) + "|P|2.5.1",
       "PID|1||123456^^^HOSP^MR", "OBR|1|||85354-9^BP^LN|||20240501115500+0000",
       "OBX|1|NM|8867-4^HR^LN||72|/min|||||F",
       "OBX|2|NM|8480-6^SBP^LN||120|" + std::string(obx_unit) + "|||||F"});
}

using Client = ::ptwin::testing::MllpTestClient;

class Hl7v2MllpTest : public ::testing::Test {
 protected:
  MllpListener listen(MllpSettings settings = {}) {
    return MllpListener(std::move(settings), [this](const InboundFrame& frame) {
      auto disposition = ingestor_.ingest(frame);
      {
        const std::lock_guard lock(mutex_);
        ++handled_;
      }
      handled_changed_.notify_all();
      return disposition;
    }, clock_);
  }
  /// Waits until the handler has returned `count` times in all.
  void wait_for_handled(int count) {
    std::unique_lock lock(mutex_);
    ASSERT_TRUE(handled_changed_.wait_for(lock, kDeadline, [&] { return handled_ >= count; }))
        << "handled " << handled_ << " of " << count;
  }
  void expect_conservation(std::int64_t frames_sent) {
    const auto counts = ingestor_.counts();
    EXPECT_EQ(counts.frames, frames_sent);
    EXPECT_EQ(counts.frames, counts.messages_accepted + counts.messages_with_rejected_segments +
                                 counts.frames_quarantined + counts.frames_not_stored);
    EXPECT_EQ(store_.count_quarantined(), counts.frames_quarantined + counts.segments_quarantined);
    EXPECT_EQ(store_.count_samples(), counts.samples_stored);
  }
  std::vector<store::QuarantineRecord> quarantined() const { return store_.quarantined({}); }

  TempDir dir_;
  store::SqliteStore store_{dir_.file("ptwin.db")};
  time::ManualClock clock_{time::parse_iso8601("2024-05-01T12:30:00Z")};
  std::vector<nlohmann::json> resources_;
  Hl7v2Ingestor ingestor_{store_, clock_, {},
                          [this](const nlohmann::json& patient, const nlohmann::json& encounter) {
                            resources_.push_back(patient);
                            resources_.push_back(encounter);
                          }};
  std::mutex mutex_;
  std::condition_variable handled_changed_;
  int handled_ = 0;
};

TEST_F(Hl7v2MllpTest, AcknowledgesEachMessageAndAccountsForEveryFrame) {
  auto listener = listen();
  Client a(listener.port());
  Client b(listener.port());
  const std::string garbage = "hello, this is not HL7";
  const std::string latin1_in_ascii =
      segments({"MSH|^~\\&|MONITOR|ICU|||20240501120000+0000||ORU^R01|L1|P|2.5.1",
                "PID|1||1^^^HOSP^MR||Dupr\xE9"});
  const std::string bad_utf8 =
      segments({"MSH|^~\\&|MONITOR|ICU|||20240501120000+0000||ORU^R01|U1|P|2.5.1||||||"
                "UNICODE UTF-8",
                "PID|1||1^^^HOSP^MR||\xC3\x28"});
  const std::string custom =
      "MSH#$*@%#MONITOR#ICU#PTWIN#HOSP#20240501120000+0000##ORU$R01#C@F@1#P#2.8\r"
      "PID#1##123456$$$HOSP$MR\rOBX#1#NM#8867-4$HR$LN##70#/min#####F###20240501115900+0000\r";
  const std::string adt = segments(
      {"MSH|^~\\&|ADMIT|HOSP|PTWIN|HOSP|20240501120000+0000||ADT^A01|A1|P|2.5.1",
       "PID|1||123456^^^HOSP^MR||Doe^Jane",
       "PV1|1|I|||||||||||||||||V1^^^HOSP|||||||||||||||||||||||||20240501081500+0000"});
  EXPECT_EQ(a.ack_code(oru("G1")), "AA");
  EXPECT_EQ(b.ack_code(oru("P1", "mmHgg")), "AE");
  EXPECT_EQ(a.ack_code(garbage), "AR");
  EXPECT_EQ(b.ack_code(segments({"MSH|^~\\&|X|Y|||20240501120000+0000||ORM^O01|O1|P|2.5.1"})),
            "AR");
  EXPECT_EQ(a.ack_code(adt), "AA");
  b.send_message(custom);
  const auto custom_ack = b.next_ack();
  EXPECT_EQ(custom_ack.delimiters().field, '#');
  EXPECT_EQ(custom_ack.field("MSA", 1), "AA");
  EXPECT_EQ(custom_ack.field("MSA", 2), "C#1");
  EXPECT_EQ(custom_ack.field("MSH", 5), "MONITOR") << "sender and receiver swapped";
  EXPECT_EQ(a.ack_code(latin1_in_ascii), "AR");
  EXPECT_EQ(b.ack_code(bad_utf8), "AR");
  a.send(std::string("junk before the frame").append(mllp_frame(oru("G2"))));
  EXPECT_EQ(a.next_ack().field("MSA", 2), "G2");

  // Several connections at once.
  std::vector<std::thread> senders;
  std::atomic<int> accepted{0};
  for (int connection = 0; connection < 4; ++connection) {
    senders.emplace_back([&, connection] {
      Client client(listener.port());
      for (int i = 0; i < 5; ++i) {
        std::string control_id(1, 'T');
        control_id += std::to_string(connection * 10 + i);
        if (client.ack_code(oru(control_id)) == "AA") ++accepted;
      }
    });
  }
  for (auto& sender : senders) sender.join();
  EXPECT_EQ(accepted.load(), 20);
  wait_for_handled(30);

  // 9 messages from a and b, the stray bytes before G2, and 20 from the four senders.
  expect_conservation(30);
  const auto counts = ingestor_.counts();
  EXPECT_EQ(counts.messages_accepted, 1 + 1 + 1 + 1 + 20);  // G1, ADT, custom, G2, T*
  EXPECT_EQ(counts.messages_with_rejected_segments, 1);     // P1
  EXPECT_EQ(counts.frames_quarantined, 5);  // garbage, ORM, Latin-1, bad UTF-8, stray bytes
  EXPECT_EQ(counts.samples_stored, 2 + 1 + 1 + 2 + 40);
  EXPECT_EQ(resources_.size(), 2U);
  EXPECT_TRUE(store_.find_patient(resources_.at(0).at("id").get<std::string>()).has_value());

  const auto entries = quarantined();
  ASSERT_EQ(entries.size(), 6U);
  const auto holds = [&](const std::string& bytes, const std::string& source_start) {
    return std::any_of(entries.begin(), entries.end(), [&](const auto& record) {
      return record.entry.raw_bytes == bytes && record.entry.source.starts_with(source_start);
    });
  };
  EXPECT_TRUE(holds(garbage, "hl7v2:peer 127.0.0.1:"));
  EXPECT_TRUE(holds(latin1_in_ascii, "hl7v2:peer 127.0.0.1:"));
  EXPECT_TRUE(holds(bad_utf8, "hl7v2:peer 127.0.0.1:"));
  EXPECT_TRUE(holds("junk before the frame", "hl7v2:peer 127.0.0.1:"));
  EXPECT_TRUE(holds("OBX|2|NM|8480-6^SBP^LN||120|mmHgg|||||F", "hl7v2:MONITOR/ICU"));
}

TEST_F(Hl7v2MllpTest, AnswersEnhancedModeWithCommitThenApplicationAcknowledgement) {
  auto listener = listen();
  Client client(listener.port());
  auto message = oru("E1");
  message.insert(message.find('\r'), "|||AL|AL");
  client.send_message(message);
  EXPECT_EQ(client.next_ack().field("MSA", 1), "CA");
  const auto application = client.next_ack();
  EXPECT_EQ(application.field("MSA", 1), "AA");
  EXPECT_EQ(application.field("MSA", 2), "E1");
}

TEST_F(Hl7v2MllpTest, RefusesAnOversizedFrameAndClosesTheConnection) {
  MllpSettings settings;
  settings.max_frame_bytes = 1024;
  auto listener = listen(settings);
  Client client(listener.port());
  const auto big = oru("BIG") + "NTE|1||" + std::string(5000, 'x') + "\r";
  client.send_message(big);
  const auto ack = client.next_ack();
  EXPECT_EQ(ack.field("MSA", 1), "AR");
  EXPECT_EQ(ack.field("MSA", 2), "BIG");
  EXPECT_NE(ack.find("ERR")->value(8).find("the bound is 1024 bytes"), std::string::npos);
  EXPECT_TRUE(client.is_closed_by_listener());
  wait_for_handled(1);
  const auto entries = quarantined();
  ASSERT_EQ(entries.size(), 1U);
  EXPECT_EQ(entries[0].entry.raw_bytes, big.substr(0, 1024));
  expect_conservation(1);
}

TEST_F(Hl7v2MllpTest, QuarantinesAFrameCutShortWhenTheSenderDisconnects) {
  auto listener = listen();
  const std::string partial = oru("CUT").substr(0, 60);
  {
    Client client(listener.port());
    client.send(std::string(1, kStartBlock).append(partial));
    client.close();
  }
  wait_for_handled(1);
  const auto entries = quarantined();
  ASSERT_EQ(entries.size(), 1U);
  EXPECT_EQ(entries[0].entry.raw_bytes, partial);
  EXPECT_NE(entries[0].entry.reason.find("without its end block"), std::string::npos);
  expect_conservation(1);
}

TEST_F(Hl7v2MllpTest, ClosesAFrameThatDoesNotEndInTime) {
  MllpSettings settings;
  settings.frame_timeout = 200ms;
  auto listener = listen(settings);
  Client client(listener.port());
  client.send("\x0bMSH|^~\\&|MONITOR|ICU");
  EXPECT_TRUE(client.is_closed_by_listener());
  wait_for_handled(1);
  ASSERT_EQ(quarantined().size(), 1U);
  EXPECT_EQ(quarantined()[0].entry.raw_bytes, "MSH|^~\\&|MONITOR|ICU");
}

TEST_F(Hl7v2MllpTest, AcknowledgesOnlyAfterTheHandlerHasPersisted) {
  std::atomic<int> persisted{0};
  std::atomic<bool> is_failing{true};
  MllpListener listener({}, [&](const InboundFrame& frame) {
    if (is_failing.exchange(false)) throw Error(ErrorCode::StoreFailure, "disk full (test)");
    auto disposition = ingestor_.ingest(frame);
    ++persisted;
    return disposition;
  }, clock_);
  Client client(listener.port());
  client.send_message(oru("R1"));
  const auto refused = client.next_ack();
  EXPECT_EQ(refused.field("MSA", 1), "AR") << "not stored: the sender must resend";
  EXPECT_NE(refused.find("ERR")->value(8).find("send it again"), std::string::npos);
  EXPECT_EQ(persisted.load(), 0);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(client.ack_code(oru("R1")), "AA");
    EXPECT_EQ(persisted.load(), i + 1) << "the ACK left after the handler returned";
  }
  EXPECT_EQ(store_.count_samples(), 6);
}

}  // namespace
}  // namespace ptwin::ingest::hl7v2
