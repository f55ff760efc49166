// SPDX-License-Identifier: Apache-2.0
// The notification Bundle reader (ingest/fhir/notifications): a valid id-only notification is
// read whole, and every Bundle of tests/data/bad_inputs/subscription_notifications/ is refused
// with an InputError naming the element and the value of its .expect file. Each bad case
// changes one thing in kGoodNotification below. The same files seed
// fuzz/notification_reader_fuzzer.
#include "ptwin/ingest/fhir/notifications/notification_reader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "ptwin/core/error.hpp"
#include "support/bad_input_corpus.hpp"

namespace ptwin::ingest::fhir::notifications {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMinimumCases = 10;
const fs::path kCorpus =
    fs::path(PTWIN_SOURCE_DIR) / "tests" / "data" / "bad_inputs" / "subscription_notifications";

// The input every bad case starts from: events 1 and 2 of Subscription s1, id-only.
constexpr std::string_view kGoodNotification = R"json({
 "resourceType": "Bundle", "type": "subscription-notification", "timestamp": "2024-05-01T12:00:00Z",
 "entry": [
  {"fullUrl": "urn:uuid:3b4e1d2c-9a7f-4e1b-8c2d-5f6a7b8c9d0e",
   "resource": {"resourceType": "SubscriptionStatus", "status": "active",
     "type": "event-notification", "eventsSinceSubscriptionStart": "2",
     "notificationEvent": [
       {"eventNumber": "1", "timestamp": "2024-05-01T11:59:00Z",
        "focus": {"reference": "http://ehr.test/fhir/Encounter/e1"}},
       {"eventNumber": "2", "timestamp": "2024-05-01T11:59:30Z",
        "focus": {"reference": "http://ehr.test/fhir/Encounter/e2"}}],
     "subscription": {"reference": "http://ehr.test/fhir/Subscription/s1"},
     "topic": "http://ptwin.test/SubscriptionTopic/encounter"}},
  {"fullUrl": "http://ehr.test/fhir/Encounter/e1", "request": {"method": "POST", "url": "Encounter/e1"}},
  {"fullUrl": "http://ehr.test/fhir/Encounter/e2", "request": {"method": "PUT", "url": "Encounter/e2"}}]})json";

TEST(NotificationReader, ReadsAnIdOnlyEventNotification) {
  const Notification notification = read_notification(kGoodNotification);
  EXPECT_EQ(notification.type, "event-notification");
  EXPECT_EQ(notification.status, "active");
  EXPECT_EQ(notification.subscription, "http://ehr.test/fhir/Subscription/s1");
  EXPECT_EQ(notification.topic, "http://ptwin.test/SubscriptionTopic/encounter");
  EXPECT_EQ(notification.events_since_start, 2);
  ASSERT_EQ(notification.events.size(), 2U);
  EXPECT_EQ(notification.events[0].event_number, 1);
  EXPECT_EQ(notification.events[1].focus, "http://ehr.test/fhir/Encounter/e2");
  ASSERT_EQ(notification.entries.size(), 2U);
  EXPECT_EQ(notification.entries[0].method, "POST");
  EXPECT_FALSE(notification.entries[0].resource.has_value());
  ASSERT_NE(notification.entry("http://ehr.test/fhir/Encounter/e2"), nullptr);
  EXPECT_EQ(notification.entry("http://ehr.test/fhir/Encounter/e3"), nullptr);
}

TEST(NotificationReader, ReadsAHeartbeatWithoutEventsAndAHandshakeWithoutCount) {
  const Notification heartbeat = read_notification(R"json({"resourceType": "Bundle",
    "type": "subscription-notification", "entry": [{"resource": {
      "resourceType": "SubscriptionStatus", "status": "active", "type": "heartbeat",
      "eventsSinceSubscriptionStart": "41", "subscription": {"reference": "Subscription/s1"}}}]})json");
  EXPECT_EQ(heartbeat.type, "heartbeat");
  EXPECT_EQ(heartbeat.events_since_start, 41);
  EXPECT_TRUE(heartbeat.events.empty());
  const Notification handshake = read_notification(R"json({"resourceType": "Bundle",
    "type": "subscription-notification", "entry": [{"resource": {
      "resourceType": "SubscriptionStatus", "status": "requested", "type": "handshake",
      "subscription": {"reference": "Subscription/s1"}}}]})json");
  EXPECT_EQ(handshake.events_since_start, 0);
}

TEST(NotificationReader, EveryCorpusBundleIsRefusedNamingTheElementAndValue) {
  const auto cases =
      ::ptwin::testing::scoped_corpus(kCorpus, ".json", {"notification"}, "notification");
  ASSERT_GE(cases.size(), kMinimumCases);
  std::size_t refused = 0;
  for (const auto& bad : cases) {
    SCOPED_TRACE(bad.input.filename().string());
    const std::string bytes = ::ptwin::testing::read_bytes(bad.input);
    try {
      (void)read_notification(bytes);
      ADD_FAILURE() << "accepted";
    } catch (const InputError& error) {
      ++refused;
      EXPECT_EQ(bad.code_name, "bad-input");
      EXPECT_EQ(error.code(), ErrorCode::BadInput);
      ::ptwin::testing::expect_fragments(error.what(), bad);
    }
  }
  // Conservation: every case is refused (none accepted, none crashing through).
  EXPECT_EQ(refused, cases.size());
}

}  // namespace
}  // namespace ptwin::ingest::fhir::notifications
