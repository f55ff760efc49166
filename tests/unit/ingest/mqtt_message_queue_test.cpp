// SPDX-License-Identifier: Apache-2.0
// The bounded queue between the MQTT network thread and the store writer: arrival order, batch
// limits, a producer that waits for room instead of dropping, close and abandon.
#include <gtest/gtest.h>

#include <future>
#include <string>
#include <thread>

#include "ptwin/ingest/mqtt/detail/message_queue.hpp"

namespace ptwin::ingest::mqtt::detail {
namespace {

// Returns once a producer waits in push(); the ctest timeout bounds a producer that never does.
void await_waiting_producer(MessageQueue& queue) {
  while (queue.waiting_producers() == 0) std::this_thread::yield();
}

InboundMessage message(std::string payload) {
  return InboundMessage{.topic = "t",
                        .payload = std::move(payload),
                        .qos = 1,
                        .received_at = {},
                        .inbox_id = 0,
                        .is_uncertain = false};
}

TEST(MqttMessageQueue, HandsOutBatchesInArrivalOrderUpToTheLimit) {
  MessageQueue queue(10);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(queue.push(message(std::to_string(i))), MessageQueue::PushResult::Queued);
  }
  const auto first = queue.pop_batch(3);
  ASSERT_EQ(first.size(), 3U);
  EXPECT_EQ(first[0].payload, "0");
  EXPECT_EQ(first[2].payload, "2");
  const auto second = queue.pop_batch(3);
  ASSERT_EQ(second.size(), 2U);
  EXPECT_EQ(second[1].payload, "4");
}

TEST(MqttMessageQueue, TryPushRefusesWhenFullAndKeepsWhatIsQueued) {
  MessageQueue queue(2);
  EXPECT_TRUE(queue.try_push(message("a")));
  EXPECT_TRUE(queue.try_push(message("b")));
  EXPECT_FALSE(queue.try_push(message("c")));
  const auto batch = queue.pop_batch(10);
  ASSERT_EQ(batch.size(), 2U);
  EXPECT_EQ(batch[1].payload, "b");
}

TEST(MqttMessageQueue, APushIntoAFullQueueWaitsForRoomAndSaysSo) {
  MessageQueue queue(1);
  ASSERT_EQ(queue.push(message("a")), MessageQueue::PushResult::Queued);
  auto waiting = std::async(std::launch::async, [&] { return queue.push(message("b")); });
  await_waiting_producer(queue);
  const auto first = queue.pop_batch(1);
  EXPECT_EQ(waiting.get(), MessageQueue::PushResult::QueuedAfterWaiting);
  const auto second = queue.pop_batch(1);
  ASSERT_EQ(first.size(), 1U);
  ASSERT_EQ(second.size(), 1U);
  EXPECT_EQ(first[0].payload, "a");
  EXPECT_EQ(second[0].payload, "b");
}

TEST(MqttMessageQueue, CloseDrainsWhatIsLeftThenEnds) {
  MessageQueue queue(4);
  ASSERT_EQ(queue.push(message("a")), MessageQueue::PushResult::Queued);
  queue.close();
  EXPECT_EQ(queue.pop_batch(4).size(), 1U);
  EXPECT_TRUE(queue.pop_batch(4).empty());
}

TEST(MqttMessageQueue, AbandonReleasesAWaitingProducerWithoutQueueing) {
  MessageQueue queue(1);
  ASSERT_EQ(queue.push(message("a")), MessageQueue::PushResult::Queued);
  auto waiting = std::async(std::launch::async, [&] { return queue.push(message("b")); });
  await_waiting_producer(queue);
  queue.abandon();
  EXPECT_EQ(waiting.get(), MessageQueue::PushResult::Abandoned);
  EXPECT_TRUE(queue.pop_batch(4).empty());
  EXPECT_EQ(queue.discard_all(), 1U);
}

}  // namespace
}  // namespace ptwin::ingest::mqtt::detail
