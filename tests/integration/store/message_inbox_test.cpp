// SPDX-License-Identifier: Apache-2.0
// The durable inbox of raw messages: what is admitted survives reopening, a byte-identical
// message is a repeat while the first is kept, states move forward, and done messages beyond
// the kept window are removed while unfinished ones never are.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "integration/store/store_test_support.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/store/message_inbox.hpp"

namespace ptwin::store {
namespace {

using test_support::TempDir;

constexpr auto kReceived = time::from_epoch_ns(1'795'162'500'000'000'000);

TEST(MessageInbox, AdmittedMessagesSurviveReopeningByteForByteInArrivalOrder) {
  const TempDir dir;
  const auto path = dir.path() / "inbox.db";
  const std::string binary("\x00\xff{\"device\"\n", 12);
  {
    MessageInbox inbox(path);
    ASSERT_EQ(inbox.admit("icu/bed4/vitals", "{\"a\":1}", 1, kReceived), 1);
    ASSERT_EQ(inbox.admit("icu/bed4/vitals", binary, 1, kReceived + std::chrono::seconds{1}), 2);
  }
  const MessageInbox reopened(path);
  const auto messages = reopened.unfinished();
  ASSERT_EQ(messages.size(), 2U);
  EXPECT_EQ(messages[0].id, 1);
  EXPECT_EQ(messages[0].payload, "{\"a\":1}");
  EXPECT_EQ(messages[1].payload, binary);
  EXPECT_EQ(messages[1].topic, "icu/bed4/vitals");
  EXPECT_EQ(messages[1].qos, 1);
  EXPECT_EQ(messages[1].received_at, kReceived + std::chrono::seconds{1});
  EXPECT_EQ(messages[1].state, InboxState::Pending);
}

TEST(MessageInbox, AByteIdenticalMessageOnTheSameTopicIsARepeatInEveryState) {
  const TempDir dir;
  MessageInbox inbox(dir.path() / "inbox.db");
  const auto first = inbox.admit("t/1", "{\"v\":72}", 1, kReceived);
  ASSERT_TRUE(first);
  EXPECT_FALSE(inbox.admit("t/1", "{\"v\":72}", 1, kReceived + std::chrono::seconds{5}));
  // Another topic, one byte more, one byte less: other messages.
  EXPECT_TRUE(inbox.admit("t/2", "{\"v\":72}", 1, kReceived));
  EXPECT_TRUE(inbox.admit("t/1", "{\"v\":72} ", 1, kReceived));
  EXPECT_TRUE(inbox.admit("t/1", "{\"v\":7}", 1, kReceived));
  const std::vector<std::int64_t> ids{*first};
  inbox.mark(ids, InboxState::Storing);
  EXPECT_FALSE(inbox.admit("t/1", "{\"v\":72}", 1, kReceived));
  inbox.mark(ids, InboxState::Done);
  EXPECT_FALSE(inbox.admit("t/1", "{\"v\":72}", 1, kReceived));
  EXPECT_EQ(inbox.count(InboxState::Done), 1);
  EXPECT_EQ(inbox.count(InboxState::Pending), 3);
  EXPECT_EQ(inbox.unfinished().size(), 3U);
}

TEST(MessageInbox, DoneMessagesOutsideTheKeptWindowAreRemovedUnfinishedOnesNever) {
  const TempDir dir;
  MessageInbox inbox(dir.path() / "inbox.db", {.kept_done_messages = 2});
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 6; ++i) {
    ids.push_back(*inbox.admit("t", std::to_string(i), 1, kReceived));
  }
  // 1 stays pending, 2 is storing; 3..6 done: only those within 2 ids of the newest (6) stay.
  inbox.mark(std::vector<std::int64_t>{ids[1]}, InboxState::Storing);
  inbox.mark(std::vector<std::int64_t>{ids[2], ids[3], ids[4], ids[5]}, InboxState::Done);
  EXPECT_EQ(inbox.count(InboxState::Done), 2);
  EXPECT_EQ(inbox.count(InboxState::Pending), 1);
  EXPECT_EQ(inbox.count(InboxState::Storing), 1);
  // A removed done message is no longer recognised; a kept one is.
  EXPECT_TRUE(inbox.admit("t", "2", 1, kReceived));
  EXPECT_FALSE(inbox.admit("t", "5", 1, kReceived));
  const auto unfinished = inbox.unfinished();
  ASSERT_EQ(unfinished.size(), 3U);
  EXPECT_EQ(unfinished[0].payload, "0");
  EXPECT_EQ(unfinished[1].state, InboxState::Storing);
}

TEST(MessageInbox, ASecondInboxOnTheSameFileIsRefusedWhileTheFirstIsOpen) {
  const TempDir dir;
  const auto path = dir.path() / "inbox.db";
  {
    MessageInbox first(path);
    ASSERT_TRUE(first.admit("t", "{}", 1, kReceived));
    // Two processes on one inbox would take each other's messages: the second one is refused
    // (after the 5 s busy timeout).
    EXPECT_THROW(const MessageInbox second(path), Error);
  }
  const MessageInbox after_close(path);
  EXPECT_EQ(after_close.unfinished().size(), 1U);
}

TEST(MessageInbox, AFileThatIsNotADatabaseIsRefusedNamingThePath) {
  const TempDir dir;
  const auto path = dir.path() / "inbox.db";
  {
    std::FILE* file = std::fopen(path.c_str(), "wb");
    ASSERT_NE(file, nullptr);
    std::fputs("this is not an SQLite database, it is a text file of some length ........", file);
    std::fclose(file);
  }
  try {
    const MessageInbox inbox(path);
    FAIL() << "opened a text file as an inbox";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::StoreFailure);
    EXPECT_NE(std::string(error.what()).find(path.string()), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace ptwin::store
