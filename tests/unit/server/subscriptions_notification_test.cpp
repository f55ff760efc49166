// SPDX-License-Identifier: Apache-2.0
// Reading a Subscription's channel (subscription_channel.hpp) and building notification Bundles
// (notification_bundle.hpp): defaults, refusals naming the element and value, and the Bundle
// shape of R5 subscriptions.html#notifications for each content level.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/core/time.hpp"
#include "ptwin/server/fhir/subscriptions/notification_bundle.hpp"
#include "ptwin/server/fhir/subscriptions/subscription_channel.hpp"

namespace ptwin::server::fhir::subscriptions {
namespace {

nlohmann::json rest_hook() {
  return {{"resourceType", "Subscription"},
          {"id", "s1"},
          {"status", "requested"},
          {"topic", "http://ptwin.test/SubscriptionTopic/encounter"},
          {"channelType", {{"code", "rest-hook"}}},
          {"endpoint", "https://twin.test/hook"}};
}

std::string refusal(const nlohmann::json& subscription) {
  try {
    (void)read_channel(subscription);
  } catch (const InputError& error) {
    return error.what();
  }
  return "(accepted)";
}

TEST(SubscriptionChannel, DefaultsAreIdOnlyOneEventNoHeartbeat) {
  const SubscriptionChannel channel = read_channel(rest_hook());
  EXPECT_EQ(channel.type, ChannelType::RestHook);
  EXPECT_EQ(channel.endpoint, "https://twin.test/hook");
  EXPECT_EQ(channel.content, PayloadContent::IdOnly);
  EXPECT_EQ(channel.max_count, 1);
  EXPECT_FALSE(channel.heartbeat_period.has_value());
  EXPECT_FALSE(channel.timeout.has_value());
  EXPECT_TRUE(channel.headers.empty());
}

TEST(SubscriptionChannel, ReadsHeadersPeriodsContentAndBatchSize) {
  nlohmann::json subscription = rest_hook();
  subscription["parameter"] = {{{"name", "Authorization"}, {"value", "Bearer x"}},
                               {{"name", "X-Ward"}, {"value", "ICU 4"}}};
  subscription["heartbeatPeriod"] = 30;
  subscription["timeout"] = 7;
  subscription["content"] = "full-resource";
  subscription["maxCount"] = 20;
  const SubscriptionChannel channel = read_channel(subscription);
  ASSERT_EQ(channel.headers.size(), 2U);
  EXPECT_EQ(channel.headers[1], (std::pair<std::string, std::string>{"X-Ward", "ICU 4"}));
  EXPECT_EQ(channel.heartbeat_period, std::chrono::seconds(30));
  EXPECT_EQ(channel.timeout, std::chrono::seconds(7));
  EXPECT_EQ(channel.content, PayloadContent::FullResource);
  EXPECT_EQ(channel.max_count, 20);
}

TEST(SubscriptionChannel, RefusalsNameTheElementAndValue) {
  nlohmann::json email = rest_hook();
  email["channelType"]["code"] = "email";
  EXPECT_NE(refusal(email).find("Subscription 's1'.channelType.code"), std::string::npos);
  EXPECT_NE(refusal(email).find("email"), std::string::npos);
  nlohmann::json ftp = rest_hook();
  ftp["endpoint"] = "ftp://twin.test/hook";
  EXPECT_NE(refusal(ftp).find("endpoint"), std::string::npos);
  EXPECT_NE(refusal(ftp).find("ftp://twin.test/hook"), std::string::npos);
  nlohmann::json header = rest_hook();
  header["parameter"] = {{{"name", "Bad Header"}, {"value", "x"}}};
  EXPECT_NE(refusal(header).find("parameter.name"), std::string::npos);
  nlohmann::json injected = rest_hook();
  injected["parameter"] = {{{"name", "X-A"}, {"value", "x\r\nX-B: y"}}};
  EXPECT_NE(refusal(injected).find("CR, LF"), std::string::npos);
  nlohmann::json content = rest_hook();
  content["content"] = "everything";
  EXPECT_NE(refusal(content).find("everything"), std::string::npos);
  nlohmann::json count = rest_hook();
  count["maxCount"] = 0;
  EXPECT_NE(refusal(count).find("maxCount"), std::string::npos);
  nlohmann::json period = rest_hook();
  period["heartbeatPeriod"] = -5;
  EXPECT_NE(refusal(period).find("heartbeatPeriod"), std::string::npos);
}

TEST(SubscriptionChannel, AWebsocketNeedsNoEndpoint) {
  nlohmann::json subscription = rest_hook();
  subscription["channelType"]["code"] = "websocket";
  subscription.erase("endpoint");
  EXPECT_EQ(read_channel(subscription).type, ChannelType::Websocket);
}

class NotificationBundleTest : public ::testing::Test {
 protected:
  const NotificationSubject subject_{.base_url = "http://ehr.test/fhir",
                                     .subscription_id = "s1",
                                     .topic_url = "http://ptwin.test/SubscriptionTopic/encounter",
                                     .status = "active"};
  const time::Instant now_ = time::parse_iso8601("2024-05-01T12:00:00Z");
  const std::vector<store::fhir::SubscriptionEvent> events_{
      {.subscription_id = "s1",
       .event_number = 7,
       .topic_url = subject_.topic_url,
       .interaction = "update",
       .focus_type = "Encounter",
       .focus_id = "e1",
       .focus_version_id = 2,
       .recorded = time::parse_iso8601("2024-05-01T11:00:00Z")},
      {.subscription_id = "s1",
       .event_number = 8,
       .topic_url = subject_.topic_url,
       .interaction = "delete",
       .focus_type = "Encounter",
       .focus_id = "e2",
       .focus_version_id = 3,
       .recorded = time::parse_iso8601("2024-05-01T11:30:00Z")}};
  int lookups_ = 0;
  FocusLookup lookup_ = [this](const store::fhir::SubscriptionEvent& event) {
    ++lookups_;
    return std::optional<nlohmann::json>(
        {{"resourceType", event.focus_type}, {"id", event.focus_id}});
  };
};

TEST_F(NotificationBundleTest, IdOnlyHasTheStatusFirstThenOneEntryPerFocus) {
  const nlohmann::json bundle =
      notification_bundle(subject_, NotificationType::EventNotification, 8, events_,
                          PayloadContent::IdOnly, lookup_, now_);
  EXPECT_EQ(bundle["type"], "subscription-notification");
  EXPECT_EQ(bundle["timestamp"], "2024-05-01T12:00:00Z");
  ASSERT_EQ(bundle["entry"].size(), 3U);
  EXPECT_TRUE(bundle["entry"][0]["fullUrl"].get<std::string>().starts_with("urn:uuid:"));
  const nlohmann::json& status = bundle["entry"][0]["resource"];
  EXPECT_EQ(status["resourceType"], "SubscriptionStatus");
  EXPECT_EQ(status["type"], "event-notification");
  EXPECT_EQ(status["eventsSinceSubscriptionStart"], "8");  // integer64 as a JSON string
  EXPECT_EQ(status["subscription"]["reference"], "http://ehr.test/fhir/Subscription/s1");
  EXPECT_EQ(status["notificationEvent"][0]["eventNumber"], "7");
  EXPECT_EQ(status["notificationEvent"][0]["timestamp"], "2024-05-01T11:00:00Z");
  EXPECT_EQ(status["notificationEvent"][1]["focus"]["reference"],
            "http://ehr.test/fhir/Encounter/e2");
  EXPECT_EQ(bundle["entry"][1]["request"]["method"], "PUT");
  EXPECT_EQ(bundle["entry"][2]["request"]["method"], "DELETE");
  EXPECT_FALSE(bundle["entry"][1].contains("resource"));
  EXPECT_EQ(lookups_, 0);
}

TEST_F(NotificationBundleTest, FullResourceLooksUpLiveVersionsOnly) {
  const nlohmann::json bundle =
      notification_bundle(subject_, NotificationType::EventNotification, 8, events_,
                          PayloadContent::FullResource, lookup_, now_);
  EXPECT_EQ(bundle["entry"][1]["resource"]["id"], "e1");
  EXPECT_FALSE(bundle["entry"][2].contains("resource"));  // a deletion has no content
  EXPECT_EQ(lookups_, 1);
}

TEST_F(NotificationBundleTest, EmptyContentCarriesNumbersButNoFocus) {
  const nlohmann::json bundle =
      notification_bundle(subject_, NotificationType::EventNotification, 8, events_,
                          PayloadContent::Empty, lookup_, now_);
  ASSERT_EQ(bundle["entry"].size(), 1U);
  const nlohmann::json& event = bundle["entry"][0]["resource"]["notificationEvent"][0];
  EXPECT_EQ(event["eventNumber"], "7");
  EXPECT_FALSE(event.contains("focus"));
}

TEST_F(NotificationBundleTest, AHeartbeatHasNoEventsAndRelativeReferencesWithoutABase) {
  NotificationSubject relative = subject_;
  relative.base_url.clear();
  const nlohmann::json bundle = notification_bundle(relative, NotificationType::Heartbeat, 8, {},
                                                    PayloadContent::IdOnly, lookup_, now_);
  const nlohmann::json& status = bundle["entry"][0]["resource"];
  EXPECT_EQ(status["type"], "heartbeat");
  EXPECT_FALSE(status.contains("notificationEvent"));
  EXPECT_EQ(status["subscription"]["reference"], "Subscription/s1");
}

}  // namespace
}  // namespace ptwin::server::fhir::subscriptions
